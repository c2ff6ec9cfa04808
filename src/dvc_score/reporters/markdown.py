"""``--format markdown``: the summary and the tables, for a wiki, an issue or a pull request.

Numbers are written as the reader expects (``76,33``, ``70,06%`` with the
default ``--lang vi``). The statistics part is also the whole output of
``dvc-score stats --format markdown``.
"""

from __future__ import annotations

from collections.abc import Sequence

from dvc_score.analysis.numfmt import fmt_dec, fmt_pct
from dvc_score.analysis.stats_model import SHARES, LevelStats, StatsReport, UnitStats, rankings
from dvc_score.analysis.stats_summary import summary
from dvc_score.model.result import Result
from dvc_score.model.ruleset import Ruleset
from dvc_score.reporters.base import ReportOptions
from dvc_score.reporters.labels import group_name, level_name, stat_name, word
from dvc_score.reporters.views import (
    COMPACT_STAT_COLUMNS,
    Cell,
    View,
    cell_text,
    class_label,
    indicators_view,
    scores_view,
    series_view,
    stat_unit_name,
    stats_view,
)

SCORE_KEYS_HEAD = ("rank", "unit_code", "unit_name")
INDICATOR_KEYS = ("indicator", "numerator", "denominator", "ratio", "score", "max", "lost")


class MarkdownReporter:
    name = "markdown"
    description = "Markdown: summary, rankings per level, indicators, statistics."
    binary = False
    uses_stats = True  # run computes the statistics for it when the input has dossiers

    def render(self, results: Sequence[Result], ruleset: Ruleset, options: ReportOptions) -> str:
        lang = options.lang
        last = results[-1]
        title = ruleset.title_en if lang == "en" and ruleset.title_en else ruleset.title_vi
        periods = ", ".join(r.period.get("id", "") for r in results)
        parts = [
            f"# {title}",
            f"{word('ruleset', lang)} {ruleset.id} {ruleset.version} · {word('period', lang)}"
            f" {periods} · {word('source', lang)}: {last.data.get('source', '')}",
            *_summary(last, ruleset, lang),
            *_rankings(last, ruleset, lang),
            *_indicators(last, ruleset, lang),
        ]
        if len(results) > 1:
            parts += [f"## {word('series', lang)}", table(series_view(results, lang), lang)]
        if options.stats:
            parts += stats_markdown(options.stats[-1:], options)
        else:
            parts += [f"## {word('statistics', lang)}", f"> {word('no_stats', lang)}"]
        return "\n\n".join(parts) + "\n"


def _summary(result: Result, ruleset: Ruleset, lang: str) -> list[str]:
    parts = [f"## {word('summary', lang)}"]
    for unit in (u for u in result.units if not u.unit.parent_code):
        band = class_label(unit, ruleset, lang)
        parts.append(
            f"**{unit.unit.unit_name}: {fmt_dec(unit.total, lang)} /"
            f" {fmt_dec(ruleset.max_total, lang)} — {band}**"
        )
        rows = [
            f"| {group_name(g, lang)} | {fmt_dec(unit.groups[g.id].score, lang)} |"
            f" {fmt_dec(g.points, lang)} |"
            f" {fmt_pct(unit.groups[g.id].score / g.points if g.points else None, lang)} |"
            for g in ruleset.groups.values()
        ]
        head = (
            f"| {word('group', lang)} | {word('score', lang)} | {word('max', lang)} |"
            f" {word('ratio', lang)} |\n|---|---:|---:|---:|"
        )
        parts.append("\n".join([head, *rows]))
    return parts


def _rankings(result: Result, ruleset: Ruleset, lang: str) -> list[str]:
    view = scores_view([result], ruleset, lang)
    keys = [*SCORE_KEYS_HEAD, *ruleset.groups, "total", "class"]
    parts = [f"## {word('rankings', lang)}"]
    level_column = view.column("level")
    for level in _levels(view, level_column):
        parts.append(f"### {level}")
        rows = [row for row in view.rows if row[level_column] == level]
        parts.append(table(view, lang, keys, rows))
    return parts


def _levels(view: View, column: int) -> list[str]:
    seen: list[str] = []
    for row in view.rows:
        if row[column] not in seen:
            seen.append(str(row[column]))
    return seen


def _indicators(result: Result, ruleset: Ruleset, lang: str) -> list[str]:
    view = indicators_view([result], ruleset, lang)
    roots = {u.unit.unit_code for u in result.units if not u.unit.parent_code}
    parts = []
    for code in sorted(roots):
        rows = [row for row in view.rows if row[view.column("unit_code")] == code]
        unit = result.unit(code)
        name = unit.unit.unit_name if unit else code
        parts += [
            f"## {word('indicators', lang)} — {name}",
            table(view, lang, INDICATOR_KEYS, rows),
        ]
    return parts


def stats_markdown(reports: Sequence[StatsReport], options: ReportOptions) -> list[str]:
    """Summary sentences, totals, each level's units and its top / bottom tables."""
    lang = options.lang
    parts = []
    for report in reports:
        parts.append(f"## {word('statistics', lang)} · {report.period.get('id', '')}")
        for subject, lines in summary(report, lang).items():
            parts += [f"### {level_name(subject, lang)}", "\n\n".join(lines)]
        view = stats_view([report], lang)
        for level in report.levels:
            parts += _level_tables(view, level, lang, options.top)
    return parts


def _level_tables(view: View, level: LevelStats, lang: str, top: int) -> list[str]:
    label = level_name(level.level, lang)
    rows = [
        row
        for row in view.rows
        if row[view.column("level")] == label and row[view.column("unit_code")]
    ]
    return [
        f"### {label}",
        table(view, lang, COMPACT_STAT_COLUMNS, rows),
        *_ranking_tables(level, lang, top),
    ]


def _ranking_tables(level: LevelStats, lang: str, top: int) -> list[str]:
    grouped = level.level == "commune_group"
    lines = [
        f"| {word('indicator', lang)} | {word('top', lang)} | {word('bottom', lang)} |",
        "|---|---|---|",
    ]
    for ranking in rankings(level, top):
        cells = []
        for units in (ranking.top, ranking.bottom):
            cells.append(
                "; ".join(
                    f"{stat_unit_name(u, lang, grouped)} ({_measure(ranking.measure, u, lang)})"
                    for u in units
                )
            )
        lines.append(f"| {stat_name(ranking.measure, lang)} | {cells[0]} | {cells[1]} |")
    return ["\n".join(lines)]


def _measure(measure: str, unit: UnitStats, lang: str) -> str:
    value = unit.figures.value(measure)
    return cell_text(value, "ratio" if measure in SHARES else "count", lang)


def table(
    view: View,
    lang: str,
    keys: Sequence[str] | None = None,
    rows: Sequence[list[Cell]] | None = None,
) -> str:
    """A view (or some of its rows and columns) as a pipe table."""
    columns = [view.columns[view.column(k)] for k in keys] if keys else list(view.columns)
    indexes = [view.column(c.key) for c in columns]
    head = "| " + " | ".join(_escape(c.label) for c in columns) + " |"
    rule = "|" + "|".join("---:" if c.kind != "text" else "---" for c in columns) + "|"
    body = [
        "| "
        + " | ".join(
            _escape(cell_text(row[i], c.kind, lang)) for c, i in zip(columns, indexes, strict=True)
        )
        + " |"
        for row in (view.rows if rows is None else rows)
    ]
    return "\n".join([head, rule, *body])


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
