"""Build a checked :class:`Ruleset` from resolved TOML.

Every problem is reported as ``file:line:col: what is wrong`` with the allowed
values, and the first problem stops loading (exit code 2 at the CLI).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

from dvc_score.errors import RulesetError
from dvc_score.model.ruleset import (
    EMPTY_POLICIES,
    PROVENANCES,
    SCOPES,
    ClassBand,
    DerivedColumn,
    EmptyPolicy,
    Group,
    Indicator,
    Measure,
    Provenance,
    Ruleset,
    Scope,
)
from dvc_score.model.schema import TABLES
from dvc_score.rules.derived import order_derived
from dvc_score.rules.expressions import ALLOWED_SUMMARY, ExpressionError, check_expression
from dvc_score.rules.inheritance import ParentFinder, Resolved, resolve

TOP_LEVEL_KEYS = ("ruleset", "groups", "classes", "derived", "indicators")
META_KEYS = (
    "id", "version", "title_vi", "title_en", "description", "extends", "valid_from", "valid_to",
)  # fmt: skip
GROUP_KEYS = ("points", "name_vi", "name_en", "order")
CLASS_KEYS = ("id", "min", "name_vi", "name_en")
INDICATOR_KEYS = (
    "points", "name_vi", "name_en", "description", "note", "table", "count", "numerator",
    "denominator", "scoring", "target", "params", "empty", "provenance", "scope", "order",
    "enabled",
)  # fmt: skip
MEASURE_KEYS = ("table", "where", "count")
MAX_POINTS = Decimal(1000)


def load_ruleset(path: Path, find_parent: ParentFinder, scorers: Collection[str]) -> Ruleset:
    """Read, resolve ``extends`` and check a ruleset file."""
    return build_ruleset(resolve(path, find_parent), scorers)


def build_ruleset(resolved: Resolved, scorers: Collection[str]) -> Ruleset:
    data = resolved.data
    _check_keys(resolved, (), data, TOP_LEVEL_KEYS)
    meta = _table(resolved, ("ruleset",), data.get("ruleset"), required=True)
    _check_keys(resolved, ("ruleset",), meta, META_KEYS)
    groups = _groups(resolved, _table(resolved, ("groups",), data.get("groups"), required=True))
    derived = _derived(resolved, _table(resolved, ("derived",), data.get("derived", {})))
    indicators = _indicators(resolved, data, groups, derived, scorers)
    return Ruleset(
        id=_text(resolved, ("ruleset",), meta, "id", required=True),
        version=_text(resolved, ("ruleset",), meta, "version", required=True),
        title_vi=_text(resolved, ("ruleset",), meta, "title_vi"),
        title_en=_text(resolved, ("ruleset",), meta, "title_en"),
        description=_text(resolved, ("ruleset",), meta, "description"),
        extends=meta.get("extends") or None,
        valid_from=meta.get("valid_from") or None,
        valid_to=meta.get("valid_to") or None,
        groups=groups,
        indicators=indicators,
        classes=_classes(resolved, data.get("classes", [])),
        derived=derived,
        source=str(resolved.chain[-1]) if resolved.chain else "",
    )


def _fail(
    resolved: Resolved, key: tuple[str, ...], message: str, value: str | None = None
) -> RulesetError:
    source = resolved.source_of(*key)
    section = ".".join(key[:2]) if len(key) > 1 else (key[0] if key else "")
    location = source.locate(section, key[-1] if key else "", value)
    return RulesetError(f"{location}: {message}")


def _table(
    resolved: Resolved, key: tuple[str, ...], value: Any, required: bool = False
) -> dict[str, Any]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        what = "missing" if value is None else f"must be a table, not {type(value).__name__}"
        raise _fail(resolved, key, f"[{'.'.join(key)}] is {what}")
    return value


def _check_keys(
    resolved: Resolved, key: tuple[str, ...], table: Mapping[str, Any], allowed: tuple[str, ...]
) -> None:
    for name in table:
        if name not in allowed:
            where = f"[{'.'.join(key)}]" if key else "the top level"
            raise _fail(
                resolved,
                (*key, name),
                f"unknown key {name!r} in {where}; allowed: {', '.join(allowed)}",
            )


def _text(
    resolved: Resolved,
    key: tuple[str, ...],
    table: Mapping[str, Any],
    name: str,
    required: bool = False,
) -> str:
    value = table.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(
            resolved,
            (*key, name),
            f"{name!r} must be a non-empty string" if required else f"{name!r} must be a string",
        )
    return value


def _number(
    resolved: Resolved, key: tuple[str, ...], value: Any, name: str, low: Decimal, high: Decimal
) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _fail(resolved, key, f"{name} must be a number, not {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _fail(resolved, key, f"{name} must be a number, not {value!r}") from None
    if not number.is_finite() or not low <= number <= high:
        raise _fail(resolved, key, f"{name} must be between {low} and {high}, not {value!r}")
    return number


def _whole(resolved: Resolved, key: tuple[str, ...], value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(resolved, key, f"{name} must be a whole number, not {value!r}")
    return value


def _groups(resolved: Resolved, raw: dict[str, Any]) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for position, (group_id, item) in enumerate(raw.items()):
        key = ("groups", group_id)
        item = _table(resolved, key, item, required=True)
        _check_keys(resolved, key, item, GROUP_KEYS)
        groups[group_id] = Group(
            id=group_id,
            points=_number(resolved, key, item.get("points"), "points", Decimal(0), MAX_POINTS),
            name_vi=_text(resolved, key, item, "name_vi"),
            name_en=_text(resolved, key, item, "name_en"),
            order=_whole(resolved, (*key, "order"), item.get("order", position), "order"),
        )
    if not groups:
        raise _fail(resolved, ("groups",), "a ruleset needs at least one group")
    return dict(sorted(groups.items(), key=lambda pair: pair[1].order))


def _classes(resolved: Resolved, raw: Any) -> tuple[ClassBand, ...]:
    if not isinstance(raw, list):
        raise _fail(resolved, ("classes",), "[[classes]] must be an array of tables")
    bands = []
    for item in raw:
        item = _table(resolved, ("classes",), item, required=True)
        _check_keys(resolved, ("classes",), item, CLASS_KEYS)
        bands.append(
            ClassBand(
                id=_text(resolved, ("classes",), item, "id", required=True),
                min=_number(resolved, ("classes",), item.get("min"), "min", Decimal(0), MAX_POINTS),
                name_vi=_text(resolved, ("classes",), item, "name_vi"),
                name_en=_text(resolved, ("classes",), item, "name_en"),
            )
        )
    return tuple(sorted(bands, key=lambda band: band.min, reverse=True))


def _derived(resolved: Resolved, raw: dict[str, Any]) -> dict[str, dict[str, DerivedColumn]]:
    derived: dict[str, dict[str, DerivedColumn]] = {}
    for table, columns in raw.items():
        if table not in TABLES:
            raise _fail(
                resolved,
                ("derived", table),
                f"unknown table {table!r}; allowed: {', '.join(TABLES)}",
            )
        columns = _table(resolved, ("derived", table), columns, required=True)
        derived[table] = {}
        for name, spec in columns.items():
            key = ("derived", table, name)
            expression, doc = _derived_spec(resolved, key, spec)
            if name in TABLES[table].column_names:
                raise _fail(resolved, key, f"derived column {name!r} shadows a column of {table}")
            derived[table][name] = DerivedColumn(table, name, expression, doc)
        names = list(derived[table])
        for column in derived[table].values():
            _check(resolved, ("derived", table, column.name), column.expression, table, names)
        try:
            order_derived(derived[table].values())
        except ValueError as error:
            raise _fail(resolved, ("derived", table), str(error)) from None
    return derived


def _derived_spec(resolved: Resolved, key: tuple[str, ...], spec: Any) -> tuple[str, str]:
    if isinstance(spec, str):
        return spec, ""
    if isinstance(spec, dict) and isinstance(spec.get("expression"), str):
        return spec["expression"], str(spec.get("doc", ""))
    raise _fail(
        resolved,
        key,
        "a derived column is a SQL expression string or {expression = ..., doc = ...}",
    )


def _check(
    resolved: Resolved, key: tuple[str, ...], text: str, table: str, derived: Collection[str]
) -> None:
    try:
        check_expression(text, table, derived)
    except ExpressionError as error:
        source = resolved.source_of(*key)
        section = ".".join(key[:2])
        shown = text if isinstance(text, str) and text else None
        location = source.locate(section, key[-1], shown, error.offset)
        raise RulesetError(
            f"{location}: {error.message}: {error.offending!r}; allowed: {ALLOWED_SUMMARY}"
        ) from None


def _indicators(
    resolved: Resolved,
    data: dict[str, Any],
    groups: dict[str, Group],
    derived: dict[str, dict[str, DerivedColumn]],
    scorers: Collection[str],
) -> dict[str, Indicator]:
    raw = _table(resolved, ("indicators",), data.get("indicators"), required=True)
    indicators = [
        _indicator(resolved, ind_id, item, position, groups, derived, scorers)
        for position, (ind_id, item) in enumerate(raw.items())
    ]
    order = {group_id: index for index, group_id in enumerate(groups)}
    indicators.sort(key=lambda ind: (order[ind.group], ind.order))
    for group in groups.values():
        points = sum((ind.points for ind in indicators if ind.group == group.id), Decimal(0))
        if points > group.points:
            raise _fail(
                resolved,
                ("groups", group.id),
                f"the indicators of group {group.id!r} carry {points} points, more than its {group.points}",
            )
    return {ind.id: ind for ind in indicators}


def _indicator(
    resolved: Resolved,
    ind_id: str,
    item: Any,
    position: int,
    groups: dict[str, Group],
    derived: dict[str, dict[str, DerivedColumn]],
    scorers: Collection[str],
) -> Indicator:
    key = ("indicators", ind_id)
    item = _table(resolved, key, item, required=True)
    _check_keys(resolved, key, item, INDICATOR_KEYS)
    group_id = ind_id.split(".", 1)[0]
    if "." not in ind_id or group_id not in groups:
        raise _fail(
            resolved,
            key,
            f"indicator id {ind_id!r} must be '<group>.<name>' with a group of: {', '.join(groups)}",
        )
    scoring = item.get("scoring", "linear")
    if not isinstance(scoring, str) or scoring not in scorers:
        raise _fail(
            resolved,
            (*key, "scoring"),
            f"unknown scoring {scoring!r}; allowed: {', '.join(sorted(scorers))}",
        )
    params = _params(resolved, key, item)
    if scoring == "target" and "target" not in params:
        raise _fail(
            resolved, (*key, "scoring"), "scoring 'target' needs target = <ratio between 0 and 1>"
        )
    return Indicator(
        id=ind_id,
        group=group_id,
        points=_number(
            resolved, (*key, "points"), item.get("points"), "points", Decimal(0), MAX_POINTS
        ),
        name_vi=_text(resolved, key, item, "name_vi"),
        name_en=_text(resolved, key, item, "name_en"),
        description=_text(resolved, key, item, "description"),
        note=_text(resolved, key, item, "note"),
        numerator=_measure(resolved, key, item, "numerator", derived),
        denominator=_measure(resolved, key, item, "denominator", derived),
        scoring=scoring,
        params=params,
        empty=cast(EmptyPolicy, _choice(resolved, key, item, "empty", EMPTY_POLICIES, "zero")),
        provenance=cast(
            Provenance, _choice(resolved, key, item, "provenance", PROVENANCES, "assumed")
        ),
        scope=cast(Scope, _choice(resolved, key, item, "scope", SCOPES, "unit")),
        order=_whole(resolved, (*key, "order"), item.get("order", position), "order"),
    )


def _params(
    resolved: Resolved, key: tuple[str, ...], item: Mapping[str, Any]
) -> dict[str, Decimal]:
    raw = dict(_table(resolved, (*key, "params"), item.get("params", {})))
    if "target" in item:
        raw["target"] = item["target"]
    params = {}
    for name, value in raw.items():
        params[name] = _number(resolved, (*key, name), value, name, Decimal(0), MAX_POINTS)
    if "target" in params and not Decimal(0) < params["target"] <= Decimal(1):
        raise _fail(
            resolved, (*key, "target"), f"target must be a ratio in (0, 1], not {params['target']}"
        )
    return params


def _choice(
    resolved: Resolved,
    key: tuple[str, ...],
    item: Mapping[str, Any],
    name: str,
    allowed: tuple[str, ...],
    default: str,
) -> str:
    value = item.get(name, default)
    if value not in allowed:
        raise _fail(
            resolved, (*key, name), f"{name} = {value!r} is not one of: {', '.join(allowed)}"
        )
    return str(value)


def _measure(
    resolved: Resolved,
    key: tuple[str, ...],
    item: Mapping[str, Any],
    side: str,
    derived: dict[str, dict[str, DerivedColumn]],
) -> Measure:
    raw = item.get(side)
    spec = {"where": raw} if isinstance(raw, str) else raw
    if not isinstance(spec, dict):
        raise _fail(
            resolved, (*key, side), f"{side} must be a filter string or {{table, where, count}}"
        )
    _check_keys(resolved, (*key, side), spec, MEASURE_KEYS)
    table = spec.get("table", item.get("table"))
    if not isinstance(table, str) or table not in TABLES:
        raise _fail(
            resolved,
            (*key, side),
            f"{side} needs table = one of: {', '.join(TABLES)} (got {table!r})",
        )
    count = spec.get("count", item.get("count", "rows"))
    countable = ("rows", *TABLES[table].column_names)
    if count not in countable:
        raise _fail(
            resolved, (*key, side), f"count = {count!r} is not 'rows' or a column of {table}"
        )
    where = spec.get("where", "TRUE")
    _check(resolved, (*key, side), where, table, derived.get(table, {}))
    return Measure(table=table, where=where, count=count)
