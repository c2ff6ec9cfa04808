"""``dvc-score stats`` as a user runs it: every format, exit codes, the same numbers everywhere."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from dvc_score.analysis.numfmt import fmt_int
from dvc_score.testing import run_cli

from . import province

PERIOD = ["--period", "2026-Q2"]


@pytest.fixture(scope="module")
def data() -> str:
    return str(province.folder())


@pytest.fixture(scope="module")
def document(data: str) -> dict[str, Any]:
    result = run_cli(["stats", "--data", data, *PERIOD, "--format", "json", "--top", "2"])
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def stats(data: str, *args: str) -> str:
    result = run_cli(["stats", "--data", data, *PERIOD, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_document(document: dict[str, Any]) -> None:
    assert document["kind"] == "statistics" and document["period"]["id"] == "2026-Q2"
    (root,) = document["province"]
    levels = {lv["level"]: lv for lv in document["levels"]}
    assert list(levels) == ["department", "district", "commune", "commune_group"]
    assert root["received"] == sum(
        levels[lv]["totals"]["received"] for lv in ("department", "district")
    )
    assert root["online_share"] == pytest.approx(root["online"] / root["received"], abs=1e-6)
    ranking = levels["commune"]["rankings"]["online_share"]
    assert len(ranking["top"]) == len(ranking["bottom"]) == 2
    assert document["definitions"]["received"] == "received_in_period"
    assert document["summary"]["province"][0].startswith("Toàn tỉnh đã tiếp nhận")


def test_table_prints_the_summary_in_vietnamese_numbers(
    data: str, document: dict[str, Any]
) -> None:
    output = " ".join(stats(data).split())
    received = fmt_int(document["province"][0]["received"], "vi")
    assert f"Toàn tỉnh đã tiếp nhận {received} hồ sơ" in output
    assert "Cấp xã theo huyện" in output and "Các xã thuộc huyện Một" in output


def test_csv_has_stable_headers_and_the_json_numbers(data: str, document: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(stats(data, "--format", "csv", "--lang", "en"))))
    assert list(rows[0])[:4] == ["period", "level", "unit_code", "unit_name"]
    by_code = {
        r["unit_code"]: r for r in rows if r["unit_code"] and r["level"] != "Communes by district"
    }
    for level in document["levels"]:
        if level["level"] == "commune_group":
            continue
        for unit in level["units"]:
            row = by_code[unit["unit_code"]]
            assert int(row["received"]) == unit["received"]
            assert float(row["late_share"] or "nan") == pytest.approx(
                unit["late_share"], nan_ok=True
            )


def test_markdown_and_html(data: str) -> None:
    markdown = stats(data, "--format", "markdown")
    assert markdown.startswith("# Thống kê") and "| Đơn vị |" in markdown
    html = stats(data, "--format", "html", "--lang", "en")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "Communes of huyện Một" in html


def test_xlsx_needs_an_output_file(data: str, tmp_path: Path) -> None:
    result = run_cli(["stats", "--data", data, *PERIOD, "--format", "xlsx"])
    assert result.exit_code == 2 and "needs --output FILE" in result.stderr
    target = tmp_path / "stats.xlsx"
    stats(data, "--format", "xlsx", "--output", str(target))
    assert target.read_bytes()[:2] == b"PK"


def test_several_periods_make_a_series(data: str) -> None:
    output = stats(data, "--period", "2026-Q3", "--format", "json")
    series = json.loads(output)
    assert series["kind"] == "statistics-series"
    assert [r["period"]["id"] for r in series["results"]] == ["2026-Q2", "2026-Q3"]


def test_counts_input_is_refused() -> None:
    result = run_cli(["stats", "--data", str(province.counts_file())])
    assert result.exit_code == 2
    assert "statistics need dossiers" in result.stderr
