"""province2026 against national2026 on the same small province.

Each provincial change is pinned by a unit whose result it changes: per-unit
publicity, timeliness of finished dossiers at day precision on a 70-100 % scale,
and the online share in steps.
"""

from __future__ import annotations

from typing import Any

import pytest
from dvc_score.testing import run_cli, run_json

UNITS = """unit_code,unit_name,level,parent_code
T01,UBND tỉnh Mẫu,province,
T01.01,Sở Tư pháp,department,T01
T01.02,Sở Xây dựng,department,T01
T01.100,UBND xã Hòa Bình,commune,T01
"""
PROCEDURES = """\
procedure_code,unit_code,procedure_name,online_level,decision_date,legal_effective_date,published_date,content_complete
1.001,T01.01,Cấp Phiếu lý lịch tư pháp,full,03/08/2026,20/08/2026,04/08/2026,true
1.002,T01.01,Đăng ký khai sinh có yếu tố nước ngoài,full,03/08/2026,20/08/2026,04/08/2026,true
1.003,T01.02,Cấp giấy phép xây dựng,partial,17/08/2026,18/08/2026,31/08/2026,false
2.001,T01.100,Chứng thực bản sao,partial,01/07/2026,15/07/2026,02/07/2026,true
"""
DOSSIERS = """\
dossier_id,unit_code,procedure_code,channel,received_at,due_at,finished_at,status
D1,T01.01,1.001,online,03/08/2026 08:00,10/08/2026 08:00,10/08/2026 16:30,10
D2,T01.01,1.001,online,03/08/2026 09:00,07/08/2026 17:00,06/08/2026 10:00,10
D3,T01.01,1.002,direct,20/08/2026 09:00,05/09/2026 17:00,,4
D4,T01.02,1.003,direct,03/08/2026 09:00,05/08/2026 17:00,12/08/2026 10:00,9
C1,T01.100,2.001,online,05/08/2026 08:00,06/08/2026 17:00,06/08/2026 10:00,10
C2,T01.100,2.001,direct,05/08/2026 08:00,06/08/2026 17:00,06/08/2026 10:00,10
C3,T01.100,2.001,direct,05/08/2026 08:00,06/08/2026 17:00,06/08/2026 10:00,10
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """unit -> its result, for each ruleset (one run each for the module)."""
    folder = tmp_path_factory.mktemp("tinh")
    for name, text in (("units", UNITS), ("procedures", PROCEDURES), ("dossiers", DOSSIERS)):
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    found = {}
    for ruleset in ("national2026", "province2026"):
        document = run_json(["run", "--data", str(folder), "-r", ruleset, "-p", "2026-08"])
        found[ruleset] = {unit["unit_code"]: unit for unit in document["units"]}
    return found


def counted(unit: dict[str, Any], indicator: str) -> tuple[int, int, float | None]:
    item = unit["indicators"][indicator]
    return item["numerator"], item["denominator"], item["score"]


def test_publicity_is_judged_on_each_units_own_procedures(results: dict[str, Any]) -> None:
    national, province = results["national2026"], results["province2026"]
    indicator = "publicity.published_on_time"
    assert {counted(national[u], indicator)[:2] for u in national} == {(2, 3)}  # repeated
    assert counted(province["T01.01"], indicator) == (2, 2, 6.0)
    assert counted(province["T01.02"], indicator) == (0, 1, 0.0)
    assert counted(province["T01.100"], indicator)[2] is None  # nothing decided: n/a
    assert counted(province["T01"], indicator)[:2] == (2, 3)


def test_timeliness_counts_finished_dossiers_by_day_on_a_70_to_100_scale(
    results: dict[str, Any],
) -> None:
    national, province = results["national2026"], results["province2026"]
    indicator = "timeliness.on_time"
    # D1 finished at 16:30 on its due day (due 08:00): late nationally, on time by day.
    # D3 is still in progress: counted nationally, left out by the province.
    assert counted(national["T01.01"], indicator) == (2, 3, 13.33)
    assert counted(province["T01.01"], indicator) == (2, 2, 20.0)
    assert counted(national["T01"], indicator) == (5, 7, 14.29)
    assert counted(province["T01"], indicator) == (5, 6, 8.89)  # 20 × (5/6 − 0.7) / 0.3


def test_the_online_share_earns_points_in_steps(results: dict[str, Any]) -> None:
    indicator = "online.online_dossiers"
    assert counted(results["national2026"]["T01.100"], indicator) == (1, 3, 4.0)
    assert counted(results["province2026"]["T01.100"], indicator) == (1, 3, 3.6)


def test_the_ruleset_is_registered_and_says_it_is_not_the_national_score() -> None:
    result = run_cli(["rulesets", "list"])
    assert result.exit_code == 0
    assert "province2026" in result.stdout
    shown = run_cli(["rulesets", "show", "province2026"])
    assert "không phải điểm của Cổng DVCQG" in shown.stdout
    assert "extends national2026" in shown.stdout
