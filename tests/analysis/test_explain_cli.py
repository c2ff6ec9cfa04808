"""``dvc-score explain`` as a user runs it: exit codes, what it prints, the ids file."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from dvc_score.testing import run_cli, run_json

from . import province

PERIOD = ["--period", "2026-Q1"]


@pytest.fixture(scope="module")
def data() -> str:
    return str(province.folder())


@pytest.fixture(scope="module")
def run_units(data: str) -> dict[str, Any]:
    document = run_json(["run", "--data", data, *PERIOD])
    return {unit["unit_code"]: unit for unit in document["units"]}


def explain(data: str, *args: str) -> Any:
    result = run_cli(["explain", "--data", data, *PERIOD, *args])
    assert result.exit_code == 0, result.output
    return result


def test_one_indicator_shows_definition_counts_procedures_ids_and_gain(
    data: str, run_units: dict[str, Any]
) -> None:
    output = explain(data, "--unit", "P.D1", "-i", "timeliness.on_time", "--limit", "3").stdout
    expected = run_units["P.D1"]["indicators"]["timeliness.on_time"]
    assert "timeliness.on_time — Hồ sơ xử lý trước hạn, đúng hạn [verified]" in output
    assert "Tử số: dossiers (rows): handled_in_period AND on_time" in output
    assert f"{expected['numerator']} / {expected['denominator']} = " in output
    assert "Thủ tục số" in output  # procedure names from the catalog
    lost = expected["denominator"] - expected["numerator"]
    assert f"Mã hồ sơ/mục gây mất điểm (3/{lost}): P.D1" in output
    assert "→ tăng 1 điểm" in output and "→ đạt tối đa (20,00 điểm)" in output


def test_json_agrees_with_run_for_every_indicator(data: str, run_units: dict[str, Any]) -> None:
    document = json.loads(explain(data, "--unit", "P.D1", "--format", "json").stdout)
    assert document["kind"] == "explain" and document["unit"]["unit_code"] == "P.D1"
    expected = run_units["P.D1"]["indicators"]
    assert [i["id"] for i in document["indicators"]] == list(expected)
    for item in document["indicators"]:
        for key in ("numerator", "denominator", "ratio", "score", "max", "status"):
            assert item[key] == expected[item["id"]][key], (item["id"], key)
        assert item["lost"] == pytest.approx(item["max"] - (item["score"] or 0))


def test_group_explains_each_of_its_indicators(data: str) -> None:
    document = json.loads(explain(data, "--unit", "P", "-g", "payment", "-f", "json").stdout)
    assert [i["id"] for i in document["indicators"]] == [
        "payment.dossiers_paid_online",
        "payment.procedures_with_online_payment",
        "payment.procedures_integrated",
    ]


def test_ids_output_holds_every_id_and_nothing_personal(data: str, tmp_path: Path) -> None:
    target = tmp_path / "ids.csv"
    document = json.loads(
        explain(
            data,
            "--unit",
            "P",
            "-g",
            "timeliness",
            "--limit",
            "2",
            "--ids-output",
            str(target),
            "-f",
            "json",
        ).stdout
    )
    (item,) = document["indicators"]
    assert len(item["ids"]) == 2
    with target.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == ["indicator_id", "kind", "id", "unit_code", "procedure_code"]
    assert len(rows) == item["ids_total"] == item["denominator"] - item["numerator"]
    assert [r["id"] for r in rows[:2]] == item["ids"]
    known = {d["dossier_id"] for d in province.dossiers()}
    assert all(r["kind"] == "dossier" and r["id"] in known for r in rows)


def test_english_labels(data: str) -> None:
    output = explain(data, "--unit", "P", "-i", "online.online_dossiers", "--lang", "en").stdout
    assert "Numerator: dossiers (rows): received_in_period AND channel = 'online'" in output
    assert "Target 50.00%: the ratio meets it at ceil(0.5 ×" in output


def test_markdown(data: str) -> None:
    output = explain(data, "--unit", "P.S1", "-i", "timeliness.on_time", "-f", "markdown").stdout
    assert output.startswith("## timeliness.on_time — Hồ sơ xử lý trước hạn, đúng hạn")
    assert "- Tử số: `dossiers (rows): handled_in_period AND on_time`" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "P", "-i", "timeliness.ontime"], "--indicator 'timeliness.ontime': not in"),
        (["--unit", "P", "-g", "speed"], "--group 'speed': not in ruleset national2026"),
        (["--unit", "P", "-g", "payment", "-i", "timeliness.on_time"], "give one or the other"),
        (["--unit", "P", "--period", "2026-Q2"], "explain takes one period"),
        (["--unit", "X.1"], "--unit 'X.1': no such unit in the data"),
    ],
)
def test_usage_errors_exit_2_with_one_line(data: str, args: list[str], message: str) -> None:
    result = run_cli(["explain", "--data", data, *PERIOD, *args])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


def test_counts_input_explains_without_rows() -> None:
    counts = str(province.counts_file())
    output = explain(counts, "--unit", "P.S1", "-i", "timeliness.on_time").stdout
    assert "cần --data có hồ sơ" in output and "→ Thêm" in output
