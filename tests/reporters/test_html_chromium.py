"""The HTML report in a real headless Chromium: rendered, offline, error-free, phone-readable.

Chromium is driven through the DevTools protocol (tests/reporters/cdp.py, stdlib
only), which lets the test see every network request the page makes and every
console error, read the laid-out DOM and take screenshots. Screenshots are kept
under test-artifacts/ (gitignored) for a person to look at. Skipped when no
Chromium is installed (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dvc_score.analysis.numfmt import fmt_dec
from dvc_score.reporters.base import ReportOptions
from dvc_score.reporters.html import HtmlReporter
from tests.analysis import province
from tests.reporters.cdp import Page, find_chromium, open_page
from tests.reporters.support import load_results

CHROMIUM = find_chromium()
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PERIODS = ("2026-Q1", "2026-Q2", "2026-Q3")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

# Every chart with its drawn marks, and every unit row with its total cell.
READ_PAGE = """(() => {
  const charts = [...document.querySelectorAll('svg.chart')].map(svg => ({
    kind: svg.getAttribute('class'),
    height: svg.getBoundingClientRect().height,
    marks: svg.querySelectorAll('rect.bar, rect.part, polyline.line').length,
  }));
  const rows = [...document.querySelectorAll('#scores tbody tr')].map(tr => {
    const total = tr.querySelector('td[data-key="total"]');
    return {unit: tr.dataset.unit, value: Number(total.dataset.value), text: total.innerText};
  });
  const sections = [...document.querySelectorAll('main > section')].map(s => s.id);
  return {charts, rows, sections, title: document.title};
})()"""

OVERFLOW = "[document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    results, rules, stats = load_results(str(province.folder()), PERIODS)
    html = HtmlReporter().render(results, rules, ReportOptions(stats=tuple(stats)))
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(html, encoding="utf-8")
    return path, results


@pytest.fixture(scope="module")
def page(report_file: tuple[Path, list[Any]]) -> Any:
    path, _ = report_file
    assert CHROMIUM is not None
    with open_page(path.as_uri(), CHROMIUM, width=1280, height=900) as opened:
        yield opened


def test_loads_offline_without_console_errors(
    page: Page, report_file: tuple[Path, list[Any]]
) -> None:
    path, _ = report_file
    assert page.requests() == [path.as_uri()]  # the document itself, nothing else
    assert page.console_errors() == []


def test_tables_and_charts_rendered(page: Page, report_file: tuple[Path, list[Any]]) -> None:
    _, results = report_file
    seen = page.evaluate(READ_PAGE)
    assert seen["sections"][:5] == ["summary", "charts", "trend", "rankings", "indicators"]
    assert "stats-2026-Q3" in seen["sections"]
    kinds = [chart["kind"] for chart in seen["charts"]]
    assert kinds.count("chart bars") >= 1 + 3 + 4  # gaps, totals per level, online share per level
    assert kinds.count("chart stacked") == 3 and kinds.count("chart lines") == 2
    assert all(chart["height"] > 20 and chart["marks"] > 0 for chart in seen["charts"])
    expected = {u.unit.unit_code: u.total for u in results[-1].units}
    assert {row["unit"]: row["value"] for row in seen["rows"]} == {
        code: float(total) for code, total in expected.items()
    }
    for row in seen["rows"]:
        assert row["text"] == fmt_dec(expected[row["unit"]], "vi")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(ARTIFACTS / "report-desktop.png", 0, 2400)


def test_readable_on_a_phone(page: Page) -> None:
    page.resize(390, 844)
    page_width, viewport = page.evaluate(OVERFLOW)
    assert page_width <= viewport  # only the table and chart boxes scroll sideways
    scrolls = page.evaluate(
        "[...document.querySelectorAll('.scroll')].some(b => b.scrollWidth > b.clientWidth)"
    )
    assert scrolls
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(ARTIFACTS / "report-phone.png", 0, 2400)
