"""Compare two result documents and check CI thresholds.

Pure logic, nothing here prints: :func:`load_result` reads and validates a
result (or series) document (docs/result-json.md), :func:`parse_threshold` reads
one ``--fail-on`` spec, and :func:`compare_results` diffs two results unit by
unit and evaluates the thresholds. Renderers live in
:mod:`dvc_score.reporters.compare_render`; the grammar is documented in docs/ci.md.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dvc_score.errors import UserError
from dvc_score.model.schema import UNIT_LEVELS

SUPPORTED_REPORT_VERSION = 1

Num = int | float
Side = Literal["both", "base", "head"]
TargetKind = Literal["total", "group", "indicator"]


# --- the documents ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorResult:
    score: Num | None
    numerator: Num | None
    denominator: Num | None
    ratio: Num | None


@dataclass(frozen=True)
class UnitResult:
    code: str
    name: str
    level: str
    total: Num
    class_id: str | None
    groups: dict[str, Num | None]
    indicators: dict[str, IndicatorResult]


@dataclass(frozen=True)
class ResultMeta:
    """Where a result came from; ``raw`` keeps tool/ruleset/period/data as written."""

    file: str
    report_version: int
    ruleset_id: str
    ruleset_version: str
    period_id: str
    raw: dict[str, Any]
    series_size: int | None = None  # set when the result is the last one of a series


@dataclass(frozen=True)
class ResultDoc:
    meta: ResultMeta
    units: dict[str, UnitResult]


def load_result(path: Path) -> ResultDoc:
    """Read one result document, or the last result of a series document."""
    return result_from_document(_read_json(path), str(path))


def result_from_document(document: Any, file: str) -> ResultDoc:
    """Validate an already-parsed result or series document; ``file`` names it in errors."""
    shape = _Shape(file)
    if not isinstance(document, dict):
        raise shape.error(
            "", f"not a result document: expected a JSON object, got {_kind(document)}"
        )
    result, where, series_size = _pick_result(shape, document)
    return _parse_result(shape, result, where, series_size)


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a directory, not a result file") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text, so not a dvc-score result JSON") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read: {error.strerror}") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise UserError(f"{path}: not JSON: {error.msg} at {where}") from None
    except ValueError as error:
        raise UserError(f"{path}: not JSON: {error}") from None


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN/Infinity; no dvc-score writer emits them, so they mean corruption.
    raise ValueError(f"{name} is not a JSON number")


def _pick_result(shape: _Shape, document: dict[str, Any]) -> tuple[dict[str, Any], str, int | None]:
    kind = document.get("kind", "result")
    if kind == "result":
        return document, "", None
    if kind != "series":
        raise shape.error("", f"not a result document (kind {kind!r}; expected a result or series)")
    results = shape.field(document, "results", "")
    if not isinstance(results, list) or not results:
        raise shape.error("results", "expected a non-empty list of results")
    where = f"results[{len(results) - 1}]"
    return shape.mapping(results[-1], where), where, len(results)


def _parse_result(
    shape: _Shape, result: dict[str, Any], where: str, series_size: int | None
) -> ResultDoc:
    for key in ("report_version", "ruleset", "period", "units"):
        if key not in result:
            prefix = f"{where}: " if where else ""
            raise shape.error("", f"not a result document: {prefix}missing key '{key}'")
    ruleset = shape.mapping(result["ruleset"], _join(where, "ruleset"))
    period = shape.mapping(result["period"], _join(where, "period"))
    meta = ResultMeta(
        file=shape.file,
        report_version=shape.integer(result, "report_version", where),
        ruleset_id=shape.text(ruleset, "id", _join(where, "ruleset")),
        ruleset_version=shape.text(ruleset, "version", _join(where, "ruleset")),
        period_id=shape.text(period, "id", _join(where, "period")),
        raw={key: result.get(key) for key in ("tool", "ruleset", "period", "data")},
        series_size=series_size,
    )
    return ResultDoc(meta, _parse_units(shape, result["units"], _join(where, "units")))


def _parse_units(shape: _Shape, raw: Any, where: str) -> dict[str, UnitResult]:
    if not isinstance(raw, list):
        raise shape.error(where, f"expected a list of units, got {_kind(raw)}")
    units: dict[str, UnitResult] = {}
    for index, item in enumerate(raw):
        unit = _parse_unit(shape, item, f"{where}[{index}]")
        if unit.code in units:
            raise shape.error(f"{where}[{index}]", f"duplicate unit_code {unit.code!r}")
        units[unit.code] = unit
    return units


def _parse_unit(shape: _Shape, raw: Any, where: str) -> UnitResult:
    unit = shape.mapping(raw, where)
    groups = shape.mapping(shape.field(unit, "groups", where), f"{where}.groups")
    indicators = shape.mapping(shape.field(unit, "indicators", where), f"{where}.indicators")
    class_id = shape.field(unit, "class", where)
    return UnitResult(
        code=shape.text(unit, "unit_code", where),
        name=shape.text(unit, "unit_name", where),
        level=shape.text(unit, "level", where),
        total=shape.number(unit, "total", where),
        class_id=class_id if isinstance(class_id, str) else None,
        groups={
            gid: shape.maybe_number(shape.mapping(g, f"{where}.groups.{gid}"), "score", "")
            for gid, g in groups.items()
        },
        indicators={
            iid: _parse_indicator(shape, item, f"{where}.indicators.{iid}")
            for iid, item in indicators.items()
        },
    )


def _parse_indicator(shape: _Shape, raw: Any, where: str) -> IndicatorResult:
    item = shape.mapping(raw, where)
    return IndicatorResult(
        score=shape.maybe_number(item, "score", where),
        numerator=shape.maybe_number(item, "numerator", where),
        denominator=shape.maybe_number(item, "denominator", where),
        ratio=shape.maybe_number(item, "ratio", where),
    )


@dataclass(frozen=True)
class _Shape:
    """Validates JSON values, naming the file and the JSON path in every error."""

    file: str

    def error(self, where: str, problem: str) -> UserError:
        return UserError(f"{self.file}: {where}: {problem}" if where else f"{self.file}: {problem}")

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(where, f"expected an object, got {_kind(value)}")
        return value

    def field(self, obj: dict[str, Any], key: str, where: str) -> Any:
        if key not in obj:
            raise self.error(where, f"missing key '{key}'")
        return obj[key]

    def text(self, obj: dict[str, Any], key: str, where: str) -> str:
        value = self.field(obj, key, where)
        if not isinstance(value, str):
            raise self.error(_join(where, key), f"expected a string, got {_kind(value)}")
        return value

    def integer(self, obj: dict[str, Any], key: str, where: str) -> int:
        value = self.field(obj, key, where)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(_join(where, key), f"expected an integer, got {_kind(value)}")
        return value

    def number(self, obj: dict[str, Any], key: str, where: str) -> Num:
        value = self.maybe_number(obj, key, where)
        if value is None:
            raise self.error(_join(where, key), "expected a number, got null")
        return value

    def maybe_number(self, obj: dict[str, Any], key: str, where: str) -> Num | None:
        value = self.field(obj, key, where)
        # bool is an int subclass in Python, but true/false is never a score.
        if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
            return value
        raise self.error(_join(where, key), f"expected a number or null, got {_kind(value)}")


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _kind(value: Any) -> str:
    """Describe a JSON value in an error message: ``a list``, ``a string ("71.5")``."""
    if value is None:
        return "null"
    if isinstance(value, str | bool):
        return f"a {'string' if isinstance(value, str) else 'boolean'} ({json.dumps(value)})"
    names = {dict: "an object", list: "a list", int: "an integer", float: "a number"}
    return names.get(type(value), type(value).__name__)


# --- thresholds -------------------------------------------------------------------------------

_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_DELTA = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
SPEC_SYNTAX = "TARGET:DELTA[%][@level=LEVEL|@unit=CODE,...]"


@dataclass(frozen=True)
class Threshold:
    """One ``--fail-on`` spec: fail when ``target`` fell by more than ``limit``."""

    spec: str
    kind: TargetKind
    target_id: str  # "" for the total
    limit: float  # <= 0: points, or percent of the base score when ``relative``
    relative: bool
    level: str | None = None
    units: tuple[str, ...] | None = None

    @property
    def target(self) -> str:
        return "total" if self.kind == "total" else f"{self.kind}.{self.target_id}"

    def applies_to(self, unit: UnitChange) -> bool:
        if self.level is not None and unit.level != self.level:
            return False
        return self.units is None or unit.code in self.units

    def breaks(self, base: Num, head: Num) -> bool:
        measured = relative_change_pct(base, head) if self.relative else _clean(head - base)
        return measured < self.limit


def parse_threshold(spec: str) -> Threshold:
    """Parse ``TARGET:DELTA[%][@level=LEVEL|@unit=CODE,...]``; raise UserError when malformed."""
    body, at, restriction = spec.strip().partition("@")
    target, colon, delta = body.rpartition(":")
    if not colon:
        raise _spec_error(spec, "missing ':DELTA'")
    kind, target_id = _parse_target(spec, target)
    relative = delta.endswith("%")
    limit = _parse_delta(spec, delta.removesuffix("%"))
    level, units = _parse_restriction(spec, restriction) if at else (None, None)
    return Threshold(spec.strip(), kind, target_id, limit, relative, level, units)


def _parse_target(spec: str, target: str) -> tuple[TargetKind, str]:
    if target == "total":
        return "total", ""
    prefix, dot, target_id = target.partition(".")
    if prefix not in ("group", "indicator") or not dot or not _ID.fullmatch(target_id):
        raise _spec_error(spec, f"unknown target {target!r}; use total, group.ID or indicator.ID")
    return ("group" if prefix == "group" else "indicator"), target_id


def _parse_delta(spec: str, delta: str) -> float:
    if not _DELTA.fullmatch(delta):
        raise _spec_error(spec, f"DELTA {delta!r} is not a number")
    value = float(delta)
    if value > 0:
        raise _spec_error(spec, f"DELTA must be negative or zero (the fall allowed), got {delta}")
    return value


def _parse_restriction(spec: str, restriction: str) -> tuple[str | None, tuple[str, ...] | None]:
    key, _, value = restriction.partition("=")
    if key == "level":
        if value not in UNIT_LEVELS:
            allowed = ", ".join(UNIT_LEVELS)
            raise _spec_error(spec, f"unknown level {value!r}; expected one of {allowed}")
        return value, None
    codes = tuple(code.strip() for code in value.split(","))
    if key != "unit" or not all(codes):
        raise _spec_error(spec, "restriction must be @level=LEVEL or @unit=CODE[,CODE...]")
    return None, codes


def _spec_error(spec: str, problem: str) -> UserError:
    return UserError(f"--fail-on {spec!r}: {problem} (syntax: {SPEC_SYNTAX})")


def relative_change_pct(base: Num, head: Num) -> float:
    """Percent change relative to the base score.

    A base of 0 has no meaningful relative change: it counts as 0 % unless the head
    is below it, which counts as an unbounded fall (-inf) so that every relative
    threshold fails. Scores are never negative, so in practice a base of 0 passes.
    """
    if base == 0:
        return 0.0 if head >= base else -math.inf
    return _clean((head - base) / abs(base) * 100)


def _clean(value: Num) -> float:
    # Scores are 2-decimal values held as binary floats: 71.37 - 72.37 is -1.0000000000000142,
    # which would break `total:-1.0` by float noise alone.
    return round(float(value), 6)


# --- the comparison ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    base: Num | None
    head: Num | None
    present: Side = "both"

    @property
    def delta(self) -> float | None:
        if self.base is None or self.head is None:
            return None
        return _clean(self.head - self.base)

    @property
    def changed(self) -> bool:
        return self.present != "both" or self.base != self.head


@dataclass(frozen=True)
class IndicatorChange:
    score: Change
    numerator: Change
    denominator: Change
    ratio: Change
    present: Side = "both"

    @property
    def changed(self) -> bool:
        parts = (self.score, self.numerator, self.denominator, self.ratio)
        return self.present != "both" or any(part.changed for part in parts)


@dataclass(frozen=True)
class UnitChange:
    code: str
    name: str
    level: str
    total: Change
    class_base: str | None
    class_head: str | None
    groups: dict[str, Change]
    indicators: dict[str, IndicatorChange]

    @property
    def changed(self) -> bool:
        return (
            self.total.changed
            or self.class_base != self.class_head
            or any(change.changed for change in self.groups.values())
            or any(change.changed for change in self.indicators.values())
        )

    def target(self, kind: TargetKind, target_id: str) -> Change | None:
        if kind == "total":
            return self.total
        if kind == "group":
            return self.groups.get(target_id)
        indicator = self.indicators.get(target_id)
        return None if indicator is None else indicator.score


@dataclass(frozen=True)
class UnitRef:
    code: str
    name: str
    level: str
    total: Num


@dataclass(frozen=True)
class Notice:
    """A warning: ``kind`` is stable for machines, ``message`` is for people."""

    kind: str
    message: str


@dataclass(frozen=True)
class Failure:
    unit_code: str
    unit_name: str
    level: str
    target: str
    threshold: str
    base: Num | None
    head: Num | None

    @property
    def delta(self) -> float | None:
        return Change(self.base, self.head).delta

    @property
    def relative_pct(self) -> float | None:
        if self.base is None or self.head is None:
            return None
        return relative_change_pct(self.base, self.head)


@dataclass(frozen=True)
class Comparison:
    base: ResultMeta
    head: ResultMeta
    units: tuple[UnitChange, ...]
    only_in_base: tuple[UnitRef, ...]
    only_in_head: tuple[UnitRef, ...]
    warnings: tuple[Notice, ...]
    failures: tuple[Failure, ...]
    thresholds: tuple[Threshold, ...] = ()

    @property
    def changed_units(self) -> tuple[UnitChange, ...]:
        return tuple(unit for unit in self.units if unit.changed)

    @property
    def no_change(self) -> bool:
        return not (self.changed_units or self.only_in_base or self.only_in_head)


def compare_results(
    base: ResultDoc,
    head: ResultDoc,
    thresholds: Sequence[Threshold] = (),
    *,
    fail_on_missing: bool = False,
) -> Comparison:
    """Diff ``head`` against ``base`` unit by unit and evaluate ``thresholds``."""
    common = [code for code in base.units if code in head.units]
    units = sorted((_unit_change(base.units[c], head.units[c]) for c in common), key=unit_order)
    only_base = _refs(base, head)
    only_head = _refs(head, base)
    warnings = [*_document_notices(base.meta, head.meta)]
    warnings += _unit_set_notices(only_base, only_head)
    warnings += _presence_notices(units)
    failures: list[Failure] = []
    for threshold in thresholds:
        _refuse_unknown_target(threshold, base, head)
        broken, notices = evaluate_threshold(threshold, units)
        failures += broken
        warnings += notices
    if fail_on_missing:
        failures += [_missing_failure(ref) for ref in only_base]
    return Comparison(
        base.meta, head.meta, tuple(units), only_base, only_head, tuple(warnings),
        tuple(failures), tuple(thresholds),
    )  # fmt: skip


def unit_order(unit: UnitChange | UnitRef) -> tuple[int, str]:
    """Province first, then by level (as in the data model) and unit code."""
    rank = UNIT_LEVELS.index(unit.level) if unit.level in UNIT_LEVELS else len(UNIT_LEVELS)
    return rank, unit.code


def _refs(doc: ResultDoc, other: ResultDoc) -> tuple[UnitRef, ...]:
    refs = (
        UnitRef(u.code, u.name, u.level, u.total)
        for u in doc.units.values()
        if u.code not in other.units
    )
    return tuple(sorted(refs, key=unit_order))


def _unit_change(base: UnitResult, head: UnitResult) -> UnitChange:
    return UnitChange(
        code=head.code,
        name=head.name,
        level=head.level,
        total=Change(base.total, head.total),
        class_base=base.class_id,
        class_head=head.class_id,
        groups={gid: _group_change(base, head, gid) for gid in _keys(base.groups, head.groups)},
        indicators={
            iid: _indicator_change(base, head, iid)
            for iid in _keys(base.indicators, head.indicators)
        },
    )


def _keys(base: dict[str, Any], head: dict[str, Any]) -> Iterable[str]:
    # dict keys keep insertion order: base's ids first, then ids new in head.
    return dict.fromkeys([*base, *head])


def _side(key: str, base: dict[str, Any], head: dict[str, Any]) -> Side:
    return "both" if key in base and key in head else ("base" if key in base else "head")


def _group_change(base: UnitResult, head: UnitResult, key: str) -> Change:
    return Change(base.groups.get(key), head.groups.get(key), _side(key, base.groups, head.groups))


def _indicator_change(base: UnitResult, head: UnitResult, key: str) -> IndicatorChange:
    empty = IndicatorResult(None, None, None, None)
    left, right = base.indicators.get(key, empty), head.indicators.get(key, empty)
    present = _side(key, base.indicators, head.indicators)
    return IndicatorChange(
        score=Change(left.score, right.score, present),
        numerator=Change(left.numerator, right.numerator, present),
        denominator=Change(left.denominator, right.denominator, present),
        ratio=Change(left.ratio, right.ratio, present),
        present=present,
    )


# --- warnings and threshold checks ------------------------------------------------------------


def _document_notices(base: ResultMeta, head: ResultMeta) -> list[Notice]:
    notices = [_series_notice(meta) for meta in (base, head) if meta.series_size is not None]
    notices += [
        Notice(
            "report_version_unsupported",
            f"{meta.file} has report_version {meta.report_version}; this dvc-score reads "
            f"version {SUPPORTED_REPORT_VERSION}, fields may have been renamed",
        )
        for meta in (base, head)
        if meta.report_version > SUPPORTED_REPORT_VERSION
    ]
    changed = [
        ("report_version_changed", "report_version", base.report_version, head.report_version),
        ("ruleset_changed", "ruleset id", base.ruleset_id, head.ruleset_id),
        ("ruleset_version_changed", "ruleset version", base.ruleset_version, head.ruleset_version),
        ("period_changed", "period", base.period_id, head.period_id),
    ]
    return notices + [
        Notice(kind, _change_message(what, left, right))
        for kind, what, left, right in changed
        if left != right
    ]


def _series_notice(meta: ResultMeta) -> Notice:
    return Notice(
        "series",
        f"{meta.file} is a series of {meta.series_size} results; "
        f"comparing its last result (period {meta.period_id})",
    )


def _change_message(what: str, base: object, head: object) -> str:
    if what == "period":
        # Comparing consecutive periods is the normal use; it is noted, not a problem.
        return f"periods differ: {base} (BASE) -> {head} (HEAD)"
    return f"{what} changed: {base} (BASE) -> {head} (HEAD); scores may not be comparable"


def _unit_set_notices(only_base: Sequence[UnitRef], only_head: Sequence[UnitRef]) -> list[Notice]:
    notices = []
    if only_base:
        codes = _codes(ref.code for ref in only_base)
        notices.append(
            Notice("units_only_in_base", f"{len(only_base)} unit(s) missing from HEAD: {codes}")
        )
    if only_head:
        codes = _codes(ref.code for ref in only_head)
        notices.append(
            Notice("units_only_in_head", f"{len(only_head)} unit(s) new in HEAD: {codes}")
        )
    return notices


def _presence_notices(units: Sequence[UnitChange]) -> list[Notice]:
    # One notice per (group or indicator, side) rather than per unit: a ruleset change adds or
    # drops an indicator for every unit at once.
    seen: dict[tuple[str, str, Side], list[str]] = {}
    for unit in units:
        parts = [("group", gid, c.present) for gid, c in unit.groups.items()]
        parts += [("indicator", iid, c.present) for iid, c in unit.indicators.items()]
        for kind, item_id, present in parts:
            if present != "both":
                seen.setdefault((kind, item_id, present), []).append(unit.code)
    return [
        Notice(
            f"{kind}_only_in_{side}",
            f"{kind} {item_id} only in {side.upper()} for {len(codes)} unit(s): {_codes(codes)}",
        )
        for (kind, item_id, side), codes in seen.items()
    ]


def _refuse_unknown_target(threshold: Threshold, base: ResultDoc, head: ResultDoc) -> None:
    """A target named in neither file is a typo (``group.timelines``), not a pass."""
    if threshold.kind == "total":
        return
    for doc in (base, head):
        for unit in doc.units.values():
            known = unit.groups if threshold.kind == "group" else unit.indicators
            if threshold.target_id in known:
                return
    raise UserError(
        f"--fail-on {threshold.spec}: no unit of either file has {threshold.target}; "
        "check the group or indicator id (see docs/indicators.md)"
    )


def evaluate_threshold(
    threshold: Threshold, units: Sequence[UnitChange]
) -> tuple[list[Failure], list[Notice]]:
    """Check one threshold on every unit it applies to; unmeasurable units become warnings."""
    in_scope = [unit for unit in units if threshold.applies_to(unit)]
    failures: list[Failure] = []
    absent: list[str] = []
    not_applicable: list[str] = []
    for unit in in_scope:
        change = unit.target(threshold.kind, threshold.target_id)
        if change is None or change.present != "both":
            absent.append(unit.code)
        elif change.base is None or change.head is None:
            # n/a on both sides cannot fall; n/a on one side cannot be measured.
            if change.base is not change.head:
                not_applicable.append(unit.code)
        elif threshold.breaks(change.base, change.head):
            failures.append(_failure(threshold, unit, change))
    notices = _scope_notices(threshold, units, in_scope)
    if absent:
        notices.append(_threshold_notice(threshold, "threshold_target_absent", "absent", absent))
    if not_applicable:
        kind, what = "threshold_target_not_applicable", "n/a on one side"
        notices.append(_threshold_notice(threshold, kind, what, not_applicable))
    return failures, notices


def _scope_notices(
    threshold: Threshold, units: Sequence[UnitChange], in_scope: Sequence[UnitChange]
) -> list[Notice]:
    prefix = f"--fail-on {threshold.spec}:"
    if threshold.units is not None:
        known = {unit.code for unit in units}
        unknown = [code for code in threshold.units if code not in known]
        if unknown:
            text = f"{prefix} unit(s) {_codes(unknown)} not in both files, not checked"
            return [Notice("threshold_unit_unknown", text)]
    if not in_scope:
        return [Notice("threshold_matches_nothing", f"{prefix} matches no unit in both files")]
    return []


def _threshold_notice(threshold: Threshold, kind: str, what: str, codes: list[str]) -> Notice:
    return Notice(
        kind,
        f"--fail-on {threshold.spec}: {threshold.target} {what} for {len(codes)} unit(s), "
        f"not checked there: {_codes(codes)}",
    )


def _failure(threshold: Threshold, unit: UnitChange, change: Change) -> Failure:
    return Failure(
        unit.code, unit.name, unit.level, threshold.target, threshold.spec, change.base, change.head
    )


def _missing_failure(ref: UnitRef) -> Failure:
    return Failure(ref.code, ref.name, ref.level, "unit", "--fail-on-missing", ref.total, None)


def _codes(codes: Iterable[str], shown: int = 10) -> str:
    # Long lists are cut for people; the full list is in the JSON report (only_in_*, units).
    items = list(codes)
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more
