"""The statistics part of the HTML report (also the whole page of ``stats --format html``).

Per period: the summary sentences, the level totals, then for each level the
units' figures, the online share chart and the top-N / bottom-N tables of the
quarterly report (Biểu 1–12).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from dvc_score.analysis.numfmt import fmt_int, fmt_pct
from dvc_score.analysis.stats_model import (
    SHARES,
    LevelStats,
    Ranking,
    StatsReport,
    UnitStats,
    rankings,
)
from dvc_score.analysis.stats_summary import summary
from dvc_score.reporters.base import ReportOptions
from dvc_score.reporters.charts import Bar, bar_chart
from dvc_score.reporters.html_page import figure, page, paragraphs, section, view_table
from dvc_score.reporters.labels import level_name, stat_name, word
from dvc_score.reporters.views import COMPACT_STAT_COLUMNS, View, stat_unit_name, stats_view


def stats_page(reports: Sequence[StatsReport], options: ReportOptions) -> str:
    """The standalone statistics page, every period in turn."""
    lang = options.lang
    title = word("statistics", lang)
    periods = ", ".join(r.period.get("id", "") for r in reports)
    source = reports[0].data.get("source", "") if reports else ""
    meta = escape(f"{word('period', lang)} {periods} · {word('source', lang)}: {source}")
    sections = [part for report in reports for part in stats_sections(report, options)]
    return page(title, lang, meta, sections)


def stats_sections(report: StatsReport, options: ReportOptions) -> list[str]:
    lang = options.lang
    period = report.period.get("id", "")
    suffix = f"-{_slug(period)}"
    heading = f"{word('statistics', lang)} · {period}"
    sentences = summary(report, lang)
    overview = [
        f"<h3>{escape(level_name(level, lang))}</h3>{paragraphs(lines)}"
        for level, lines in sentences.items()
    ]
    full = stats_view([report], lang)
    sections = [
        section("stats" + suffix, heading, *overview, _totals_table(full, report, lang, suffix))
    ]
    for level in report.levels:
        sections.append(_level_section(level, full, options, suffix))
    return sections


def _totals_table(full: View, report: StatsReport, lang: str, suffix: str) -> str:
    """Province and level totals only: the rows of the full view that carry no unit."""
    roots = {u.unit.unit_code for u in report.roots}
    code = full.column("unit_code")
    view = View(full.id, full.title, full.columns)
    view.rows = [row for row in full.rows if row[code] in roots or not row[code]]
    keys = ("level", *COMPACT_STAT_COLUMNS[1:])
    return view_table(view, lang, keys, "stats-totals" + suffix)


def _level_section(level: LevelStats, full: View, options: ReportOptions, suffix: str) -> str:
    lang = options.lang
    grouped = level.level == "commune_group"
    level_label = level_name(level.level, lang)
    view = View(full.id, full.title, full.columns)
    view.rows = [
        row
        for row in full.rows
        if row[full.column("level")] == level_label and row[full.column("unit_code")]
    ]
    bars = [
        Bar(stat_unit_name(u, lang, grouped), float(u.figures.share("online_share") or 0))
        for u in sorted(level.units, key=lambda u: -(u.figures.share("online_share") or 0))
    ]
    caption = f"{stat_name('online_share', lang)} — {level_label}"
    chart = bar_chart(bars, 1.0, caption, lambda v: fmt_pct(v, lang))
    cards = [_ranking_card(r, lang, grouped) for r in rankings(level, options.top)]
    return section(
        f"stats-{level.level}{suffix}",
        f"{word('statistics', lang)} · {level_label}",
        view_table(view, lang, COMPACT_STAT_COLUMNS, f"stats-{level.level}{suffix}-table"),
        figure(caption, chart),
        f'<div class="cards">{"".join(cards)}</div>',
    )


def _ranking_card(ranking: Ranking, lang: str, grouped: bool) -> str:
    lists = "".join(
        _ranking_list(word(side, lang), units, ranking.measure, lang, grouped)
        for side, units in (("top", ranking.top), ("bottom", ranking.bottom))
    )
    return (
        f'<div class="card" data-measure="{ranking.measure}">'
        f"<h4>{escape(stat_name(ranking.measure, lang))}</h4>"
        f'<div class="pair">{lists}</div></div>'
    )


def _ranking_list(
    heading: str, units: Sequence[UnitStats], measure: str, lang: str, grouped: bool
) -> str:
    rows = "".join(
        f"<tr><td>{index}. {escape(stat_unit_name(unit, lang, grouped))}</td>"
        f'<td class="num">{_measure_text(measure, unit.figures.value(measure), lang)}</td></tr>'
        for index, unit in enumerate(units, start=1)
    )
    return f'<table><thead><tr><th colspan="2">{escape(heading)}</th></tr></thead><tbody>{rows}</tbody></table>'


def _measure_text(measure: str, value: Decimal | int | None, lang: str) -> str:
    if value is None:
        return "–"
    if measure in SHARES:
        return fmt_pct(value, lang)
    return fmt_int(int(value), lang)


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text)
