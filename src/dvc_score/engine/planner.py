"""Compile a ruleset into one DuckDB query per table.

Each query reads its table once and computes, for every period and for every
unit *and each of its ancestors*, all the numerators and denominators that read
that table. Identical measures (same table, filter and count) are computed once
and shared.

The query has two stages, because a province has millions of dossiers but only
a few thousand (unit, procedure, service) combinations:

1. **Per unit.** One hash aggregation over the rows, grouped by period, unit
   and the columns that distinct measures count: a row measure becomes
   ``count(*) FILTER (WHERE …)``, a distinct measure ``bool_or(…)`` ("some row
   of this group qualifies").
2. **Roll-up.** The small per-unit result is joined to the unit closure
   (each unit paired with itself and every ancestor) and grouped by ancestor;
   a distinct measure is ``count(DISTINCT column) FILTER (WHERE flag)``, so
   distinct procedures and services are counted afresh at every level instead
   of being summed from children. (``GROUPING SETS`` over the unit paths gave
   the same numbers 2-3x slower: DuckDB keeps a distinct set per grouping set.)

Counting every row at every level in one stage (the first design) made DuckDB
keep a distinct-value set per unit and level over all rows: 1.5-2.8x slower at
ten million dossiers (docs/performance.md). Stage 1 stays small as long as the
counted columns have few values per unit (procedures, services); a ruleset
counting distinct dossier ids would still be right, only not faster.

Expressions are rendered from their checked sqlglot trees, never pasted as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlglot import exp

from dvc_score.engine.periods import Period
from dvc_score.model.ruleset import DerivedColumn, Measure, Ruleset
from dvc_score.model.schema import LOOKUPS, TABLES
from dvc_score.rules.derived import needed_derived, order_derived
from dvc_score.rules.expressions import check_expression

UNIT_PATHS = "dvc_unit_paths"
UNIT_CLOSURE = "dvc_unit_closure"  # (unit_code, ancestor): every unit with itself and its ancestors
PERIODS = "dvc_periods"


@dataclass(frozen=True)
class MeasureRef:
    indicator_id: str
    side: str  # "numerator" | "denominator"
    alias: str


@dataclass(frozen=True)
class TableQuery:
    table: str
    sql: str
    refs: tuple[MeasureRef, ...]


def plan(ruleset: Ruleset, indicator_ids: Sequence[str] | None = None) -> list[TableQuery]:
    """One query per table the selected indicators read."""
    selected = [ruleset.indicators[i] for i in (indicator_ids or ruleset.indicators)]
    by_table: dict[str, list[tuple[str, str, Measure]]] = {}
    for indicator in selected:
        for side, measure in (
            ("numerator", indicator.numerator),
            ("denominator", indicator.denominator),
        ):
            by_table.setdefault(measure.table, []).append((indicator.id, side, measure))
    return [
        _table_query(table, entries, ruleset.derived.get(table, {}))
        for table, entries in by_table.items()
    ]


def _table_query(
    table: str,
    entries: list[tuple[str, str, Measure]],
    derived: dict[str, DerivedColumn],
) -> TableQuery:
    aggregates: dict[tuple[str, str], str] = {}
    refs: list[MeasureRef] = []
    reads: set[str] = set()
    for indicator_id, side, measure in entries:
        checked = check_expression(measure.where, table, list(derived))
        reads |= checked.columns
        key = (_render(checked.tree), measure.count)
        if key not in aggregates:
            aggregates[key] = f"m{len(aggregates)}"
            if measure.is_distinct:
                reads.add(measure.count)
        refs.append(MeasureRef(indicator_id, side, aggregates[key]))
    ctes, last = _row_ctes(table, reads, derived, with_paths=False)
    sql = _two_stage(ctes, last, aggregates)
    return TableQuery(table, sql, tuple(refs))


def _two_stage(ctes: list[str], rows: str, aggregates: dict[tuple[str, str], str]) -> str:
    """Count per (period, unit, distinct columns), then roll up to every ancestor."""
    distinct = sorted({count for _, count in aggregates if count != "rows"})
    keys = ["period_id", "unit_code", *(_q(c) for c in distinct if c != "unit_code")]
    per_unit = ", ".join(
        f"count(*) FILTER (WHERE {where}) AS {alias}"
        if count == "rows"
        else f"bool_or({where}) AS {alias}"
        for (where, count), alias in aggregates.items()
    )
    rolled = ", ".join(
        f"sum(s.{alias}) AS {alias}"
        if count == "rows"
        else f"count(DISTINCT s.{_q(count)}) FILTER (WHERE s.{alias}) AS {alias}"
        for (_, count), alias in aggregates.items()
    )
    ctes = [
        *ctes,
        f"per_unit AS (SELECT {', '.join(keys)}, {per_unit} FROM {rows}"
        f" GROUP BY {', '.join(keys)})",
    ]
    return (
        f"WITH {', '.join(ctes)} "
        f"SELECT s.period_id, c.ancestor AS unit_code, {rolled} "
        f"FROM per_unit s JOIN {UNIT_CLOSURE} c ON c.unit_code = s.unit_code "
        f"GROUP BY s.period_id, c.ancestor"
    )


def row_chain(
    table: str, reads: set[str], derived: dict[str, DerivedColumn], depth: int
) -> tuple[list[str], str]:
    """CTEs giving one row per (table row, period) with the derived columns ``reads`` needs.

    Rows carry ``period_id``, ``period_start``, ``period_end``, the unit path
    ``a0..a{depth-1}``, the base columns read and the needed derived columns.
    Returns the CTE definitions and the name of the last one.
    """
    return _row_ctes(table, reads, derived, with_paths=True, depth=depth)


def _row_ctes(
    table: str,
    reads: set[str],
    derived: dict[str, DerivedColumn],
    *,
    with_paths: bool,
    depth: int = 0,
) -> tuple[list[str], str]:
    derived_names = list(derived)
    needed = needed_derived(reads, derived)
    layers = [[c for c in layer if c.name in needed] for layer in order_derived(derived.values())]
    base_reads = _base_reads(table, reads, needed, derived, derived_names)
    own = sorted(c for c in base_reads if "." not in c and c != "unit_code")
    lookups = sorted(c for c in base_reads if "." in c)
    select = ["t.unit_code"] + [f"t.{_q(c)}" for c in own] + [f"l.{_q(c)}" for c in lookups]
    joins = _lookup_join(table, lookups)
    if with_paths:
        select += [f"u.a{level}" for level in range(depth)]
        joins += f" JOIN {UNIT_PATHS} u ON u.unit_code = t.unit_code"
    ctes = [
        f"src AS (SELECT {', '.join(select)} FROM {table} t{joins})",
        f"l0 AS (SELECT * FROM src CROSS JOIN {PERIODS})",
    ]
    for index, layer in enumerate([layer for layer in layers if layer], start=1):
        columns = ", ".join(f"{_render_checked(c, derived_names)} AS {_q(c.name)}" for c in layer)
        ctes.append(f"l{index} AS (SELECT *, {columns} FROM l{index - 1})")
    return ctes, f"l{len(ctes) - 2}"


def row_query(
    ruleset: Ruleset, table: str, flags: dict[str, str], keep: Sequence[str], depth: int
) -> str:
    """Rows of ``table`` with a boolean column per named filter (for explain and stats).

    ``flags`` maps an output column name to a filter expression over ``table``;
    ``keep`` lists base columns to return as well. Expressions are checked.
    """
    derived = ruleset.derived.get(table, {})
    reads = set(keep)
    rendered = {}
    for name, where in flags.items():
        checked = check_expression(where, table, list(derived))
        reads |= checked.columns
        rendered[name] = _render(checked.tree)
    ctes, last = row_chain(table, reads, derived, depth)
    levels = ", ".join(f"a{level}" for level in range(depth))
    kept = ", ".join(_q(c) for c in keep)
    columns = ", ".join(f"COALESCE({sql}, FALSE) AS {_q(name)}" for name, sql in rendered.items())
    return f"WITH {', '.join(ctes)} SELECT period_id, {levels}, {kept}, {columns} FROM {last}"


def _base_reads(
    table: str,
    reads: set[str],
    needed: set[str],
    derived: dict[str, DerivedColumn],
    derived_names: list[str],
) -> set[str]:
    columns = set(reads)
    for name in needed:
        columns |= check_expression(derived[name].expression, table, derived_names).columns
    return {c for c in columns if c not in derived and c not in ("period_start", "period_end")}


def _lookup_join(table: str, lookups: list[str]) -> str:
    if not lookups:
        return ""
    ((_alias, other),) = [
        (a, o) for a, o in LOOKUPS[table].items() if lookups[0].startswith(a + ".")
    ]
    key = TABLES[other].key
    # max() makes a duplicated catalog row deterministic and keeps dossiers 1:1.
    picked = ", ".join(f"max({_q(c.split('.', 1)[1])}) AS {_q(c)}" for c in lookups)
    return (
        f" LEFT JOIN (SELECT {key}, unit_code, {picked} FROM {other} GROUP BY {key}, unit_code) l"
        f" ON l.{key} = t.{key} AND l.unit_code = t.unit_code"
    )


def _aggregate(where: str, count: str, alias: str) -> str:
    if count == "rows":
        return f"count(*) FILTER (WHERE {where}) AS {alias}"
    return f"count(DISTINCT {_q(count)}) FILTER (WHERE {where}) AS {alias}"


def _render_checked(column: DerivedColumn, derived_names: list[str]) -> str:
    return _render(check_expression(column.expression, column.table, derived_names).tree)


def _render(tree: exp.Expression) -> str:
    """Render with every column as one quoted identifier (``procedure.x`` included)."""

    def quote(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column):
            name = f"{node.table}.{node.name}" if node.table else node.name
            return exp.column(exp.to_identifier(name, quoted=True))
        return node

    return "(" + tree.copy().transform(quote).sql(dialect="duckdb") + ")"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def periods_values(periods: Sequence[Period]) -> str:
    """The periods relation: ``(period_id, period_start, period_end)``."""
    rows = ", ".join(
        f"('{index}', TIMESTAMP '{p.start_at.isoformat(sep=' ')}', TIMESTAMP '{p.end_at.isoformat(sep=' ')}')"
        for index, p in enumerate(periods)
    )
    return f"SELECT * FROM (VALUES {rows}) v(period_id, period_start, period_end)"
