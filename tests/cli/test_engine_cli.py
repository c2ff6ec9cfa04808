"""The engine from the command line: run, count, score, periods, JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dvc_score.testing import run_cli, run_json

SMALL = ["--option", "dossiers=20000", "--option", "seed=7"]


@pytest.fixture(scope="module")
def august() -> dict[str, Any]:
    return run_json(["run", *SMALL, "--period", "2026-08"])


def test_run_scores_the_bundled_province_in_a_100_column_table() -> None:
    result = run_cli(["run", *SMALL, "--period", "2026-08"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    body = [line for line in lines if "UBND" in line or "Sở" in line]
    assert "UBND tỉnh" in body[0]  # the province row comes first
    assert "Xếp loại" in result.stdout and "/100" in result.stdout


def test_json_result_carries_the_documented_fields(august: dict[str, Any]) -> None:
    assert august["report_version"] == 1
    assert august["tool"]["name"] == "dvc-score"
    assert august["ruleset"]["id"] == "national2026"
    assert august["period"] == {"id": "2026-08", "start": "2026-08-01", "end": "2026-08-31"}
    assert august["data"]["source"] == "bundled:default"
    province = august["units"][0]
    assert province["level"] == "province" and province["parent_code"] is None
    assert set(province) >= {
        "unit_code",
        "unit_name",
        "level",
        "parent_code",
        "total",
        "class",
        "groups",
        "indicators",
    }
    assert set(province["groups"]) == {
        "publicity",
        "timeliness",
        "online",
        "payment",
        "digitization",
        "satisfaction",
    }
    indicator = province["indicators"]["timeliness.on_time"]
    assert set(indicator) == {
        "numerator",
        "denominator",
        "ratio",
        "score",
        "max",
        "status",
        "provenance",
    }
    assert 100 < len(august["units"]) < 200


def test_scores_stay_within_their_maxima(august: dict[str, Any]) -> None:
    for unit in august["units"]:
        assert 0 <= unit["total"] <= 100
        for group in unit["groups"].values():
            assert 0 <= group["score"] <= group["max"]
        for indicator in unit["indicators"].values():
            assert indicator["score"] is None or 0 <= indicator["score"] <= indicator["max"]


def test_the_province_pools_its_units_dossiers(august: dict[str, Any]) -> None:
    units = august["units"]
    province = units[0]["indicators"]["timeliness.on_time"]
    leaves = [u for u in units if u["level"] in ("department", "district")]
    assert province["denominator"] == sum(
        u["indicators"]["timeliness.on_time"]["denominator"] for u in leaves
    )


def test_distinct_procedures_are_counted_afresh_at_each_level(august: dict[str, Any]) -> None:
    units = august["units"]
    fee = [u["indicators"]["payment.procedures_integrated"]["denominator"] for u in units]
    province, children = fee[0], fee[1:]
    assert province < sum(children)  # the same procedure at many units counts once
    assert province >= max(children)


def test_count_then_score_equals_run(tmp_path: Path, august: dict[str, Any]) -> None:
    counts = tmp_path / "counts.csv"
    result = run_cli(["count", *SMALL, "--period", "2026-08", "--output", str(counts)])
    assert result.exit_code == 0, result.output
    header = counts.read_text(encoding="utf-8").splitlines()[0]
    assert header == "unit_code,unit_name,level,parent_code,indicator,numerator,denominator"
    scored = run_json(["score", "--counts", str(counts), "--period", "2026-08"])
    assert scored["units"] == august["units"]


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2026-08", "2026-08-01", "2026-08-31"),
        ("2026-Q3", "2026-07-01", "2026-09-30"),
        ("2026", "2026-01-01", "2026-12-31"),
        ("2026-08-01..2026-08-15", "2026-08-01", "2026-08-15"),
    ],
)
def test_period_forms(period: str, start: str, end: str) -> None:
    from dvc_score.engine.periods import parse_period

    parsed = parse_period(period)
    assert (parsed.start.isoformat(), parsed.end.isoformat()) == (start, end)


@pytest.mark.parametrize("bad", ["2026-13", "2026-Q5", "August", "2026-08-31..2026-08-01"])
def test_a_bad_period_is_a_one_line_error(bad: str) -> None:
    result = run_cli(["run", *SMALL, "--period", bad])
    assert result.exit_code == 2
    assert "expected YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD..YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.output


def test_several_periods_in_one_pass_show_the_change(tmp_path: Path) -> None:
    result = run_cli(["run", *SMALL, "--periods", "2026-06..2026-08"])
    assert result.exit_code == 0, result.output
    assert "2026-06" in result.stdout and "2026-08" in result.stdout and "Δ" in result.stdout
    series = run_json(["run", *SMALL, "--period", "2026-07", "--period", "2026-08"])
    assert series["kind"] == "series"
    assert [r["period"]["id"] for r in series["results"]] == ["2026-07", "2026-08"]
    single = run_json(["run", *SMALL, "--period", "2026-08"])
    assert series["results"][1]["units"] == single["units"]


def test_output_file_is_written_and_stdout_stays_empty(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    result = run_cli(
        ["run", *SMALL, "--period", "2026-08", "--format", "json", "--output", str(target)]
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["report_version"] == 1


def test_score_refuses_a_counts_file_with_unknown_indicators(tmp_path: Path) -> None:
    counts = tmp_path / "c.csv"
    counts.write_text(
        "unit_code,unit_name,level,parent_code,indicator,numerator,denominator\nP,Tỉnh,province,,made.up,1,2\n",
        encoding="utf-8",
    )
    result = run_cli(["score", "--counts", str(counts)])
    assert result.exit_code == 2
    assert "made.up" in result.stderr and "national2026" in result.stderr


def test_score_on_a_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = run_cli(["score", "--counts", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "nope.csv: no such file" in result.stderr
