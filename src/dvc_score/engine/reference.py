"""The reference backend: the same Counts as the DuckDB backend, in plain Python.

It exists so that property tests can check the DuckDB planner against an
independent, obviously-correct implementation: rows are Python dicts, each
checked sqlglot tree (``rules.expressions.check_expression``) is evaluated node
by node with SQL's three-valued logic and DuckDB's typing rules, and every unit
counts the rows of its whole subtree directly (no GROUPING SETS). It is slow
(one Python call per node per row) and meant for tests, not for data.

Known, deliberate differences from DuckDB, none reachable from the shipped
rulesets: integers never overflow (DuckDB raises on INT32 overflow), DECIMAL
widths are not tracked, COALESCE/GREATEST/CASE do not unify the types of their
branches, and AND/OR stop at the first decisive operand, so an operand that
would raise in DuckDB (``1 % 0``) may go unevaluated here.
"""

from __future__ import annotations

import math
import re
from calendar import monthrange
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any, ClassVar

import duckdb
from sqlglot import exp

from dvc_score.engine.calendar import EPOCH, LAST_YEAR, public_holidays
from dvc_score.engine.hierarchy import ancestor_paths
from dvc_score.engine.periods import Period
from dvc_score.model.counts import Count, Counts, UnitInfo, order_units
from dvc_score.model.ruleset import Measure, Ruleset
from dvc_score.model.schema import LOOKUPS, TABLES
from dvc_score.rules.expressions import PERIOD_PARAMETERS, check_expression

Row = Mapping[str, Any]
Tables = Mapping[str, Sequence[Row]]


class EvaluationError(ValueError):
    """The expression fails on this row (DuckDB raises a conversion or range error)."""


def fetch_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    """The normalized tables of ``con`` as lists of dicts (model columns only)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, table in TABLES.items():
        columns = table.column_names
        quoted = ", ".join('"' + c + '"' for c in columns)
        try:
            rows = con.execute(f"SELECT {quoted} FROM {name}").fetchall()
        except duckdb.CatalogException:
            rows = []
        tables[name] = [dict(zip(columns, row, strict=True)) for row in rows]
    return tables


def count(
    tables: Tables,
    ruleset: Ruleset,
    periods: Sequence[Period],
    indicator_ids: Sequence[str] | None = None,
) -> list[Counts]:
    """What ``duckdb_backend.count`` returns, computed row by row in Python."""
    units = units_from_rows(tables.get("units", []))
    paths = ancestor_paths(units)
    selected = list(indicator_ids or ruleset.indicators)
    catalog = _catalog(tables.get("procedures", []))
    results = []
    for period in periods:
        counts = Counts(period.id, units, {}, selected)
        tallies = _tally(tables, ruleset, period, selected, paths, catalog)
        for unit in units:
            root = paths[unit.unit_code][0]
            for indicator_id in selected:
                indicator = ruleset.indicators[indicator_id]
                code = root if indicator.scope == "root" else unit.unit_code
                counts.values[(unit.unit_code, indicator_id)] = Count(
                    tallies.get((indicator.numerator, code), 0),
                    tallies.get((indicator.denominator, code), 0),
                )
        results.append(counts)
    return results


def units_from_rows(rows: Iterable[Row]) -> list[UnitInfo]:
    """Units exactly as ``duckdb_backend.load_units`` reads them."""
    units = []
    for row in rows:
        code = _text(row.get("unit_code"))
        parent = _text(row.get("parent_code")) or None
        units.append(
            UnitInfo(code, _text(row.get("unit_name")) or code, _text(row.get("level")), parent)
        )
    return order_units(units)


def _text(value: object) -> str:
    return "" if value is None else str(cast_value(value, "VARCHAR"))


def _tally(
    tables: Tables,
    ruleset: Ruleset,
    period: Period,
    selected: Sequence[str],
    paths: Mapping[str, list[str]],
    catalog: Mapping[tuple[object, object], dict[str, object]],
) -> dict[tuple[Measure, str], int]:
    """Numerator/denominator counts of every measure, for every unit and ancestor."""
    measures: dict[str, set[Measure]] = {}
    for indicator_id in selected:
        indicator = ruleset.indicators[indicator_id]
        for measure in (indicator.numerator, indicator.denominator):
            measures.setdefault(measure.table, set()).add(measure)
    tallies: dict[tuple[Measure, str], int] = {}
    for table, wanted in measures.items():
        derived = {
            name: column.expression for name, column in ruleset.derived.get(table, {}).items()
        }
        trees = {m: check_expression(m.where, table, list(derived)).tree for m in wanted}
        derived_trees = {
            name: check_expression(text, table, list(derived)).tree
            for name, text in derived.items()
        }
        distinct: dict[tuple[Measure, str], set[object]] = {}
        for row in tables.get(table, []):
            path = paths.get(_text(row.get("unit_code")))
            if path is None:
                continue  # the planner's inner join on the unit paths drops it
            lookup = catalog.get((row.get("procedure_code"), row.get("unit_code")), {})
            scope = RowScope(row, derived_trees, period, lookup if table in LOOKUPS else {})
            for measure, tree in trees.items():
                if not as_filter(evaluate(tree, scope)):
                    continue
                value = None if not measure.is_distinct else row.get(measure.count)
                for code in path:
                    if not measure.is_distinct:
                        tallies[(measure, code)] = tallies.get((measure, code), 0) + 1
                    elif value is not None:
                        distinct.setdefault((measure, code), set()).add(_distinct_key(value))
        tallies.update({key: len(values) for key, values in distinct.items()})
    return tallies


def _distinct_key(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return "nan"  # count(DISTINCT) sees every NaN as one value
    return value


def _catalog(rows: Iterable[Row]) -> dict[tuple[object, object], dict[str, object]]:
    """``procedure.<col>``: per (procedure_code, unit_code), the max() of every column."""
    catalog: dict[tuple[object, object], dict[str, object]] = {}
    for row in rows:
        key = (row.get("procedure_code"), row.get("unit_code"))
        if key[0] is None or key[1] is None:
            continue
        merged = catalog.setdefault(key, {})
        for column in TABLES["procedures"].column_names:
            value = row.get(column)
            if value is not None and (
                merged.get(column) is None or compare(value, merged[column]) == 1
            ):
                merged[column] = value
    return {key: {f"procedure.{c}": v for c, v in row.items()} for key, row in catalog.items()}


@dataclass
class RowScope:
    """What a column name means for one row in one period."""

    row: Row
    derived: Mapping[str, exp.Expression]
    period: Period
    lookup: Mapping[str, object] = field(default_factory=dict)
    _memo: dict[str, object] = field(default_factory=dict)

    def get(self, name: str) -> object:
        if name in self.derived:
            if name not in self._memo:
                self._memo[name] = evaluate(self.derived[name], self)
            return self._memo[name]
        if name == PERIOD_PARAMETERS[0]:
            return self.period.start_at
        if name == PERIOD_PARAMETERS[1]:
            return self.period.end_at
        if "." in name:
            return self.lookup.get(name)
        return self.row.get(name)


# ------------------------------------------------------------------ evaluation

Evaluator = Callable[[Any, RowScope], object]
_EVALUATORS: dict[type[exp.Expression], Evaluator] = {}

# Arguments each node may carry; anything else set on a node is refused, so a
# new sqlglot flag can never be silently ignored.
_KNOWN_ARGS = {
    "this", "expression", "expressions", "ifs", "default", "true", "false", "low", "high",
    "to", "unit", "decimals", "negate", "safe", "date_part_boundary", "table", "quoted",
    "is_string", "ignore_nulls", "typed", "nested", "input_type_preserved", "kind",
}  # fmt: skip


def evaluate(node: exp.Expression, scope: RowScope) -> object:
    """The value of a checked expression for one row: None is SQL NULL."""
    evaluator = _EVALUATORS.get(type(node))
    if evaluator is None:
        raise NotImplementedError(f"the reference backend cannot evaluate {type(node).__name__}")
    unknown = {
        k for k, v in node.args.items() if v not in (None, False, []) and k not in _KNOWN_ARGS
    }
    if unknown:
        raise NotImplementedError(f"{type(node).__name__} with {', '.join(sorted(unknown))}")
    return evaluator(node, scope)


def _handles(*types: type[exp.Expression]) -> Callable[[Evaluator], Evaluator]:
    def register(function: Evaluator) -> Evaluator:
        for node_type in types:
            _EVALUATORS[node_type] = function
        return function

    return register


def handled_node_types() -> frozenset[type[exp.Expression]]:
    """Node types the evaluator accepts (DataType, Var and Identifier through their parents)."""
    return frozenset(_EVALUATORS) | {exp.DataType, exp.Var, exp.Identifier}


@_handles(exp.Column)
def _column(node: exp.Column, scope: RowScope) -> object:
    return scope.get(f"{node.table}.{node.name}" if node.table else node.name)


@_handles(exp.Literal)
def _literal(node: exp.Literal, scope: RowScope) -> object:
    text = str(node.this)
    if node.is_string:
        return text
    if re.fullmatch(r"\d+", text):
        return int(text)
    if "e" in text.lower():
        return float(text)
    return Decimal(text)


@_handles(exp.Boolean)
def _boolean(node: exp.Boolean, scope: RowScope) -> object:
    return bool(node.this)


@_handles(exp.Null)
def _null(node: exp.Null, scope: RowScope) -> object:
    return None


@_handles(exp.Paren)
def _paren(node: exp.Paren, scope: RowScope) -> object:
    return evaluate(node.this, scope)


@_handles(exp.Tuple)
def _tuple(node: exp.Tuple, scope: RowScope) -> object:
    return tuple(evaluate(item, scope) for item in node.expressions)


@_handles(exp.And, exp.Or)
def _and_or(node: exp.And | exp.Or, scope: RowScope) -> object:
    decisive = isinstance(node, exp.Or)  # TRUE decides OR, FALSE decides AND
    left = _truth(evaluate(node.this, scope))
    if left is decisive:
        return decisive
    right = _truth(evaluate(node.expression, scope))
    if right is decisive:
        return decisive
    return None if left is None or right is None else not decisive


@_handles(exp.Not)
def _not(node: exp.Not, scope: RowScope) -> object:
    value = _truth(evaluate(node.this, scope))
    return None if value is None else not value


_COMPARISONS: dict[type[exp.Expression], Callable[[int], bool]] = {
    exp.EQ: lambda c: c == 0,
    exp.NEQ: lambda c: c != 0,
    exp.GT: lambda c: c > 0,
    exp.GTE: lambda c: c >= 0,
    exp.LT: lambda c: c < 0,
    exp.LTE: lambda c: c <= 0,
}


@_handles(*_COMPARISONS)
def _comparison(node: Any, scope: RowScope) -> object:
    result = compare(evaluate(node.this, scope), evaluate(node.expression, scope))
    return None if result is None else _COMPARISONS[type(node)](result)


@_handles(exp.NullSafeEQ, exp.NullSafeNEQ)
def _null_safe(node: exp.Binary, scope: RowScope) -> object:
    left, right = evaluate(node.this, scope), evaluate(node.expression, scope)
    same = (left is None and right is None) or (
        left is not None and right is not None and compare(left, right) == 0
    )
    return same if isinstance(node, exp.NullSafeEQ) else not same


@_handles(exp.Is)
def _is(node: exp.Is, scope: RowScope) -> object:
    value = evaluate(node.this, scope)
    target = node.expression
    if isinstance(target, exp.Null):
        result = value is None
    elif isinstance(target, exp.Boolean):
        result = value is not None and _truth(value) is bool(target.this)
    else:
        raise NotImplementedError(f"IS {type(target).__name__}")
    return not result if node.args.get("negate") else result


@_handles(exp.In)
def _in(node: exp.In, scope: RowScope) -> object:
    value = evaluate(node.this, scope)
    if value is None:
        return None
    unknown = False
    for item in node.expressions:
        result = compare(value, evaluate(item, scope))
        if result == 0:
            return True
        unknown = unknown or result is None
    return None if unknown else False


@_handles(exp.Between)
def _between(node: exp.Between, scope: RowScope) -> object:
    value = evaluate(node.this, scope)
    low = compare(value, evaluate(node.args["low"], scope))
    high = compare(value, evaluate(node.args["high"], scope))
    checks = [None if low is None else low >= 0, None if high is None else high <= 0]
    if False in checks:
        return False
    return None if None in checks else True


@_handles(exp.Like, exp.ILike)
def _like(node: exp.Like | exp.ILike, scope: RowScope) -> object:
    value, pattern = evaluate(node.this, scope), evaluate(node.expression, scope)
    if value is None or pattern is None:
        return None
    text, pattern_text = str(cast_value(value, "VARCHAR")), str(cast_value(pattern, "VARCHAR"))
    if isinstance(node, exp.ILike):
        text, pattern_text = text.lower(), pattern_text.lower()
    regex = "".join(
        ".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern_text
    )
    matched = re.fullmatch(regex, text, flags=re.DOTALL) is not None
    return not matched if node.args.get("negate") else matched


@_handles(exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)
def _arithmetic(node: exp.Binary, scope: RowScope) -> object:
    return arithmetic(
        type(node).__name__, evaluate(node.this, scope), evaluate(node.expression, scope)
    )


@_handles(exp.Neg)
def _neg(node: exp.Neg, scope: RowScope) -> object:
    value = evaluate(node.this, scope)
    if value is None:
        return None
    if isinstance(value, Interval):
        return Interval(-value.months, -value.days, -value.micros)
    return arithmetic("Mul", _number(value), -1)


@_handles(exp.Case)
def _case(node: exp.Case, scope: RowScope) -> object:
    subject = evaluate(node.this, scope) if node.this is not None else None
    for branch in node.args.get("ifs") or []:
        condition = evaluate(branch.this, scope)
        hit = compare(subject, condition) == 0 if node.this is not None else _truth(condition)
        if hit:
            return evaluate(branch.args["true"], scope)
    default = node.args.get("default")
    return evaluate(default, scope) if default is not None else None


@_handles(exp.If)
def _if(node: exp.If, scope: RowScope) -> object:
    if _truth(evaluate(node.this, scope)):
        return evaluate(node.args["true"], scope)
    otherwise = node.args.get("false")
    return evaluate(otherwise, scope) if otherwise is not None else None


@_handles(exp.Coalesce)
def _coalesce(node: exp.Coalesce, scope: RowScope) -> object:
    for item in [node.this, *node.expressions]:
        value = evaluate(item, scope)
        if value is not None:
            return value
    return None


@_handles(exp.Greatest, exp.Least)
def _extreme(node: exp.Greatest | exp.Least, scope: RowScope) -> object:
    want = 1 if isinstance(node, exp.Greatest) else -1
    best: object = None
    for item in [node.this, *node.expressions]:
        value = evaluate(item, scope)
        if value is not None and (best is None or compare(value, best) == want):
            best = value
    return best


@_handles(exp.Abs)
def _abs(node: exp.Abs, scope: RowScope) -> object:
    value = evaluate(node.this, scope)
    return None if value is None else abs(_number(value))


@_handles(exp.Round)
def _round(node: exp.Round, scope: RowScope) -> object:
    value = evaluate(node.this, scope)
    digits_node = node.args.get("decimals")
    digits = evaluate(digits_node, scope) if digits_node is not None else 0
    if value is None or digits is None:
        return None
    return round_value(_number(value), _as_int(cast_value(digits, "INT")))


@_handles(exp.Cast, exp.TryCast)
def _cast(node: exp.Cast, scope: RowScope) -> object:
    value = evaluate(node.this, scope)
    target = node.args["to"]
    if target.expressions:
        raise NotImplementedError(f"CAST to a parameterised {target.sql('duckdb')}")
    try:
        return cast_value(value, target.this.name)
    except EvaluationError:
        if isinstance(node, exp.TryCast) or node.args.get("safe"):
            return None
        raise


@_handles(exp.Interval)
def _interval(node: exp.Interval, scope: RowScope) -> object:
    value = evaluate(node.this, scope) if node.this is not None else None
    unit = node.args.get("unit")
    if value is None:
        return None
    if unit is None:
        return Interval.parse(str(value))
    return Interval.of(value, unit.name)


@_handles(exp.DateAdd, exp.DateSub)
def _date_add(node: exp.DateAdd | exp.DateSub, scope: RowScope) -> object:
    base, amount = evaluate(node.this, scope), evaluate(node.expression, scope)
    unit = node.args.get("unit")
    if amount is not None and not isinstance(amount, Interval):
        amount = Interval.of(amount, unit.name if unit is not None else "DAY")
    return arithmetic("Add" if isinstance(node, exp.DateAdd) else "Sub", base, amount)


@_handles(exp.DateDiff)
def _date_diff(node: exp.DateDiff, scope: RowScope) -> object:
    end, start = evaluate(node.this, scope), evaluate(node.expression, scope)
    unit = node.args.get("unit")
    if start is None or end is None:
        return None
    return date_diff(_part(unit.name if unit is not None else "DAY"), _stamp(start), _stamp(end))


@_handles(exp.DateTrunc, exp.TimestampTrunc)
def _trunc(node: exp.DateTrunc | exp.TimestampTrunc, scope: RowScope) -> object:
    value = evaluate(node.this, scope)
    return None if value is None else truncate(_part(node.args["unit"].name), _stamp(value))


@_handles(exp.Extract)
def _extract(node: exp.Extract, scope: RowScope) -> object:
    value = evaluate(node.expression, scope)
    return None if value is None else extract(_part(node.this.name), _stamp(value))


@_handles(exp.DayOfWeek, exp.Year, exp.Month, exp.Day)
def _date_part(node: exp.Func, scope: RowScope) -> object:
    value = evaluate(node.this, scope)
    part = {exp.DayOfWeek: "DOW", exp.Year: "YEAR", exp.Month: "MONTH", exp.Day: "DAY"}
    return None if value is None else extract(part[type(node)], _stamp(value))


@_handles(exp.Anonymous)
def _macro(node: exp.Anonymous, scope: RowScope) -> object:
    name = str(node.this).lower()
    first, second = (evaluate(arg, scope) for arg in node.expressions)
    if first is None or second is None:
        return None
    if name == "working_days":
        start, end = (
            _working_seq(cast_value(first, "DATE")),
            _working_seq(cast_value(second, "DATE")),
        )
        return None if start is None or end is None else end - start
    if name == "add_working_days":
        day = cast_value(first, "DATE")
        seq = _working_seq(day)
        if seq is None:
            return None
        target = _list_item(_calendar()[1], seq + _as_int(cast_value(_ceil(second), "INT")))
        if target is None:
            return None
        return _stamp(first) + timedelta(days=(target - _to_date(day)).days)
    raise NotImplementedError(f"function {name}()")


# ------------------------------------------------------------------ values


@dataclass(frozen=True)
class Interval:
    """DuckDB's INTERVAL: months, days and microseconds, kept apart."""

    months: int = 0
    days: int = 0
    micros: int = 0

    _UNITS: ClassVar[dict[str, tuple[int, int, int]]] = {
        "YEAR": (12, 0, 0), "QUARTER": (3, 0, 0), "MONTH": (1, 0, 0), "WEEK": (0, 7, 0),
        "DAY": (0, 1, 0), "HOUR": (0, 0, 3_600_000_000), "MINUTE": (0, 0, 60_000_000),
        "SECOND": (0, 0, 1_000_000), "MILLISECOND": (0, 0, 1_000), "MICROSECOND": (0, 0, 1),
    }  # fmt: skip

    @classmethod
    def of(cls, amount: object, unit: str) -> Interval:
        months, days, micros = cls._UNITS[_part(unit)]
        number = _number(cast_value(amount, "DOUBLE") if isinstance(amount, str) else amount)
        if micros and micros <= 1_000_000:  # seconds and below keep their fraction
            return cls(0, 0, int(Decimal(str(number)) * micros))
        whole = int(number)  # truncates toward zero, as DuckDB does
        return cls(months * whole, days * whole, micros * whole)

    @classmethod
    def parse(cls, text: str) -> Interval:
        total = cls()
        parts = re.findall(r"(-?[\d.]+)\s*([a-zA-Z]+)", text)
        if not parts:
            raise EvaluationError(f"not an interval: {text!r}")
        for amount, unit in parts:
            total = total + cls.of(Decimal(amount), unit)
        return total

    def __add__(self, other: Interval) -> Interval:
        return Interval(
            self.months + other.months, self.days + other.days, self.micros + other.micros
        )

    def key(self) -> int:
        return (self.months * 30 + self.days) * 86_400_000_000 + self.micros


def _part(name: str) -> str:
    upper = name.upper().strip("'")
    aliases = {
        "YEARS": "YEAR", "Y": "YEAR", "YR": "YEAR", "YRS": "YEAR", "QUARTERS": "QUARTER",
        "MONTHS": "MONTH", "MON": "MONTH", "WEEKS": "WEEK", "W": "WEEK", "DAYS": "DAY",
        "D": "DAY", "HOURS": "HOUR", "H": "HOUR", "MINUTES": "MINUTE", "MIN": "MINUTE",
        "SECONDS": "SECOND", "S": "SECOND", "SEC": "SECOND", "MILLISECONDS": "MILLISECOND",
        "MS": "MILLISECOND", "MICROSECONDS": "MICROSECOND", "US": "MICROSECOND",
        "DAYOFWEEK": "DOW", "WEEKDAY": "DOW", "DAYOFYEAR": "DOY", "WEEKOFYEAR": "WEEK",
        "DAYOFMONTH": "DAY",
    }  # fmt: skip
    return aliases.get(upper, upper)


def _number(value: object) -> int | float | Decimal:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, str):
        return _number(cast_value(value, "DOUBLE"))
    raise EvaluationError(f"not a number: {value!r}")


def _truth(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    return bool(cast_value(value, "BOOLEAN"))


def as_filter(value: object) -> bool:
    """A FILTER (WHERE …) keeps a row only when the condition is TRUE."""
    return _truth(value) is True


def _stamp(value: object) -> datetime:
    result = cast_value(value, "TIMESTAMP")
    assert isinstance(result, datetime)
    return result


def compare(left: object, right: object) -> int | None:
    """-1, 0 or 1 as DuckDB orders the two values; None when either is NULL."""
    if left is None or right is None:
        return None
    left, right = _unify(left, right)
    if isinstance(left, tuple) and isinstance(right, tuple):
        return _compare_tuples(left, right)
    if isinstance(left, Interval) and isinstance(right, Interval):
        left, right = left.key(), right.key()
    if isinstance(left, float) or isinstance(right, float):
        left, right = _float_key(left), _float_key(right)
    try:
        return int((left > right) - (left < right))  # type: ignore[operator]
    except TypeError:
        raise EvaluationError(f"cannot compare {left!r} with {right!r}") from None


def _compare_tuples(left: tuple[object, ...], right: tuple[object, ...]) -> int:
    for a, b in zip(left, right, strict=False):
        if a is None or b is None:
            if a is None and b is None:
                continue
            return 1 if a is None else -1  # a NULL field sorts last
        result = compare(a, b)
        if result:
            return result
    return (len(left) > len(right)) - (len(left) < len(right))


def _float_key(value: object) -> tuple[int, float]:
    number = float(value)  # type: ignore[arg-type]
    return (1, 0.0) if math.isnan(number) else (0, number)  # NaN is the largest value


def _unify(left: object, right: object) -> tuple[object, object]:
    """DuckDB's implicit casts for a binary operation (string literals adopt the other type)."""
    if isinstance(left, str) != isinstance(right, str):
        if isinstance(left, str):
            return cast_value(left, _type_of(right)), right
        return left, cast_value(right, _type_of(left))
    if isinstance(left, bool) != isinstance(right, bool):
        return _number(left), _number(right)
    mixed_dates = isinstance(left, datetime) != isinstance(right, datetime)
    if mixed_dates and isinstance(left, date) and isinstance(right, date):
        return _stamp(left), _stamp(right)
    return left, right


def _type_of(value: object) -> str:
    for kind, name in (
        (bool, "BOOLEAN"), (int, "BIGINT"), (float, "DOUBLE"), (Decimal, "DECIMAL_EXACT"),
        (datetime, "TIMESTAMP"), (date, "DATE"), (Interval, "INTERVAL"), (str, "VARCHAR"),
    ):  # fmt: skip
        if isinstance(value, kind):
            return name
    raise EvaluationError(f"no SQL type for {value!r}")


def arithmetic(op: str, left: object, right: object) -> object:
    """``Add``, ``Sub``, ``Mul``, ``Div`` or ``Mod`` with DuckDB's typing and NULLs."""
    if left is None or right is None:
        return None
    left, right = _unify(left, right)
    if isinstance(left, (date, Interval)) or isinstance(right, (date, Interval)):
        return _temporal(op, left, right)
    a, b = _number(left), _number(right)
    if op == "Div":
        return _divide(float(a), float(b))
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
    if op == "Mod":
        return _modulo(a, b)
    return {"Add": a + b, "Sub": a - b, "Mul": a * b}[op]  # type: ignore[operator]


def _divide(a: float, b: float) -> float:
    if b == 0:  # DuckDB's / is IEEE division: x/0 is ±inf, 0/0 is NaN
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _modulo(a: int | float | Decimal, b: int | float | Decimal) -> object:
    if isinstance(a, float):
        return math.nan if b == 0 or math.isinf(a) else math.fmod(a, float(b))
    if b == 0:
        raise EvaluationError("division by zero")
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return Decimal(a) % Decimal(b)  # the sign follows the dividend, as in C
    remainder = abs(a) % abs(b)
    return remainder if a >= 0 else -remainder


def _temporal(op: str, left: object, right: object) -> object:
    if isinstance(right, Interval) and isinstance(left, (date, Interval)) and op in ("Add", "Sub"):
        sign = 1 if op == "Add" else -1
        step = Interval(sign * right.months, sign * right.days, sign * right.micros)
        return left + step if isinstance(left, Interval) else _shift(_stamp(left), step)
    if isinstance(left, Interval) and isinstance(right, date) and op == "Add":
        return _shift(_stamp(right), left)
    if isinstance(left, Interval) and op == "Mul" and not isinstance(right, (date, Interval)):
        factor = int(_number(right))
        return Interval(left.months * factor, left.days * factor, left.micros * factor)
    if isinstance(left, date) and isinstance(right, date) and op == "Sub":
        if not isinstance(left, datetime) and not isinstance(right, datetime):
            return (left - right).days
        delta = _stamp(left) - _stamp(right)
        return Interval(0, delta.days, delta.seconds * 1_000_000 + delta.microseconds)
    if type(left) is date and isinstance(right, int) and op in ("Add", "Sub"):
        return left + timedelta(days=right if op == "Add" else -right)
    raise EvaluationError(f"cannot {op.lower()} {left!r} and {right!r}")


def _shift(moment: datetime, interval: Interval) -> datetime:
    if interval.months:
        year, month = divmod(moment.month - 1 + interval.months, 12)
        year += moment.year
        day = min(moment.day, monthrange(year, month + 1)[1])
        moment = moment.replace(year=year, month=month + 1, day=day)
    return moment + timedelta(days=interval.days, microseconds=interval.micros)


def round_value(value: int | float | Decimal, digits: int) -> int | float | Decimal:
    """DuckDB's round(): half away from zero (on the binary value for DOUBLE)."""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return value
        if digits >= 0:
            scale = 10.0**digits
            rounded = _round_half_away(value * scale) / scale
        else:
            scale = 10.0**-digits
            rounded = _round_half_away(value / scale) * scale
        return value if math.isinf(rounded) or math.isnan(rounded) else rounded
    if isinstance(value, int) and digits >= 0:
        return value
    exponent = Decimal(1).scaleb(-digits)
    rounded_decimal = Decimal(value).quantize(exponent, rounding=ROUND_HALF_UP)
    return int(rounded_decimal) if isinstance(value, int) else rounded_decimal


def _round_half_away(value: float) -> float:
    magnitude = abs(value)
    whole = math.floor(magnitude)
    if magnitude - whole >= 0.5:
        whole += 1
    return math.copysign(whole, value)


def _as_int(value: object) -> int:
    assert isinstance(value, int)
    return value


def _ceil(value: object) -> object:
    number = _number(value)
    return number if isinstance(number, int) else math.ceil(number)


_INT_RANGES = {"INT": 2**31, "BIGINT": 2**63}


def cast_value(value: object, target: str) -> object:
    """CAST(value AS target) as DuckDB does it; raises EvaluationError when DuckDB would."""
    if value is None:
        return None
    target = {"TIMESTAMPNTZ": "TIMESTAMP", "DATETIME": "TIMESTAMP", "TEXT": "VARCHAR"}.get(
        target, target
    )
    caster = _CASTS.get(target)
    if caster is None:
        raise NotImplementedError(f"CAST to {target}")
    try:
        return caster(value)
    except (ValueError, TypeError, ArithmeticError) as error:
        if isinstance(error, EvaluationError):
            raise
        raise EvaluationError(f"cannot cast {value!r} to {target}") from None


def _to_int(value: object, limit: int) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        number = round(value)  # DOUBLE → integer rounds half to even (nearbyint)
    elif isinstance(value, (int, Decimal, str)):
        exact = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
        number = int(exact.to_integral_value(rounding=ROUND_HALF_UP))
    else:
        raise EvaluationError(f"cannot cast {value!r} to an integer")
    if not -limit <= number < limit:
        raise EvaluationError(f"{value!r} is out of range for an integer")
    return number


def _to_float(value: object) -> float:
    if isinstance(value, str):
        return float(value.strip())
    if isinstance(value, (bool, int, float, Decimal)):
        return float(value)
    raise EvaluationError(f"cannot cast {value!r} to DOUBLE")


def _to_decimal(value: object, exact: bool = False) -> Decimal:
    if isinstance(value, (date, Interval)):
        raise EvaluationError(f"cannot cast {value!r} to DECIMAL")
    number = Decimal(value.strip() if isinstance(value, str) else _number(value))
    if exact:
        return number
    return number.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)  # DECIMAL(18,3)


_TRUE_WORDS = {"true", "t", "yes", "y", "1"}
_FALSE_WORDS = {"false", "f", "no", "n", "0"}


def _to_bool(value: object) -> bool:
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS | _FALSE_WORDS:
            return word in _TRUE_WORDS
        raise EvaluationError(f"cannot cast {value!r} to BOOLEAN")
    if isinstance(value, (bool, int, float, Decimal)):
        return bool(value)
    raise EvaluationError(f"cannot cast {value!r} to BOOLEAN")


def _to_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
        if match:
            return date(*(int(part) for part in match.groups()))
    raise EvaluationError(f"cannot cast {value!r} to DATE")


def _to_timestamp(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise EvaluationError(f"cannot cast {value!r} to TIMESTAMP")


def _to_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        return text + (f".{value.microsecond:06d}".rstrip("0") if value.microsecond else "")
    if isinstance(value, Interval):
        raise NotImplementedError("CAST of an INTERVAL to VARCHAR")
    if isinstance(value, tuple):
        raise EvaluationError("cannot cast a row to VARCHAR")
    return str(value)


def _to_interval(value: object) -> Interval:
    if isinstance(value, Interval):
        return value
    if isinstance(value, str):
        return Interval.parse(value)
    raise EvaluationError(f"cannot cast {value!r} to INTERVAL")


_CASTS: dict[str, Callable[[object], object]] = {
    "INT": lambda v: _to_int(v, _INT_RANGES["INT"]),
    "BIGINT": lambda v: _to_int(v, _INT_RANGES["BIGINT"]),
    "DOUBLE": _to_float,
    "DECIMAL": _to_decimal,
    "DECIMAL_EXACT": lambda v: _to_decimal(v, exact=True),
    "BOOLEAN": _to_bool,
    "DATE": _to_date,
    "TIMESTAMP": _to_timestamp,
    "VARCHAR": _to_text,
    "INTERVAL": _to_interval,
}


# ------------------------------------------------------------------ dates


def date_diff(part: str, start: datetime, end: datetime) -> int:
    """date_diff(part, start, end): boundaries crossed, as DuckDB counts them."""
    if part == "YEAR":
        return end.year - start.year
    if part == "QUARTER":
        return (end.year * 4 + (end.month - 1) // 3) - (start.year * 4 + (start.month - 1) // 3)
    if part == "MONTH":
        return (end.year * 12 + end.month) - (start.year * 12 + start.month)
    days = (end.date() - start.date()).days
    if part in ("DAY", "DOY", "DOW", "ISODOW"):
        return days
    if part == "WEEK":
        return int(days / 7)  # truncated toward zero
    if part == "DECADE":
        return end.year // 10 - start.year // 10
    scale = {"HOUR": 3_600_000_000, "MINUTE": 60_000_000, "SECOND": 1_000_000}
    scale |= {"MILLISECOND": 1_000, "MICROSECOND": 1}
    if part not in scale:
        raise EvaluationError(f"date_diff: unknown date part {part!r}")
    return _epoch_micros(end) // scale[part] - _epoch_micros(start) // scale[part]


def _epoch_micros(moment: datetime) -> int:
    delta = moment - datetime(1970, 1, 1)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def truncate(part: str, moment: datetime) -> datetime:
    """date_trunc(part, value): always a TIMESTAMP in DuckDB, even for a DATE."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    simple = {
        "YEAR": day.replace(month=1, day=1),
        "QUARTER": day.replace(month=3 * ((moment.month - 1) // 3) + 1, day=1),
        "MONTH": day.replace(day=1),
        "WEEK": day - timedelta(days=moment.weekday()),
        "DAY": day,
        "HOUR": moment.replace(minute=0, second=0, microsecond=0),
        "MINUTE": moment.replace(second=0, microsecond=0),
        "SECOND": moment.replace(microsecond=0),
    }
    if part not in simple:
        raise EvaluationError(f"date_trunc: unknown date part {part!r}")
    return simple[part]


def extract(part: str, moment: datetime) -> object:
    """extract(part FROM value) and year()/month()/day()/dayofweek()."""
    iso = moment.isocalendar()
    parts: dict[str, Callable[[], object]] = {
        "YEAR": lambda: moment.year,
        "QUARTER": lambda: (moment.month - 1) // 3 + 1,
        "MONTH": lambda: moment.month,
        "DAY": lambda: moment.day,
        "HOUR": lambda: moment.hour,
        "MINUTE": lambda: moment.minute,
        "SECOND": lambda: moment.second,
        "MILLISECOND": lambda: moment.second * 1000 + moment.microsecond // 1000,
        "MICROSECOND": lambda: moment.second * 1_000_000 + moment.microsecond,
        "EPOCH": lambda: _epoch_micros(moment) / 1_000_000,
        "DOW": lambda: (moment.weekday() + 1) % 7,
        "ISODOW": lambda: moment.isoweekday(),
        "DOY": lambda: moment.timetuple().tm_yday,
        "WEEK": lambda: iso.week,
        "ISOYEAR": lambda: iso.year,
        "DECADE": lambda: moment.year // 10,
    }
    if part not in parts:
        raise EvaluationError(f"extract: unknown date part {part!r}")
    return parts[part]()


@cache
def _calendar() -> tuple[list[int], list[date]]:
    """engine/calendar.py's two lists: working days so far per date, and the working days."""
    off = public_holidays()
    seq, workdays, running = [], [], 0
    day = EPOCH
    while day.year <= LAST_YEAR:
        if day.isoweekday() < 6 and day not in off:
            running += 1
            workdays.append(day)
        seq.append(running)
        day += timedelta(days=1)
    return seq, workdays


def _working_seq(value: object) -> int | None:
    assert isinstance(value, date)
    seq = _list_item(_calendar()[0], (value - EPOCH).days + 1)
    return None if seq is None else int(seq)


def _list_item(items: Sequence[Any], index: int) -> Any:
    """list_extract as documented by engine/calendar.py: NULL outside the list."""
    return items[index - 1] if 1 <= index <= len(items) else None
