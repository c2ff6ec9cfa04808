"""The report's tables, built once and rendered by every file format.

A :class:`View` is a header and rows of typed cells (text, count, score,
ratio). The csv, markdown, html and xlsx reporters all render the same views,
so a number can only differ between formats in how it is written, never in
what it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from dvc_score.analysis.numfmt import fmt_dec, fmt_int, fmt_pct
from dvc_score.analysis.stats_model import (
    COUNTS,
    SHARES,
    Figures,
    StatsReport,
    UnitStats,
    rankings,
)
from dvc_score.model.result import Result, UnitResult
from dvc_score.model.ruleset import Ruleset
from dvc_score.reporters.labels import (
    commune_group_name,
    group_name,
    indicator_name,
    level_name,
    stat_name,
    word,
)
from dvc_score.reporters.table import ranked

Kind = Literal["text", "count", "score", "ratio"]
Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Col:
    key: str
    """Stable machine name (the csv header)."""
    label: str
    kind: Kind = "text"


@dataclass
class View:
    id: str
    title: str
    columns: list[Col]
    rows: list[list[Cell]] = field(default_factory=list)

    def column(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


def class_label(unit: UnitResult, ruleset: Ruleset, lang: str) -> str:
    band = next((b for b in ruleset.classes if b.id == unit.class_id), None)
    if band is None:
        return ""
    return band.name_en if lang == "en" and band.name_en else band.name_vi


def scores_view(results: Sequence[Result], ruleset: Ruleset, lang: str) -> View:
    """One row per unit (per period): rank in its level, group scores, total, class."""
    columns = [
        Col("period", word("period", lang)),
        Col("level", word("level", lang)),
        Col("rank", word("rank", lang), "count"),
        Col("unit_code", word("unit_code", lang)),
        Col("unit_name", word("unit", lang)),
        *(
            Col(g.id, f"{group_name(g, lang)} /{g.points}", "score")
            for g in ruleset.groups.values()
        ),
        Col("total", f"{word('total', lang)} /{ruleset.max_total}", "score"),
        Col("class", word("class", lang)),
    ]
    view = View("scores", word("summary", lang), columns)
    for result in results:
        for level, units in ranked(result):
            for rank, unit in enumerate(units, start=1):
                view.rows.append(
                    [
                        result.period.get("id", ""),
                        level_name(unit.unit.level, lang),
                        None if level == "root" else rank,
                        unit.unit.unit_code,
                        unit.unit.unit_name,
                        *(unit.groups[g].score for g in ruleset.groups),
                        unit.total,
                        class_label(unit, ruleset, lang),
                    ]
                )
    return view


def indicators_view(results: Sequence[Result], ruleset: Ruleset, lang: str) -> View:
    """The long table: one row per unit and indicator (per period)."""
    columns = [
        Col("period", word("period", lang)),
        Col("unit_code", word("unit_code", lang)),
        Col("unit_name", word("unit", lang)),
        Col("group", word("group", lang)),
        Col("indicator_id", "id"),
        Col("indicator", word("indicator", lang)),
        Col("numerator", word("numerator", lang), "count"),
        Col("denominator", word("denominator", lang), "count"),
        Col("ratio", word("ratio", lang), "ratio"),
        Col("score", word("score", lang), "score"),
        Col("max", word("max", lang), "score"),
        Col("lost", word("lost", lang), "score"),
        Col("status", word("status", lang)),
        Col("provenance", word("provenance", lang)),
    ]
    view = View("indicators", word("indicators", lang), columns)
    for result in results:
        for unit in result.units:
            for indicator_id, scored in unit.indicators.items():
                indicator = ruleset.indicators.get(indicator_id)
                group = ruleset.groups.get(indicator.group) if indicator else None
                view.rows.append(
                    [
                        result.period.get("id", ""),
                        unit.unit.unit_code,
                        unit.unit.unit_name,
                        group_name(group, lang) if group else "",
                        indicator_id,
                        indicator_name(indicator, lang) if indicator else indicator_id,
                        scored.numerator,
                        scored.denominator,
                        scored.ratio,
                        scored.score,
                        scored.max,
                        scored.lost,
                        scored.status,
                        scored.provenance,
                    ]
                )
    return view


def series_view(results: Sequence[Result], lang: str) -> View:
    """Totals side by side, one column per period, with the change over the whole series."""
    periods = [r.period.get("id", str(i)) for i, r in enumerate(results)]
    columns = [
        Col("unit_code", word("unit_code", lang)),
        Col("unit_name", word("unit", lang)),
        Col("level", word("level", lang)),
        *(Col(f"total:{p}", p, "score") for p in periods),
        Col("change", word("change", lang), "score"),
    ]
    view = View("series", word("series", lang), columns)
    by_period = [{u.unit.unit_code: u for u in r.units} for r in results]
    for _, units in ranked(results[-1]):
        for unit in units:
            code = unit.unit.unit_code
            totals = [p[code].total if code in p else None for p in by_period]
            change = None if totals[0] is None or totals[-1] is None else totals[-1] - totals[0]
            view.rows.append(
                [code, unit.unit.unit_name, level_name(unit.unit.level, lang), *totals, change]
            )
    return view


STAT_COLUMNS: tuple[str, ...] = (*COUNTS, "procedures", *SHARES)
# The statistics columns html and markdown show; the xlsx and csv carry them all.
COMPACT_STAT_COLUMNS = (
    "unit_name",
    "received",
    "procedures",
    "online_share",
    "direct_share",
    "postal_share",
    "carried_over",
    "to_process",
    "resolved",
    "resolved_share",
    "early_share",
    "on_time_share",
    "late_share",
    "late",
    "in_progress",
    "overdue",
    "postal_received",
    "postal_returned",
)


def stats_view(reports: Sequence[StatsReport], lang: str) -> View:
    """Every unit's figures (its subtree), with a total row before each level."""
    columns = [
        Col("period", word("period", lang)),
        Col("level", word("level", lang)),
        Col("unit_code", word("unit_code", lang)),
        Col("unit_name", word("unit", lang)),
        *(
            Col(name, stat_name(name, lang), "ratio" if name in SHARES else "count")
            for name in STAT_COLUMNS
        ),
    ]
    view = View("stats", word("statistics", lang), columns)
    for report in reports:
        period = report.period.get("id", "")
        for root in report.roots:
            view.rows.append([period, level_name(root.unit.level, lang), *_stat_cells(root, lang)])
        for level in report.levels:
            label = level_name(level.level, lang)
            total = f"{word('level_total', lang)}: {label}"
            view.rows.append([period, label, "", total, *_figure_cells(level.figures)])
            for unit in level.units:
                cells = _stat_cells(unit, lang, level.level == "commune_group")
                view.rows.append([period, label, *cells])
    return view


def stat_unit_name(unit: UnitStats, lang: str, grouped: bool) -> str:
    return commune_group_name(unit.unit.unit_name, lang) if grouped else unit.unit.unit_name


def _stat_cells(unit: UnitStats, lang: str, grouped: bool = False) -> list[Cell]:
    name = stat_unit_name(unit, lang, grouped)
    return [unit.unit.unit_code, name, *_figure_cells(unit.figures)]


def _figure_cells(figures: Figures) -> list[Cell]:
    cells: list[Cell] = [figures[name] for name in COUNTS]
    cells.append(figures.procedures)
    cells.extend(figures.share(name) for name in SHARES)
    return cells


def cell_text(value: Cell, kind: Kind, lang: str) -> str:
    """A cell as a person reads it: ``99.854``, ``76,33``, ``70,06%`` in Vietnamese."""
    if value is None:
        return "–" if kind != "text" else ""
    if kind == "count" and isinstance(value, int):
        return fmt_int(value, lang)
    if kind == "score" and not isinstance(value, str):
        return fmt_dec(value, lang)
    if kind == "ratio" and not isinstance(value, str):
        return fmt_pct(value, lang)
    return str(value)


def rankings_view(reports: Sequence[StatsReport], lang: str, top: int) -> View:
    """Top-N and bottom-N of every ranked measure, per level (Biểu 1–12), as one long table."""
    columns = [
        Col("period", word("period", lang)),
        Col("level", word("level", lang)),
        Col("measure", word("indicator", lang)),
        Col("side", word("rankings", lang)),
        Col("rank", word("rank", lang), "count"),
        Col("unit_code", word("unit_code", lang)),
        Col("unit_name", word("unit", lang)),
        Col("count", word("value", lang), "count"),
        Col("ratio", word("ratio", lang), "ratio"),
    ]
    view = View("rankings", word("rankings", lang), columns)
    for report in reports:
        for level in report.levels:
            grouped = level.level == "commune_group"
            for ranking in rankings(level, top):
                for side, units in (("top", ranking.top), ("bottom", ranking.bottom)):
                    for rank, unit in enumerate(units, start=1):
                        value = unit.figures.value(ranking.measure)
                        shared = ranking.measure in SHARES
                        view.rows.append(
                            [
                                report.period.get("id", ""),
                                level_name(level.level, lang),
                                stat_name(ranking.measure, lang),
                                word(side, lang),
                                rank,
                                unit.unit.unit_code,
                                stat_unit_name(unit, lang, grouped),
                                None if shared else value,
                                value if shared else None,
                            ]
                        )
    return view
