"""Run planned count queries on DuckDB and collect :class:`Counts`."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from dvc_score.engine.calendar import install_calendar
from dvc_score.engine.hierarchy import ancestor_paths
from dvc_score.engine.periods import Period
from dvc_score.engine.planner import (
    PERIODS,
    UNIT_CLOSURE,
    UNIT_PATHS,
    TableQuery,
    periods_values,
    plan,
)
from dvc_score.errors import DataError, redacted_first_line
from dvc_score.model.counts import Count, Counts, UnitInfo, order_units
from dvc_score.model.ruleset import Ruleset


def load_units(con: duckdb.DuckDBPyConnection) -> list[UnitInfo]:
    rows = con.execute(
        "SELECT CAST(unit_code AS VARCHAR), CAST(unit_name AS VARCHAR), CAST(level AS VARCHAR),"
        " NULLIF(CAST(parent_code AS VARCHAR), '') FROM units"
    ).fetchall()
    if not rows:
        raise DataError("units: the table is empty; at least the province is needed")
    return order_units([UnitInfo(str(c), str(n or c), str(lv or ""), p) for c, n, lv, p in rows])


def count(
    con: duckdb.DuckDBPyConnection,
    ruleset: Ruleset,
    periods: Sequence[Period],
    indicator_ids: Sequence[str] | None = None,
) -> list[Counts]:
    """Numerators and denominators of every unit and indicator, one Counts per period."""
    units, paths, _depth = prepare(con, periods)
    selected = list(indicator_ids or ruleset.indicators)
    results = [Counts(p.id, units, {}, selected) for p in periods]
    for query in plan(ruleset, selected):
        _collect(con, query, results)
    _fill_missing(results, selected)
    _spread_root_scope(results, ruleset, paths, selected)
    return results


def prepare(
    con: duckdb.DuckDBPyConnection, periods: Sequence[Period]
) -> tuple[list[UnitInfo], dict[str, list[str]], int]:
    """Install the calendar, the unit paths and closure and the periods the planned SQL reads.

    Returns the units, each unit's path from its root, and the tree's depth.
    Period ``k`` of ``periods`` has ``period_id`` ``'k'`` in query results.
    """
    units = load_units(con)
    paths = ancestor_paths(units)
    depth = max(len(path) for path in paths.values())
    install_calendar(con)
    _install_paths(con, depth)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {PERIODS} AS {periods_values(periods)}")
    return units, paths, depth


def _install_paths(con: duckdb.DuckDBPyConnection, depth: int) -> None:
    # The tree was validated in Python (no cycles, no unknown parents), so the
    # recursive walk terminates.
    columns = ", ".join(f"path[{k + 1}] AS a{k}" for k in range(depth))
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {UNIT_PATHS} AS
        WITH RECURSIVE walk(unit_code, ancestor, dist) AS (
            SELECT CAST(unit_code AS VARCHAR), CAST(unit_code AS VARCHAR), 0 FROM units
            UNION ALL
            SELECT w.unit_code, CAST(u.parent_code AS VARCHAR), w.dist + 1
            FROM walk w JOIN units u ON CAST(u.unit_code AS VARCHAR) = w.ancestor
            WHERE NULLIF(CAST(u.parent_code AS VARCHAR), '') IS NOT NULL
        ),
        paths AS (
            SELECT unit_code, list(ancestor ORDER BY dist DESC) AS path FROM walk GROUP BY unit_code
        )
        SELECT unit_code, {columns} FROM paths
        """
    )
    levels = " UNION ALL ".join(
        f"SELECT unit_code, a{k} AS ancestor FROM {UNIT_PATHS} WHERE a{k} IS NOT NULL"
        for k in range(depth)
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {UNIT_CLOSURE} AS {levels}")


def _collect(con: duckdb.DuckDBPyConnection, query: TableQuery, results: list[Counts]) -> None:
    try:
        cursor = con.execute(query.sql)
    except duckdb.Error as error:
        message = redacted_first_line(error)
        raise DataError(f"{query.table}: counting failed: {message}") from None
    names = [d[0] for d in cursor.description or ()]
    aliases = {ref.alias for ref in query.refs}
    for row in cursor.fetchall():
        record = dict(zip(names, row, strict=True))
        unit_code = record["unit_code"]
        counts = results[int(record["period_id"])]
        values = {alias: int(record[alias]) for alias in aliases}
        for ref in query.refs:
            _set(counts, unit_code, ref.indicator_id, ref.side, values[ref.alias])


def _set(counts: Counts, unit_code: str, indicator_id: str, side: str, value: int) -> None:
    current = counts.values.get((unit_code, indicator_id), Count(0, 0))
    if side == "numerator":
        counts.values[(unit_code, indicator_id)] = Count(value, current.denominator)
    else:
        counts.values[(unit_code, indicator_id)] = Count(current.numerator, value)


def _fill_missing(results: list[Counts], indicator_ids: Sequence[str]) -> None:
    # A unit with no rows in a table has counted zero of everything there.
    for counts in results:
        for unit in counts.units:
            for indicator_id in indicator_ids:
                counts.values.setdefault((unit.unit_code, indicator_id), Count(0, 0))


def _spread_root_scope(
    results: list[Counts],
    ruleset: Ruleset,
    paths: dict[str, list[str]],
    indicator_ids: Sequence[str],
) -> None:
    # Procedure-level publicity is the province's figure, shown on every unit.
    rooted = [i for i in indicator_ids if ruleset.indicators[i].scope == "root"]
    for counts in results:
        for unit in counts.units:
            root = paths[unit.unit_code][0]
            for indicator_id in rooted:
                counts.values[(unit.unit_code, indicator_id)] = counts.get(root, indicator_id)
