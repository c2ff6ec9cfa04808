"""Render ``dvc-score stats`` as a terminal table, a JSON document or Markdown.

The html, xlsx and csv forms live with their formats (html_stats, xlsx,
csv_report) because the score reports embed them too.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from dvc_score import __version__
from dvc_score.analysis.stats_model import StatsReport, rankings
from dvc_score.analysis.stats_summary import summary
from dvc_score.model.result import REPORT_VERSION
from dvc_score.reporters.base import ReportOptions
from dvc_score.reporters.labels import level_name, word
from dvc_score.reporters.markdown import stats_markdown
from dvc_score.reporters.views import View, cell_text, stats_view


def stats_document(reports: Sequence[StatsReport], top: int, lang: str) -> dict[str, Any]:
    if len(reports) == 1:
        return _one_document(reports[0], top, lang)
    return {
        "report_version": REPORT_VERSION,
        "kind": "statistics-series",
        "results": [_one_document(r, top, lang) for r in reports],
    }


def _one_document(report: StatsReport, top: int, lang: str) -> dict[str, Any]:
    return {
        "report_version": REPORT_VERSION,
        "kind": "statistics",
        "tool": {"name": "dvc-score", "version": __version__},
        "ruleset": report.ruleset,
        "period": report.period,
        "data": report.data,
        "definitions": report.definitions,
        "province": [root.to_json() for root in report.roots],
        "levels": [
            {
                "level": level.level,
                "totals": level.figures.to_json(),
                "units": [unit.to_json() for unit in level.units],
                "rankings": {
                    r.measure: {
                        "top": [u.unit.unit_code for u in r.top],
                        "bottom": [u.unit.unit_code for u in r.bottom],
                    }
                    for r in rankings(level, top)
                },
            }
            for level in report.levels
        ],
        "summary": summary(report, lang),
    }


def render_stats_json(reports: Sequence[StatsReport], options: ReportOptions) -> str:
    document = stats_document(reports, options.top, options.lang)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_stats_markdown(reports: Sequence[StatsReport], options: ReportOptions) -> str:
    title = f"# {word('statistics', options.lang)}"
    return "\n\n".join([title, *stats_markdown(reports, options)]) + "\n"


def render_stats_table(reports: Sequence[StatsReport], options: ReportOptions) -> str:
    lang = options.lang
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=max(options.width, 100), color_system=None, highlight=False
    )
    for report in reports:
        console.rule(f"{word('statistics', lang)} · {report.period.get('id', '')}")
        for subject, lines in summary(report, lang).items():
            console.print(f"[bold]{escape(level_name(subject, lang))}[/bold]")
            for line in lines:
                console.print(escape(line))
            console.print()
        view = stats_view([report], lang)
        for level in report.levels:
            console.print(_level_table(view, level_name(level.level, lang), lang))
    return buffer.getvalue()


# Few enough columns for a 100-column terminal; the other formats carry them all.
TERMINAL_COLUMNS = (
    "unit_name",
    "received",
    "online_share",
    "resolved",
    "early_share",
    "on_time_share",
    "late",
    "overdue",
    "postal_total",
)


def _level_table(view: View, label: str, lang: str) -> Table:
    table = Table(title=label, box=box.SIMPLE_HEAD, pad_edge=False)
    columns = [view.columns[view.column(key)] for key in TERMINAL_COLUMNS]
    for column in columns:
        if column.kind == "text":
            table.add_column(
                column.label, overflow="ellipsis", no_wrap=True, min_width=16, max_width=30
            )
        else:
            width = 7 if column.kind == "ratio" else 5  # "100,00%" / "9.999"
            table.add_column(column.label, justify="right", min_width=width)
    level = view.column("level")
    for row in view.rows:
        if row[level] != label:
            continue
        cells = [cell_text(row[view.column(c.key)], c.kind, lang) for c in columns]
        table.add_row(*cells, style="bold" if not row[view.column("unit_code")] else None)
    return table
