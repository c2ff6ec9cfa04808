"""Render ``dvc-score explain``: a terminal text, a JSON document or Markdown.

The gain sentences are the point of the command, so they are written out in
full ("147 more dossiers on time … raise the score by one point").
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from dvc_score import __version__
from dvc_score.analysis.explain import Explanation, Gain, item_kind, measure_text
from dvc_score.analysis.numfmt import fmt_dec, fmt_int, fmt_pct
from dvc_score.model.result import REPORT_VERSION
from dvc_score.model.ruleset import Ruleset
from dvc_score.model.schema import TABLES
from dvc_score.reporters.labels import indicator_name, word

ITEMS = {
    "vi": {
        "dossier": "hồ sơ",
        "petition": "phản ánh, kiến nghị",
        "procedure": "TTHC",
        "service": "DVC",
        "unit": "đơn vị",
    },
    "en": {
        "dossier": "dossiers",
        "petition": "petitions",
        "procedure": "procedures",
        "service": "services",
        "unit": "units",
    },
}


def items_word(explanation: Explanation, lang: str) -> str:
    measure = explanation.indicator.numerator
    kind = item_kind(measure, TABLES[measure.table].key)
    return ITEMS["en" if lang == "en" else "vi"].get(kind, kind)


def gain_sentences(explanation: Explanation, lang: str) -> list[str]:
    """What it would take to gain points, in words."""
    gain, scored = explanation.gain, explanation.score
    name = indicator_name(explanation.indicator, lang)
    items = items_word(explanation, lang)
    vi = lang != "en"
    if gain.status == "empty":
        return [
            "Mẫu số bằng 0: điểm theo quy tắc mẫu số rỗng; không có gì để cải thiện."
            if vi
            else "The denominator is empty: the empty-denominator rule gives the score."
        ]
    if gain.status == "max":
        return ["Đã đạt điểm tối đa." if vi else "Already at the maximum."]
    lines = []
    if gain.one_point is not None:
        lines.append(
            f"Thêm {fmt_int(gain.one_point, lang)} {items} đạt tử số ({name}), giữ nguyên mẫu số"
            f" {fmt_int(scored.denominator, lang)} → tăng 1 điểm (lên"
            f" {fmt_dec(gain.one_point_score, lang)})."
            if vi
            else f"{fmt_int(gain.one_point, lang)} more {items} counted in the numerator ({name})"
            f" at the same denominator {fmt_int(scored.denominator, lang)} raise the score by one"
            f" point (to {fmt_dec(gain.one_point_score, lang)})."
        )
    lines.append(_to_max(gain, explanation, items, lang))
    target = _target(gain, explanation, lang)
    return [*lines, *([target] if target else [])]


def _to_max(gain: Gain, explanation: Explanation, items: str, lang: str) -> str:
    top = fmt_dec(explanation.score.max, lang)
    if gain.to_max is None:
        if lang == "en":
            return "The maximum cannot be reached at this denominator."
        return "Không thể đạt tối đa với mẫu số hiện tại."
    if lang == "en":
        return f"{fmt_int(gain.to_max, lang)} more {items} reach the maximum ({top})."
    return f"Thêm {fmt_int(gain.to_max, lang)} {items} → đạt tối đa ({top} điểm)."


def _target(gain: Gain, explanation: Explanation, lang: str) -> str:
    target = explanation.indicator.params.get("target")
    if gain.target_count is None or target is None:
        return ""
    count = fmt_int(gain.target_count, lang)
    if lang == "en":
        return (
            f"Target {fmt_pct(target, lang)}: the ratio meets it at ceil({target} ×"
            f" {explanation.score.denominator}) = {count}; beyond that the score is capped."
        )
    return (
        f"Mục tiêu {fmt_pct(target, lang)}: tỷ lệ đạt mục tiêu khi tử số ="
        f" ⌈{target} × {explanation.score.denominator}⌉ = {count}; vượt mức này điểm không tăng."
    )


def render_text(explanations: Sequence[Explanation], lang: str, width: int = 100) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    for explanation in explanations:
        _print_one(console, explanation, lang)
    return buffer.getvalue()


def _print_one(console: Console, explanation: Explanation, lang: str) -> None:
    ind, scored = explanation.indicator, explanation.score
    console.rule(escape(f"{ind.id} — {indicator_name(ind, lang)} [{scored.provenance}]"))
    if ind.description:
        console.print(escape(ind.description))
    console.print(f"{word('numerator', lang)}: {escape(measure_text(ind.numerator))}")
    console.print(f"{word('denominator', lang)}: {escape(measure_text(ind.denominator))}")
    console.print(
        f"{fmt_int(scored.numerator, lang)} / {fmt_int(scored.denominator, lang)}"
        f" = {fmt_pct(scored.ratio, lang)} → {word('score', lang)} {fmt_dec(scored.score, lang)}"
        f" / {fmt_dec(scored.max, lang)} ({word('lost', lang)} {fmt_dec(explanation.lost, lang)})"
    )
    if explanation.counted_unit != explanation.unit.unit_code:
        console.print(_root_note(explanation, lang))
    if not explanation.drilled:
        console.print(_no_rows(lang))
    if explanation.losses:
        console.print(_loss_table(explanation, lang))
    if explanation.ids:
        shown = ", ".join(loss.id for loss in explanation.ids)
        total = fmt_int(explanation.loss_total, lang)
        console.print(f"{_ids_label(lang)} ({len(explanation.ids)}/{total}): {escape(shown)}")
    for line in gain_sentences(explanation, lang):
        console.print(f"→ {escape(line)}")
    console.print()


def _root_note(explanation: Explanation, lang: str) -> str:
    code = explanation.counted_unit
    if lang == "en":
        return f"(a province-wide indicator: counted for {code} and shown on every unit)"
    return f"(chỉ số cấp tỉnh: tính cho {code} và hiển thị cho mọi đơn vị)"


def _no_rows(lang: str) -> str:
    if lang == "en":
        return "(the input holds counts: give --data with dossiers to see the rows behind the loss)"
    return "(đầu vào là số liệu tổng hợp: cần --data có hồ sơ để xem các hồ sơ gây mất điểm)"


def _ids_label(lang: str) -> str:
    return "Ids behind the loss" if lang == "en" else "Mã hồ sơ/mục gây mất điểm"


def _loss_table(explanation: Explanation, lang: str) -> Table:
    distinct = explanation.indicator.denominator.is_distinct
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("code" if lang == "en" else "mã")
    table.add_column("name" if lang == "en" else "tên", overflow="ellipsis", max_width=60)
    if not distinct:
        table.add_column(_lost_rows(lang), justify="right")
        table.add_column(word("denominator", lang), justify="right")
    for loss in explanation.losses:
        cells = [loss.code, loss.name]
        if not distinct:
            cells += [fmt_int(loss.lost, lang), fmt_int(loss.denominator, lang)]
        table.add_row(*cells)
    return table


def _lost_rows(lang: str) -> str:
    return "not in numerator" if lang == "en" else "ngoài tử số"


def explain_document(
    explanations: Sequence[Explanation],
    ruleset: Ruleset,
    period: dict[str, str],
    data: dict[str, str],
    lang: str,
) -> dict[str, Any]:
    unit = explanations[0].unit if explanations else None
    return {
        "report_version": REPORT_VERSION,
        "kind": "explain",
        "tool": {"name": "dvc-score", "version": __version__},
        "ruleset": {"id": ruleset.id, "version": ruleset.version},
        "period": period,
        "data": data,
        "unit": None
        if unit is None
        else {"unit_code": unit.unit_code, "unit_name": unit.unit_name, "level": unit.level},
        "indicators": [_indicator_json(e, lang) for e in explanations],
    }


def _indicator_json(explanation: Explanation, lang: str) -> dict[str, Any]:
    ind, scored, gain = explanation.indicator, explanation.score, explanation.gain
    return {
        "id": ind.id,
        "name": indicator_name(ind, lang),
        "group": ind.group,
        "description": ind.description,
        "provenance": ind.provenance,
        "scoring": {"shape": ind.scoring, "params": {k: float(v) for k, v in ind.params.items()}},
        "empty": ind.empty,
        "filters": {
            side: {"table": m.table, "where": m.where, "count": m.count}
            for side, m in (("numerator", ind.numerator), ("denominator", ind.denominator))
        },
        "counted_unit": explanation.counted_unit,
        **scored.to_json(),
        "lost": float(scored.lost),
        "drilled": explanation.drilled,
        "loss_total": explanation.loss_total,
        "losses": [
            {"code": x.code, "name": x.name, "lost": x.lost, "denominator": x.denominator}
            for x in explanation.losses
        ],
        "ids": [x.id for x in explanation.ids],
        "ids_total": explanation.loss_total,
        "gain": _gain_json(gain),
        "gain_text": gain_sentences(explanation, lang),
    }


def _gain_json(gain: Gain) -> dict[str, Any]:
    def number(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return {
        "status": gain.status,
        "per_item": None if gain.per_item is None else round(float(gain.per_item), 6),
        "one_point": gain.one_point,
        "one_point_score": number(gain.one_point_score),
        "to_max": gain.to_max,
        "target_count": gain.target_count,
    }


def render_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_markdown(explanations: Sequence[Explanation], lang: str) -> str:
    parts = []
    for explanation in explanations:
        ind, scored = explanation.indicator, explanation.score
        parts.append(f"## {ind.id} — {indicator_name(ind, lang)}")
        if ind.description:
            parts.append(ind.description)
        parts.append(
            f"- {word('numerator', lang)}: `{measure_text(ind.numerator)}`\n"
            f"- {word('denominator', lang)}: `{measure_text(ind.denominator)}`\n"
            f"- {fmt_int(scored.numerator, lang)} / {fmt_int(scored.denominator, lang)} ="
            f" {fmt_pct(scored.ratio, lang)} → **{fmt_dec(scored.score, lang)}** /"
            f" {fmt_dec(scored.max, lang)} ({word('lost', lang)} {fmt_dec(explanation.lost, lang)})"
        )
        if not explanation.drilled:
            parts.append(_no_rows(lang))
        if explanation.losses:
            rows = [
                f"| {x.code} | {x.name.replace('|', '/')} | {fmt_int(x.lost, lang)} |"
                for x in explanation.losses
            ]
            parts.append("\n".join([f"| code | | {_lost_rows(lang)} |", "|---|---|---:|", *rows]))
        if explanation.ids:
            ids = ", ".join(f"`{x.id}`" for x in explanation.ids)
            parts.append(f"{_ids_label(lang)} ({explanation.loss_total}): {ids}")
        parts.append("\n".join(f"- {line}" for line in gain_sentences(explanation, lang)))
    return "\n\n".join(parts) + "\n"
