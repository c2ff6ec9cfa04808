"""``--format html``: one self-contained page with scores, rankings, charts and statistics.

Sections: the province's total and groups against their maxima, the points
short of the maximum per indicator, scores and group contributions of every
unit per level (charts), the trend when several periods are given, the
rankings per level, the province's indicators, and the dossier statistics when
the input had dossiers. Rankings and charts show the last period.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

from dvc_score.analysis.numfmt import fmt_dec, fmt_pct
from dvc_score.model.result import Result, UnitResult
from dvc_score.model.ruleset import Ruleset
from dvc_score.reporters.base import ReportOptions
from dvc_score.reporters.charts import PALETTE, Bar, Line, Stack, bar_chart, line_chart
from dvc_score.reporters.charts import stacked_chart as stacked
from dvc_score.reporters.html_page import figure, note, page, section, view_table
from dvc_score.reporters.html_stats import stats_sections
from dvc_score.reporters.labels import group_name, group_short, indicator_name, level_name, word
from dvc_score.reporters.table import ranked
from dvc_score.reporters.views import class_label, indicators_view, scores_view, series_view

CLASS_COLORS = ("#15803d", "#0d9488", "#2563eb", "#f59e0b", "#dc2626", "#6b7280")


class HtmlReporter:
    name = "html"
    description = "One self-contained HTML page: scores, rankings, charts, statistics."
    binary = False
    uses_stats = True  # run computes the statistics for it when the input has dossiers

    def render(self, results: Sequence[Result], ruleset: Ruleset, options: ReportOptions) -> str:
        return score_page(results, ruleset, options)


def score_page(results: Sequence[Result], ruleset: Ruleset, options: ReportOptions) -> str:
    lang = options.lang
    last = results[-1]
    title = ruleset.title_en if lang == "en" and ruleset.title_en else ruleset.title_vi
    sections = [
        _summary(last, ruleset, lang),
        _charts(last, ruleset, lang),
        _trend(results, ruleset, lang) if len(results) > 1 else "",
        _rankings(results, ruleset, lang),
        _indicators(last, ruleset, lang),
        *_statistics(options),
    ]
    return page(title, lang, _meta(results, ruleset, lang), sections)


def _meta(results: Sequence[Result], ruleset: Ruleset, lang: str) -> str:
    periods = ", ".join(r.period.get("id", "") for r in results)
    source = results[-1].data.get("source", "")
    return escape(
        f"{word('ruleset', lang)} {ruleset.id} {ruleset.version} · {word('period', lang)}"
        f" {periods} · {word('source', lang)}: {source}"
    )


def _fmt(lang: str) -> Callable[[float], str]:
    return lambda value: fmt_dec(value, lang)


def _summary(result: Result, ruleset: Ruleset, lang: str) -> str:
    parts = []
    for root in (u for u in result.units if not u.unit.parent_code):
        total = fmt_dec(root.total, lang)
        band = class_label(root, ruleset, lang)
        parts.append(
            f"<h3>{escape(root.unit.unit_name)}</h3>"
            f'<p><span class="big" data-unit="{escape(root.unit.unit_code)}"'
            f' data-value="{float(root.total)}">{total}</span>'
            f" / {fmt_dec(ruleset.max_total, lang)} · {escape(band)}</p>"
        )
        parts.append(_group_table(root, ruleset, lang))
        parts.append(figure(word("gaps", lang), _gaps_chart(root, ruleset, lang)))
    return section("summary", word("summary", lang), *parts)


def _group_table(unit: UnitResult, ruleset: Ruleset, lang: str) -> str:
    rows = []
    for group in ruleset.groups.values():
        scored = unit.groups[group.id]
        share = scored.score / scored.max if scored.max else None
        rows.append(
            f'<tr data-group="{group.id}"><td>{escape(group_name(group, lang))}</td>'
            f'<td class="num" data-value="{float(scored.score)}">{fmt_dec(scored.score, lang)}</td>'
            f'<td class="num">{fmt_dec(scored.max, lang)}</td>'
            f'<td class="num">{fmt_pct(share, lang)}</td></tr>'
        )
    head = "".join(
        f"<th{c}>{escape(t)}</th>"
        for c, t in (
            ("", word("group", lang)),
            (' class="num"', word("score", lang)),
            (' class="num"', word("max", lang)),
            (' class="num"', word("ratio", lang)),
        )
    )
    return (
        f'<div class="scroll"><table class="groups"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _gaps_chart(unit: UnitResult, ruleset: Ruleset, lang: str) -> str:
    """Points short of the maximum, indicator by indicator, largest first."""
    colors = {gid: PALETTE[i % len(PALETTE)] for i, gid in enumerate(ruleset.groups)}
    gaps = sorted(
        (
            (scored.lost, ruleset.indicators[iid])
            for iid, scored in unit.indicators.items()
            if iid in ruleset.indicators and scored.lost > 0
        ),
        key=lambda pair: (-pair[0], pair[1].id),
    )
    bars = [
        Bar(
            indicator_name(ind, lang),
            float(lost),
            colors.get(ind.group, PALETTE[0]),
            f"−{fmt_dec(lost, lang)} / {fmt_dec(ind.points, lang)}",
        )
        for lost, ind in gaps
    ]
    maximum = float(max((ind.points for _, ind in gaps), default=Decimal(1)))
    return bar_chart(bars, maximum, word("gaps", lang), _fmt(lang))


def _charts(result: Result, ruleset: Ruleset, lang: str) -> str:
    parts = []
    names = [group_short(g, lang) for g in ruleset.groups.values()]
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(names))]
    for level, units in ranked(result):
        if level == "root":
            continue
        label = level_name(level, lang)
        bars = [Bar(u.unit.unit_name, float(u.total), _class_color(u, ruleset)) for u in units]
        stacks = [
            Stack(u.unit.unit_name, tuple(float(u.groups[g].score) for g in ruleset.groups))
            for u in units
        ]
        maximum = float(ruleset.max_total)
        parts.append(f"<h3>{escape(label)}</h3>")
        caption = f"{word('scores_by_unit', lang)} — {label}"
        parts.append(figure(caption, bar_chart(bars, maximum, caption, _fmt(lang))))
        caption = f"{word('group_contributions', lang)} — {label}"
        chart = stacked(stacks, names, colors, maximum, caption, _fmt(lang))
        parts.append(figure(caption, chart))
    return section("charts", word("charts", lang), *parts)


def _class_color(unit: UnitResult, ruleset: Ruleset) -> str:
    bands = sorted(ruleset.classes, key=lambda b: b.min, reverse=True)
    index = next((i for i, b in enumerate(bands) if b.id == unit.class_id), len(bands))
    return CLASS_COLORS[min(index, len(CLASS_COLORS) - 1)]


def _trend(results: Sequence[Result], ruleset: Ruleset, lang: str) -> str:
    periods = [r.period.get("id", str(i)) for i, r in enumerate(results)]
    roots = [u.unit.unit_code for u in results[-1].units if not u.unit.parent_code]
    totals = []
    for index, code in enumerate(roots):
        values = tuple(_total(r, code) for r in results)
        name = results[-1].unit(code)
        label = name.unit.unit_name if name else code
        totals.append(Line(label, values, PALETTE[index % len(PALETTE)]))
    caption = f"{word('trend', lang)} — {word('total', lang)}"
    first = line_chart(periods, totals, float(ruleset.max_total), caption, _fmt(lang))
    groups = [
        Line(
            group_short(group, lang),
            tuple(_group_score(r, roots[0], group.id) for r in results),
            PALETTE[i % len(PALETTE)],
        )
        for i, group in enumerate(ruleset.groups.values())
    ]
    top = float(max((g.points for g in ruleset.groups.values()), default=Decimal(1)))
    caption2 = f"{word('trend', lang)} — {word('group', lang)}"
    second = line_chart(periods, groups, top, caption2, _fmt(lang))
    return section("trend", word("trend", lang), figure(caption, first), figure(caption2, second))


def _total(result: Result, code: str) -> float | None:
    unit = result.unit(code)
    return None if unit is None else float(unit.total)


def _group_score(result: Result, code: str, group_id: str) -> float | None:
    unit = result.unit(code)
    return None if unit is None else float(unit.groups[group_id].score)


def _rankings(results: Sequence[Result], ruleset: Ruleset, lang: str) -> str:
    scores = scores_view([results[-1]], ruleset, lang)
    parts = [view_table(scores, lang, table_id="scores")]
    if len(results) > 1:
        parts.append(f"<h3>{escape(word('series', lang))}</h3>")
        parts.append(view_table(series_view(results, lang), lang, table_id="series"))
    return section("rankings", word("rankings", lang), *parts)


def _indicators(result: Result, ruleset: Ruleset, lang: str) -> str:
    roots = Result(
        result.ruleset_id,
        result.ruleset_version,
        result.ruleset_title,
        result.period,
        [u for u in result.units if not u.unit.parent_code],
        result.data,
    )
    view = indicators_view([roots], ruleset, lang)
    keys = ["unit_name", "indicator", "numerator", "denominator", "ratio", "score", "max", "lost"]
    return section(
        "indicators", word("indicators", lang), view_table(view, lang, keys, "indicators")
    )


def _statistics(options: ReportOptions) -> list[str]:
    if not options.stats:
        return [
            section("stats", word("statistics", options.lang), note(word("no_stats", options.lang)))
        ]
    return stats_sections(options.stats[-1], options)
