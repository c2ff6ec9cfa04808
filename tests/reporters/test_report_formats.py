"""Every report file says the same numbers as the result JSON: csv, markdown, xlsx, html.

The files are made through the real CLI (``run --data … --format X``) from a
small province; the JSON of the same run is the reference.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from dvc_score import registry
from dvc_score.analysis.numfmt import parse_vi
from dvc_score.reporters.base import ReportOptions
from dvc_score.reporters.markdown import MarkdownReporter
from dvc_score.reporters.xlsx import XlsxReporter
from dvc_score.testing import run_cli, run_json
from tests.analysis import province
from tests.reporters.support import load_results

PERIODS = ["--period", "2026-Q1", "--period", "2026-Q2"]


@pytest.fixture(scope="module")
def data() -> str:
    return str(province.folder())


@pytest.fixture(scope="module")
def series(data: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(period, unit code) → the unit's JSON, for both periods."""
    document = run_json(["run", "--data", data, *PERIODS])
    return {
        (result["period"]["id"], unit["unit_code"]): unit
        for result in document["results"]
        for unit in result["units"]
    }


def report(data: str, fmt: str, *args: str, output: Path | None = None) -> str:
    extra = ["--output", str(output)] if output else []
    result = run_cli(["run", "--data", data, *PERIODS, "--format", fmt, *args, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_one_row_per_unit_with_the_json_scores(
    data: str, series: dict[tuple[str, str], dict[str, Any]]
) -> None:
    rows = list(csv.DictReader(io.StringIO(report(data, "csv"))))
    assert len(rows) == len(series)
    for row in rows:
        unit = series[(row["period"], row["unit_code"])]
        assert float(row["total"]) == unit["total"]
        for group, scored in unit["groups"].items():
            assert float(row[group]) == scored["score"]
        assert row["class"] == unit["class_name"]


def test_markdown_totals_in_vietnamese_numbers(
    data: str, series: dict[tuple[str, str], dict[str, Any]]
) -> None:
    text = report(data, "markdown")
    header = next(line for line in text.splitlines() if line.startswith("| # | Mã đơn vị"))
    total_at = [cell.strip() for cell in header.split("|")].index("Tổng /100")
    seen = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > total_at and ("2026-Q2", cells[2]) in series:
            seen[cells[2]] = float(parse_vi(cells[total_at]))
    assert seen == {code: u["total"] for (period, code), u in series.items() if period == "2026-Q2"}
    assert "## Kỳ" in text  # the series table for several periods


def test_xlsx_sheets_values_and_formats(
    data: str, series: dict[tuple[str, str], dict[str, Any]], tmp_path: Path
) -> None:
    target = tmp_path / "scores.xlsx"
    report(data, "xlsx", output=target)
    book = load_workbook(target)
    # run hands the dataset's statistics to the workbook: two more sheets.
    assert book.sheetnames == ["Tổng hợp", "Chỉ số", "Thống kê", "Xếp hạng", "Kỳ"]
    summary = book["Tổng hợp"]
    header = [cell.value for cell in summary[1]]
    assert header[:5] == ["Kỳ", "Cấp", "#", "Mã đơn vị", "Đơn vị"]
    assert summary.freeze_panes == "F2"
    total = header.index("Tổng /100")
    for row in summary.iter_rows(min_row=2):
        unit = series[(str(row[0].value), str(row[3].value))]
        assert row[total].value == unit["total"]
        assert row[total].number_format == "0.00" and row[2].number_format == "#,##0"
    assert summary.max_row - 1 == len(series)
    assert all(summary.column_dimensions[c].width >= 8 for c in "ABCDEFGHIJKLM")
    indicators = book["Chỉ số"]
    head = [cell.value for cell in indicators[1]]
    for row in indicators.iter_rows(min_row=2):
        values = dict(zip(head, (cell.value for cell in row), strict=True))
        scored = series[(values["Kỳ"], values["Mã đơn vị"])]["indicators"][values["id"]]
        assert values["Điểm"] == scored["score"] and values["Tử số"] == scored["numerator"]
        if scored["ratio"] is not None:
            assert round(values["Tỷ lệ"], 6) == scored["ratio"]
    assert indicators.cell(row=2, column=head.index("Tỷ lệ") + 1).number_format == "0.00%"


def test_xlsx_in_english_with_statistics(data: str) -> None:
    results, rules, stats = load_results(data, ("2026-Q1", "2026-Q2"))
    options = ReportOptions(lang="en", stats=tuple(stats))
    book = load_workbook(io.BytesIO(XlsxReporter().render(results, rules, options)))
    assert book.sheetnames == ["Summary", "Indicators", "Statistics", "Rankings", "Periods"]
    header = [c.value for c in book["Summary"][1]][:5]
    assert header == ["Period", "Level", "#", "Unit code", "Unit"]
    periods = {row[0].value for row in book["Statistics"].iter_rows(min_row=2)}
    assert periods == {"2026-Q1", "2026-Q2"}


def test_xlsx_statistics_sheets_equal_the_stats_json(data: str, tmp_path: Path) -> None:
    target = tmp_path / "stats.xlsx"
    args = ["stats", "--data", data, "--period", "2026-Q2"]
    assert run_cli([*args, "--format", "xlsx", "--output", str(target)]).exit_code == 0
    document = json.loads(run_cli([*args, "--format", "json"]).stdout)
    book = load_workbook(target)
    assert book.sheetnames == ["Thống kê", "Xếp hạng"]
    sheet = book["Thống kê"]
    head = [cell.value for cell in sheet[1]]
    rows = [
        dict(zip(head, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    root = document["province"][0]
    first = rows[0]
    assert (first["Mã đơn vị"], first["Tiếp nhận mới"]) == (root["unit_code"], root["received"])
    assert first["Tỷ lệ trực tuyến"] == pytest.approx(root["online_share"], abs=1e-6)
    communes = next(lv for lv in document["levels"] if lv["level"] == "commune")
    by_code = {r["Mã đơn vị"]: r for r in rows if r["Cấp"] == "Cấp xã"}
    for unit in communes["units"]:
        assert by_code[unit["unit_code"]]["Đã giải quyết"] == unit["resolved"]
    received = head.index("Tiếp nhận mới") + 1
    share = head.index("Tỷ lệ trực tuyến") + 1
    assert sheet.cell(row=2, column=received).number_format == "#,##0"
    assert sheet.cell(row=2, column=share).number_format == "0.00%"


class _Cells(HTMLParser):
    """Collect ``data-value`` of each total cell of the scores table, by unit and period."""

    def __init__(self) -> None:
        super().__init__()
        self.in_scores = False
        self.row: dict[str, str] = {}
        self.totals: dict[tuple[str, str], float] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "table":
            self.in_scores = found.get("id") == "scores"
        elif tag == "tr" and self.in_scores:
            self.row = found
        elif tag == "td" and self.in_scores and found.get("data-key") == "total":
            key = (self.row["data-period"], self.row["data-unit"])
            self.totals[key] = float(found["data-value"])


def test_html_is_self_contained_and_its_totals_equal_the_json(
    data: str, series: dict[tuple[str, str], dict[str, Any]]
) -> None:
    html = report(data, "html")
    assert not re.search(r"https?://|<script|<link|@import|url\(|<iframe|<img", html, re.I)
    parser = _Cells()
    parser.feed(html)
    last = {key: u["total"] for key, u in series.items() if key[0] == "2026-Q2"}
    assert parser.totals == last
    assert html.count('<svg class="chart') >= 9
    assert 'id="trend"' in html  # two periods: the trend section


def test_html_for_counts_input_says_why_there_are_no_statistics() -> None:
    counts = str(province.counts_file())
    result = run_cli(["run", "--data", counts, "--format", "html", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "No dossier statistics: the input holds counts" in result.stdout


def test_run_html_includes_the_statistics_of_a_dataset(data: str) -> None:
    html = report(data, "html")
    assert 'id="stats-2026-Q2"' in html and "Toàn tỉnh đã tiếp nhận" in html


def test_every_reporter_is_registered() -> None:
    assert {"csv", "markdown", "html", "xlsx"} <= set(registry.reporters())


def test_markdown_with_statistics_has_the_summary_sentences(data: str) -> None:
    results, rules, stats = load_results(data, ("2026-Q1", "2026-Q2"))
    text = MarkdownReporter().render(results, rules, ReportOptions(stats=tuple(stats)))
    assert "## Thống kê · 2026-Q2" in text and "## Thống kê · 2026-Q1" not in text
    assert "Toàn tỉnh đã tiếp nhận" in text and "| Chỉ số | Cao nhất | Thấp nhất |" in text
