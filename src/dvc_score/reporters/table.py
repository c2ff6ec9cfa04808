"""The Rich terminal table: every unit's group scores, total and class.

The root (province) comes first, then each level (departments, districts,
communes) ranked by total. With several periods, totals stand side by side with
the change since the previous period.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dvc_score.model.counts import LEVEL_ORDER
from dvc_score.model.result import Result, UnitResult
from dvc_score.model.ruleset import Ruleset
from dvc_score.reporters.base import ReportOptions
from dvc_score.reporters.labels import group_short, level_name, word


def fmt(value: Decimal | float | None, places: int = 2) -> str:
    return "–" if value is None else f"{value:.{places}f}"


def ranked(result: Result) -> list[tuple[str, list[UnitResult]]]:
    """Units by level, roots first, each level ranked by total (then code)."""
    levels: dict[str, list[UnitResult]] = {}
    for unit in result.units:
        key = "root" if not unit.unit.parent_code else unit.unit.level
        levels.setdefault(key, []).append(unit)
    order = sorted(levels, key=lambda lv: -1 if lv == "root" else LEVEL_ORDER.get(lv, 9))
    return [(lv, sorted(levels[lv], key=lambda u: (-u.total, u.unit.unit_code))) for lv in order]


class TableReporter:
    name = "table"
    description = "Rich table for the terminal (default)."
    binary = False

    def render(self, results: Sequence[Result], ruleset: Ruleset, options: ReportOptions) -> str:
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            width=options.width,
            force_terminal=options.color,
            color_system="standard" if options.color else None,
        )
        table = (
            self._series(results, ruleset, options)
            if len(results) > 1
            else self._single(results[0], ruleset, options)
        )
        table.caption = provenance_caption(ruleset, options)
        console.print(table)
        return buffer.getvalue()

    def _title(self, results: Sequence[Result], ruleset: Ruleset, options: ReportOptions) -> str:
        periods = ", ".join(r.period.get("id", "") for r in results)
        return f"{ruleset.id} {ruleset.version} · {word('period', options.lang)} {periods}"

    def _single(self, result: Result, ruleset: Ruleset, options: ReportOptions) -> Table:
        table = Table(
            title=self._title([result], ruleset, options),
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            padding=(0, 0),
        )
        table.add_column(word("rank", options.lang), justify="right", no_wrap=True, min_width=3)
        table.add_column(
            word("unit", options.lang),
            overflow="ellipsis",
            no_wrap=True,
            min_width=20,
            max_width=32,
        )
        for group in ruleset.groups.values():
            label = f"{group_short(group, options.lang)}\n/{fmt(group.points, 0)}"
            table.add_column(label, justify="right", no_wrap=True, min_width=6)
        total_label = f"{word('total', options.lang)}\n/{fmt(ruleset.max_total, 0)}"
        table.add_column(total_label, justify="right", no_wrap=True, style="bold", min_width=6)
        table.add_column(
            word("class", options.lang), no_wrap=True, overflow="ellipsis", min_width=10
        )
        for level, units in ranked(result):
            if level != "root":
                table.add_section()
                table.add_row("", Text(level_name(level, options.lang), style="italic"))
            for rank, unit in enumerate(units, start=1):
                groups = [fmt(unit.groups[g].score) for g in ruleset.groups]
                table.add_row(
                    "" if level == "root" else str(rank),
                    unit.unit.unit_name,
                    *groups,
                    fmt(unit.total),
                    _class_name(unit, ruleset, options),
                )
        return table

    def _series(self, results: Sequence[Result], ruleset: Ruleset, options: ReportOptions) -> Table:
        table = Table(
            title=self._title(results, ruleset, options),
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            padding=(0, 0),
        )
        table.add_column(
            word("unit", options.lang),
            overflow="ellipsis",
            no_wrap=True,
            min_width=20,
            max_width=32,
        )
        for index, result in enumerate(results):
            table.add_column(
                result.period.get("id", str(index)), justify="right", no_wrap=True, min_width=6
            )
            if index:
                table.add_column("Δ", justify="right", no_wrap=True, min_width=6)
        by_period = [{u.unit.unit_code: u for u in r.units} for r in results]
        for level, units in ranked(results[-1]):
            if level != "root":
                table.add_section()
                table.add_row(Text(level_name(level, options.lang), style="italic"))
            for unit in units:
                table.add_row(unit.unit.unit_name, *_series_cells(unit.unit.unit_code, by_period))
        return table


def provenance_caption(ruleset: Ruleset, options: ReportOptions) -> str | None:
    """Say when part of a score rests on assumed or merely documented formulas."""
    uncertain: dict[str, int] = {}
    for indicator in ruleset.indicators.values():
        if indicator.provenance != "verified":
            uncertain[indicator.provenance] = uncertain.get(indicator.provenance, 0) + 1
    if not uncertain:
        return None
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(uncertain.items()))
    if options.lang == "en":
        return f"Not verified against the portal: {counts} indicator(s) — dvc-score rulesets show {ruleset.id}"
    return f"Chưa đối chiếu với Cổng DVCQG: {counts} chỉ số — dvc-score rulesets show {ruleset.id}"


def _series_cells(code: str, by_period: list[dict[str, UnitResult]]) -> list[str | Text]:
    cells: list[str | Text] = []
    previous: Decimal | None = None
    for index, units in enumerate(by_period):
        unit = units.get(code)
        total = unit.total if unit else None
        cells.append(fmt(total))
        if index:
            cells.append(delta_text(total, previous))
        previous = total
    return cells


def delta_text(current: Decimal | None, previous: Decimal | None) -> Text:
    if current is None or previous is None:
        return Text("")
    change = current - previous
    if change > 0:
        return Text(f"▲{change:.2f}", style="green")
    if change < 0:
        return Text(f"▼{-change:.2f}", style="red")
    return Text("=0.00", style="dim")


def _class_name(unit: UnitResult, ruleset: Ruleset, options: ReportOptions) -> str:
    band = next((b for b in ruleset.classes if b.id == unit.class_id), None)
    if band is None:
        return ""
    return band.name_en if options.lang == "en" and band.name_en else band.name_vi
