"""Render a :class:`~dvc_score.reporters.compare.Comparison`: Rich table, JSON, Markdown.

The JSON document is a contract for CI (``report_version`` 1, ``kind`` comparison);
the table and Markdown are for people and may change.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dvc_score.reporters.compare import (
    Change,
    Comparison,
    Failure,
    IndicatorChange,
    Notice,
    Num,
    ResultMeta,
    UnitChange,
    UnitRef,
)

COMPARISON_REPORT_VERSION = 1
TOP_UNITS = 10


# --- numbers ----------------------------------------------------------------------------------


def fmt_value(value: Num | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def fmt_count(value: Num | None) -> str:
    if value is None:
        return "n/a"
    return str(int(value)) if float(value).is_integer() else str(value)


def fmt_delta(delta: float | None, digits: int = 2) -> str:
    """``▲ +1.25``, ``▼ -0.50`` or ``=``; arrows survive where colour does not (CI logs)."""
    if delta is None:
        return "n/a"
    if delta == 0:
        return "="
    arrow = "▲" if delta > 0 else "▼"
    return f"{arrow} {delta:+.{digits}f}"


def _delta_text(delta: float | None, digits: int = 2) -> Text:
    style = "dim" if not delta else ("green" if delta > 0 else "red")
    return Text(fmt_delta(delta, digits), style=style)


def _change_delta(change: Change) -> str:
    if change.present != "both":
        return f"only in {change.present}"
    return fmt_delta(change.delta)


# --- JSON -------------------------------------------------------------------------------------


def render_json(comparison: Comparison) -> str:
    return json.dumps(comparison_document(comparison), ensure_ascii=False, indent=2)


def comparison_document(comparison: Comparison) -> dict[str, Any]:
    return {
        "report_version": COMPARISON_REPORT_VERSION,
        "kind": "comparison",
        "base": _meta(comparison.base),
        "head": _meta(comparison.head),
        "units": [_unit(unit) for unit in comparison.units],
        "only_in_base": [_ref(ref) for ref in comparison.only_in_base],
        "only_in_head": [_ref(ref) for ref in comparison.only_in_head],
        "warnings": [{"kind": n.kind, "message": n.message} for n in comparison.warnings],
        "failures": [_failure(failure) for failure in comparison.failures],
    }


def _meta(meta: ResultMeta) -> dict[str, Any]:
    series = None if meta.series_size is None else {"results": meta.series_size}
    return {"file": meta.file, "report_version": meta.report_version, **meta.raw, "series": series}


def _change(change: Change) -> dict[str, Any]:
    return {"base": change.base, "head": change.head, "delta": change.delta}


def _unit(unit: UnitChange) -> dict[str, Any]:
    return {
        "unit_code": unit.code,
        "unit_name": unit.name,
        "level": unit.level,
        "changed": unit.changed,
        "total": _change(unit.total),
        "class": {"base": unit.class_base, "head": unit.class_head},
        "groups": {gid: {"present": c.present, **_change(c)} for gid, c in unit.groups.items()},
        "indicators": {iid: _indicator(c) for iid, c in unit.indicators.items()},
    }


def _indicator(change: IndicatorChange) -> dict[str, Any]:
    parts = {
        "score": change.score,
        "numerator": change.numerator,
        "denominator": change.denominator,
        "ratio": change.ratio,
    }
    return {"present": change.present, **{name: _change(c) for name, c in parts.items()}}


def _ref(ref: UnitRef) -> dict[str, Any]:
    return {"unit_code": ref.code, "unit_name": ref.name, "level": ref.level, "total": ref.total}


def _failure(failure: Failure) -> dict[str, Any]:
    relative = failure.relative_pct
    return {
        "unit_code": failure.unit_code,
        "unit_name": failure.unit_name,
        "level": failure.level,
        "target": failure.target,
        "threshold": failure.threshold,
        "base": failure.base,
        "head": failure.head,
        "delta": failure.delta,
        # -inf (a fall from a base of 0) is not valid JSON; null means "unbounded".
        "relative_change_pct": relative if relative is None or math.isfinite(relative) else None,
    }


def failure_line(failure: Failure) -> str:
    """One line per failure, for the CheckFailed message on stderr."""
    if failure.head is None:
        return f"{failure.unit_code} {failure.unit_name}: missing from HEAD ({failure.threshold})"
    return (
        f"{failure.unit_code} {failure.unit_name}: {failure.target} "
        f"{fmt_value(failure.base)} -> {fmt_value(failure.head)} "
        f"(delta {fmt_delta(failure.delta)}{_relative(failure)}) breaks {failure.threshold}"
    )


def _relative(failure: Failure) -> str:
    relative = failure.relative_pct
    if relative is None or failure.base == 0:
        return ""
    return f", {relative:+.2f}%"


# --- Markdown ---------------------------------------------------------------------------------


def render_markdown(comparison: Comparison, top: int = TOP_UNITS) -> str:
    sections = [
        _md_headline(comparison),
        _md_movers("Biggest falls", _movers(comparison.units, falls=True)[:top]),
        _md_movers("Biggest rises", _movers(comparison.units, falls=False)[:top]),
        _md_groups(comparison.units),
        _md_list("Warnings", [notice.message for notice in comparison.warnings]),
        _md_failures(comparison.failures),
    ]
    return "\n\n".join(sections) + "\n"


def _md_headline(comparison: Comparison) -> str:
    base, head = comparison.base, comparison.head
    title = f"## dvc-score compare: {base.period_id} → {head.period_id}"
    lines = [title, "", _md_total_line(comparison.units), "", _md_summary(comparison)]
    return "\n".join(lines)


def _md_total_line(units: Sequence[UnitChange]) -> str:
    if not units:
        return "No unit appears in both files."
    unit = units[0]  # sorted province first
    total = unit.total
    return (
        f"**{_md_cell(unit.code)} {_md_cell(unit.name)}: total {fmt_value(total.base)} → "
        f"{fmt_value(total.head)} ({fmt_delta(total.delta)})**, "
        f"class {unit.class_base} → {unit.class_head}"
    )


def _md_summary(comparison: Comparison) -> str:
    head = comparison.head
    counts = (
        f"ruleset `{head.ruleset_id}` {head.ruleset_version} · {len(comparison.units)} units "
        f"compared · {len(comparison.changed_units)} changed · "
        f"{len(comparison.only_in_base)} only in base · {len(comparison.only_in_head)} only in head"
    )
    verdict = _verdict(comparison)
    return f"{'No change. ' if comparison.no_change else ''}{counts} · {verdict}"


def _verdict(comparison: Comparison) -> str:
    if comparison.failures:
        return f"**{len(comparison.failures)} threshold failure(s)**"
    if comparison.thresholds:
        return f"all {len(comparison.thresholds)} threshold(s) hold"
    return "no thresholds"


def _movers(units: Iterable[UnitChange], *, falls: bool) -> list[UnitChange]:
    moved = [u for u in units if u.total.delta and (u.total.delta < 0) == falls]
    return sorted(moved, key=lambda u: (abs(u.total.delta or 0), u.code), reverse=True)


def _md_movers(title: str, units: Sequence[UnitChange]) -> str:
    if not units:
        return f"### {title}\n\nNone."
    rows = [
        [f"{u.code} {u.name}", u.level, fmt_value(u.total.base), fmt_value(u.total.head),
         fmt_delta(u.total.delta)]
        for u in units
    ]  # fmt: skip
    return f"### {title}\n\n" + _md_table(["Unit", "Level", "Base", "Head", "Δ"], rows)


def _md_groups(units: Sequence[UnitChange]) -> str:
    if not units:
        return "### Groups\n\nNone."
    root = units[0]
    rows = [
        [gid, fmt_value(c.base), fmt_value(c.head), _change_delta(c), *_group_moves(units, gid)]
        for gid, c in root.groups.items()
    ]
    header = ["Group", "Base", "Head", "Δ", "Units ▼", "Units ▲"]
    intro = (
        f"### Groups\n\n{_md_cell(root.code)} {_md_cell(root.name)}; units ▼/▲ count every unit."
    )
    return f"{intro}\n\n" + _md_table(header, rows)


def _group_moves(units: Iterable[UnitChange], gid: str) -> list[str]:
    deltas = [u.groups[gid].delta for u in units if gid in u.groups]
    return [str(sum(1 for d in deltas if d and d < 0)), str(sum(1 for d in deltas if d and d > 0))]


def _md_failures(failures: Sequence[Failure]) -> str:
    if not failures:
        return "### Failures\n\nNone."
    rows = [
        [f"{f.unit_code} {f.unit_name}", f.target, fmt_value(f.base), fmt_value(f.head),
         fmt_delta(f.delta), f"`{f.threshold}`"]
        for f in failures
    ]  # fmt: skip
    header = ["Unit", "Target", "Base", "Head", "Δ", "Threshold"]
    return "### Failures\n\n" + _md_table(header, rows)


def _md_list(title: str, items: Sequence[str]) -> str:
    body = "\n".join(f"- {_md_cell(item)}" for item in items) if items else "None."
    return f"### {title}\n\n{body}"


_NUMERIC_COLUMNS = {"Base", "Head", "Δ", "Units ▼", "Units ▲"}


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    align = ["---:" if name in _NUMERIC_COLUMNS else "---" for name in header]
    lines = [header, align, *([_md_cell(cell) for cell in row] for row in rows)]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def _md_cell(text: str) -> str:
    # A '|' in a unit name would split the table cell.
    return text.replace("|", "\\|")


# --- Rich table -------------------------------------------------------------------------------


def render_table(
    comparison: Comparison, console: Console, *, detail: bool = False, show_all: bool = False
) -> None:
    if comparison.no_change:
        console.print(f"No change: {len(comparison.units)} units compared, every value identical.")
    else:
        console.print(_units_table(comparison, detail=detail, show_all=show_all))
    if comparison.failures:
        console.print(_failures_table(comparison.failures))


def render_warnings(notices: Iterable[Notice], console: Console) -> None:
    for notice in notices:
        console.print(Text.assemble(("warning: ", "yellow"), notice.message))


def _units_table(comparison: Comparison, *, detail: bool, show_all: bool) -> Table:
    base, head = comparison.base, comparison.head
    table = Table(
        title=f"{base.period_id} → {head.period_id} ({head.ruleset_id} {head.ruleset_version})",
        box=box.SIMPLE_HEAD,
        caption=_caption(comparison, show_all),
    )
    table.add_column("Unit", ratio=3, overflow="fold")
    table.add_column("Base", justify="right", no_wrap=True)
    table.add_column("Head", justify="right", no_wrap=True)
    table.add_column("Δ", justify="right", no_wrap=True)
    table.add_column("Groups Δ", ratio=2)
    for index, unit in enumerate(comparison.units):
        # The first unit (the province) is always shown: it is the headline.
        if show_all or unit.changed or index == 0:
            _add_unit_rows(table, unit, detail=detail)
    for ref in comparison.only_in_base:
        table.add_row(f"{ref.code} {ref.name}", fmt_value(ref.total), "—", "", "missing in HEAD")
    for ref in comparison.only_in_head:
        table.add_row(f"{ref.code} {ref.name}", "—", fmt_value(ref.total), "", "new in HEAD")
    return table


def _caption(comparison: Comparison, show_all: bool) -> str:
    changed = len(comparison.changed_units)
    hidden = len(comparison.units) - changed
    text = f"{changed} of {len(comparison.units)} units changed"
    if hidden and not show_all:
        text += f"; {hidden} unchanged not shown (--all shows them)"
    return text


def _add_unit_rows(table: Table, unit: UnitChange, *, detail: bool) -> None:
    total = unit.total
    table.add_row(
        f"{unit.code} {unit.name}",
        fmt_value(total.base),
        fmt_value(total.head),
        _delta_text(total.delta),
        _groups_summary(unit),
    )
    if detail and unit.changed:
        _add_detail_rows(table, unit)


def _groups_summary(unit: UnitChange) -> Text:
    parts = [(gid, c) for gid, c in unit.groups.items() if c.changed]
    summary = Text()
    for gid, change in parts:
        if summary:
            summary.append(", ")
        summary.append(f"{gid} ")
        summary.append_text(_short_delta(change))
    if unit.class_base != unit.class_head:
        summary.append(f"{', ' if summary else ''}class {unit.class_base}→{unit.class_head}")
    return summary


def _short_delta(change: Change) -> Text:
    if change.present != "both" or change.delta is None:
        return Text(_change_delta(change), style="yellow")
    style = "green" if change.delta > 0 else "red"
    return Text(f"{change.delta:+.2f}", style=style)


def _add_detail_rows(table: Table, unit: UnitChange) -> None:
    for gid, change in unit.groups.items():
        if change.changed:
            table.add_row(
                Text(f"  group {gid}", style="dim"),
                fmt_value(change.base),
                fmt_value(change.head),
                _delta_text(change.delta),
                _change_delta(change) if change.present != "both" else "",
            )
    for iid, indicator in unit.indicators.items():
        if indicator.changed:
            score = indicator.score
            table.add_row(
                Text(f"    {iid}", style="dim"),
                fmt_value(score.base),
                fmt_value(score.head),
                _delta_text(score.delta),
                _counts(indicator),
            )


def _counts(indicator: IndicatorChange) -> str:
    if indicator.present != "both":
        return f"only in {indicator.present}"
    num, den, ratio = indicator.numerator, indicator.denominator, indicator.ratio
    return (
        f"{fmt_count(num.base)}/{fmt_count(den.base)} → {fmt_count(num.head)}/"
        f"{fmt_count(den.head)} ({fmt_value(ratio.base, 4)} → {fmt_value(ratio.head, 4)})"
    )


def _failures_table(failures: Sequence[Failure]) -> Table:
    table = Table(title="Threshold failures", box=box.SIMPLE_HEAD, title_style="bold red")
    for name in ("Unit", "Target", "Base", "Head", "Δ", "Threshold"):
        numeric = name in _NUMERIC_COLUMNS
        table.add_column(name, justify="right" if numeric else "left", overflow="fold")
    for failure in failures:
        table.add_row(
            f"{failure.unit_code} {failure.unit_name}",
            failure.target,
            fmt_value(failure.base),
            fmt_value(failure.head),
            _delta_text(failure.delta),
            failure.threshold,
        )
    return table
