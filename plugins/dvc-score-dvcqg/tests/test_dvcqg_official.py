"""dvcqg-eval and dvcqg-official on the portal's own published figures (Phú Thọ, 2026-08).

The evaluation file is generated here from ../shared/conformance (never copied
into the repository): counts become TuSo/MauSo, published scores become Diem,
half the indicators use the portal's codes and half dvc-score's ids.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from dvc_score.testing import run_cli, run_json

from dvc_score_dvcqg.eval_codes import INDICATOR_CODES

PORTAL_CODE = {indicator: code for code, indicator in INDICATOR_CODES.items()}
LEVEL_SHOWN = {"province": "Tỉnh", "department": "Sở, ngành", "commune": "Xã"}
GROUP_SHOWN = {"timeliness": "Tiến độ, kết quả giải quyết", "satisfaction": "Mức độ hài lòng"}


def build_evaluation(conformance: Path) -> dict[str, Any]:
    units: dict[str, dict[str, Any]] = {}
    with (conformance / "counts.csv").open(encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle)):
            unit = units.setdefault(row["unit_code"], _unit(row))
            code = PORTAL_CODE[row["indicator"]] if n % 2 else row["indicator"]
            unit["ChiSo"].append({
                "MaChiSo": code,
                "TuSo": int(row["numerator"]) if row["numerator"] else None,
                "MauSo": int(row["denominator"]) if row["denominator"] else None,
            })  # fmt: skip
    scores: dict[str, dict[str, str]] = defaultdict(dict)
    with (conformance / "expected.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            unit = units[row["unit_code"]]
            score = float(row["official_score"]) if row["official_score"] else None
            if row["kind"] == "group":
                unit["NhomChiSo"].append({"MaNhom": GROUP_SHOWN.get(row["id"], row["id"]),
                                          "Diem": score})  # fmt: skip
            else:
                scores[row["unit_code"]][row["id"]] = row["official_score"]
    for code, unit in units.items():
        for entry in unit["ChiSo"]:
            indicator = INDICATOR_CODES.get(entry["MaChiSo"], entry["MaChiSo"])
            if indicator in scores[code]:
                text = scores[code][indicator]
                entry["Diem"] = float(text) if text else None
    return {"Ky": "2026-08", "DonVi": list(units.values())}


def _unit(row: dict[str, str]) -> dict[str, Any]:
    return {
        "MaDonVi": row["unit_code"],
        "TenDonVi": row["unit_name"],
        "Cap": LEVEL_SHOWN.get(row["level"], row["level"]),
        "MaDonViCha": row["parent_code"] or None,
        "ChiSo": [],
        "NhomChiSo": [],
    }


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shared = Path(__file__).resolve().parents[3].parent / "shared"
    folder = shared / "conformance" / "phutho-2026-08"
    if not folder.is_dir():
        pytest.skip("../shared/conformance is not present (developer machines and CI only)")
    path = tmp_path_factory.mktemp("eval") / "danh-gia-2026-08.json"
    path.write_text(json.dumps(build_evaluation(folder), ensure_ascii=False), encoding="utf-8")
    return path


def test_portal_counts_score_like_the_counts_csv(evaluation: Path) -> None:
    document = run_json(["run", "--data", str(evaluation), "--period", "2026-08"])  # detected
    province = document["units"][0]
    assert (province["unit_code"], province["level"], province["total"]) == (
        "H44",
        "province",
        59.92,
    )
    assert len(document["units"]) == 164


def test_every_official_score_is_reproduced(evaluation: Path) -> None:
    result = run_cli(["dvcqg-official", "--eval", str(evaluation), "--check", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["compared"], report["differences"]) == (3281, 0)
    assert "3281 official score(s) compared, 0 differ by > 0.01" in result.stderr


def test_a_tampered_official_score_is_flagged_and_fails_the_check(
    evaluation: Path, tmp_path: Path
) -> None:
    body = json.loads(evaluation.read_text(encoding="utf-8"))
    commune = next(u for u in body["DonVi"] if u["MaDonVi"] == "H44.100")
    entry = next(e for e in commune["ChiSo"] if e["MaChiSo"] in ("2.1", "timeliness.on_time"))
    entry["Diem"] = 15.5  # the portal showed 15.81
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    result = run_cli(["dvcqg-official", "--eval", str(tampered), "--check"])
    assert result.exit_code == 1
    lines = [line.split() for line in result.stdout.splitlines()]
    assert lines[1] == ["H44.100", "indicator", "timeliness.on_time", "15.50", "15.81", "0.31", "≠"]
    assert "1 score(s) differ from the portal's" in result.stderr
    assert run_cli(["dvcqg-official", "--eval", str(tampered)]).exit_code == 0  # no --check


def test_unknown_codes_are_rejected_and_can_be_mapped(tmp_path: Path) -> None:
    body = [{"MaDonVi": "X1", "TenDonVi": "UBND tỉnh Mẫu", "Cap": "Tỉnh", "ChiSo": [
        {"MaChiSo": "9.9", "TuSo": 3, "MauSo": 4},
        {"MaChiSo": "2.1", "TuSo": "1.500", "MauSo": 2000, "Diem": "15,00"},
    ]}]  # fmt: skip
    path = tmp_path / "eval.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    document = run_json(["run", "--data", str(path), "--reject-file", str(rejects)])
    assert document["units"][0]["indicators"]["timeliness.on_time"]["score"] == 15.0
    written = rejects.read_text(encoding="utf-8")
    assert "ChiSo[0].MaChiSo,9.9," in written
    assert "unknown indicator code" in written
    mapping = tmp_path / "map.csv"
    mapping.write_text("code,indicator,comment\n9.9,online.online_dossiers,mới\n", "utf-8")
    mapped = run_json(["run", "--data", str(path), "--option", f"indicator-map={mapping}"])
    assert mapped["units"][0]["indicators"]["online.online_dossiers"]["numerator"] == 3
