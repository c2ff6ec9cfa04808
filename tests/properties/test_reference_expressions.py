"""The reference evaluator agrees with DuckDB on every kind of node the whitelist allows.

Each sample expression is rendered exactly as the planner renders it and run by
DuckDB over random dossier rows; the reference evaluator must give the same
value on every row, or fail where DuckDB fails.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlglot import exp

from dvc_score.engine import reference
from dvc_score.engine.calendar import install_calendar
from dvc_score.engine.planner import _render
from dvc_score.model.schema import DOSSIERS
from dvc_score.rules.expressions import _ALLOWED_NODES, check_expression

from .harness import budget
from .strategies import PERIOD, dossier_row

SAMPLES = [
    "status",
    "TRUE",
    "NULL",
    "'x''y'",
    "1.5",
    "(status + 1) * 2",
    "(status, channel) = (9, 'online')",
    "synced AND NOT paid_online OR e_result",
    "status = 9",
    "status <> 9",
    "fee_due > 1000",
    "fee_due >= 0",
    "received_at < period_end",
    "due_at <= finished_at",
    "channel IS NULL",
    "synced IS NOT NULL",
    "synced IS TRUE",
    "synced IS NOT DISTINCT FROM paid_online",
    "channel IS DISTINCT FROM 'online'",
    "status IN (9, 10, NULL)",
    "channel NOT IN ('online', 'postal')",
    "fee_due BETWEEN 0 AND 50000",
    "received_at BETWEEN period_start AND due_at",
    "channel LIKE 'on%'",
    "channel ILIKE '%L_'",
    "channel NOT LIKE '_i%'",
    "fee_due + supplement_days",
    "status - supplement_requests",
    "supplement_days * 2.5",
    "fee_due / supplement_days",
    "status / 4",
    "status % 4",
    "supplement_days % 2",
    "-fee_due",
    "-(status)",
    "CASE WHEN status = 9 THEN 'done' WHEN status IN (4, 5) THEN 'open' ELSE 'other' END",
    "CASE channel WHEN 'online' THEN 1 WHEN 'postal' THEN 2 END",
    "IF(synced, fee_due, supplement_days)",
    "COALESCE(finished_at, returned_at, due_at)",
    "GREATEST(received_at, due_at, finished_at)",
    "LEAST(fee_due, supplement_days)",
    "abs(fee_due - 50000)",
    "round(supplement_days, 1)",
    "round(fee_due / 3)",
    "round(supplement_days * 1.5, 2)",
    "CAST(received_at AS DATE)",
    "CAST(received_at AS TIMESTAMP) >= period_start",
    "CAST(status AS VARCHAR)",
    "CAST(fee_due AS INT)",
    "CAST(fee_due AS BIGINT)",
    "CAST(status AS DOUBLE)",
    "CAST(synced AS INT)",
    "CAST(supplement_requests AS BOOLEAN)",
    "CAST('2026-08-01' AS DATE) < received_at",
    "TRY_CAST(channel AS INT)",
    "TRY_CAST(channel AS DATE)",
    "received_at + INTERVAL 3 DAY",
    "received_at - INTERVAL '2' HOUR",
    "received_at + INTERVAL (supplement_days) DAY",
    "received_at + INTERVAL (supplement_days) SECOND",
    "due_at + INTERVAL 1 MONTH",
    "date_add(received_at, INTERVAL 2 DAY)",
    "date_diff('second', received_at, finished_at)",
    "date_diff('minute', received_at, finished_at)",
    "date_diff('hour', received_at, finished_at)",
    "date_diff('day', received_at, finished_at)",
    "date_diff('week', received_at, finished_at)",
    "date_diff('month', received_at, finished_at)",
    "date_diff('quarter', received_at, finished_at)",
    "date_diff('year', received_at, finished_at)",
    "date_trunc('month', received_at)",
    "date_trunc('week', received_at)",
    "date_trunc('hour', received_at)",
    "extract(year FROM received_at)",
    "extract(month FROM received_at)",
    "extract(day FROM received_at)",
    "extract(hour FROM received_at)",
    "extract(minute FROM received_at)",
    "extract(second FROM received_at)",
    "extract(dow FROM received_at)",
    "extract(isodow FROM received_at)",
    "extract(doy FROM received_at)",
    "extract(week FROM received_at)",
    "extract(quarter FROM received_at)",
    "extract(epoch FROM received_at)",
    "dayofweek(received_at)",
    "year(due_at)",
    "month(due_at)",
    "day(due_at)",
    "working_days(received_at, finished_at)",
    "working_days(CAST(received_at AS DATE), due_at)",
    "add_working_days(received_at, supplement_days)",
    "add_working_days(received_at, 5)",
    "add_working_days(received_at, 0)",
]


def _manual_trees() -> list[exp.Expression]:
    """Nodes the DuckDB dialect never parses to, built by hand (DateSub, DateTrunc)."""
    received = exp.column("received_at")
    two_days = exp.Interval(this=exp.Literal.string("2"), unit=exp.var("DAY"))
    return [
        exp.DateSub(this=received.copy(), expression=two_days),
        exp.DateTrunc(this=received.copy(), unit=exp.Literal.string("MONTH")),  # type: ignore[no-untyped-call]
    ]


def _trees() -> Iterator[tuple[str, exp.Expression]]:
    for text in SAMPLES:
        yield text, check_expression(text, "dossiers", []).tree
    for tree in _manual_trees():
        yield tree.sql("duckdb"), tree


TREES = list(_trees())


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    install_calendar(connection)
    columns = ", ".join(f'"{c.name}" {c.type}' for c in DOSSIERS.columns)
    connection.execute(
        f"CREATE TABLE t (rowid_ INTEGER, {columns}, period_start TIMESTAMP, period_end TIMESTAMP)"
    )
    yield connection
    connection.close()


def test_every_allowed_node_type_is_handled() -> None:
    assert set(_ALLOWED_NODES) - reference.handled_node_types() == set()


def test_samples_use_every_allowed_node_type_and_both_macros() -> None:
    used = {type(node) for _, tree in TREES for node in tree.walk()}
    assert set(_ALLOWED_NODES) - used == set()
    macros = {node.name.lower() for _, tree in TREES for node in tree.find_all(exp.Anonymous)}
    assert macros == {"working_days", "add_working_days"}


def test_a_node_type_outside_the_whitelist_is_not_evaluated() -> None:
    tree: Any = exp.func("md5", exp.Literal.string("x"))
    scope = reference.RowScope({}, {}, PERIOD)
    with pytest.raises(NotImplementedError):
        reference.evaluate(tree, scope)


def test_an_unknown_flag_on_an_allowed_node_is_not_silently_ignored() -> None:
    tree = exp.Between(
        this=exp.Literal.number(1),
        low=exp.Literal.number(0),
        high=exp.Literal.number(2),
        symmetric=True,
    )
    with pytest.raises(NotImplementedError):
        reference.evaluate(tree, reference.RowScope({}, {}, PERIOD))


@st.composite
def row_batches(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = [draw(dossier_row("P", ["1.000001"], index)) for index in range(draw(st.integers(1, 6)))]
    for row in rows:
        if draw(st.integers(0, 4)) == 0 and row["received_at"] is not None:
            row["received_at"] += timedelta(microseconds=draw(st.integers(1, 999_999)))
    return rows


@budget(40)
@given(rows=row_batches())
def test_reference_values_equal_duckdb_values(
    con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]
) -> None:
    _load(con, rows)
    expected = _duckdb_values(con, [tree for _, tree in TREES])
    for index, (text, tree) in enumerate(TREES):
        want = expected[index] if expected is not None else _duckdb_values(con, [tree])
        actual = _reference_values(tree, rows)
        if want is None:
            assert any(isinstance(value, reference.EvaluationError) for value in actual), (
                f"{text}: DuckDB fails but the reference gives {actual}"
            )
            continue
        for row, duck, ours in zip(rows, want, actual, strict=True):
            assert _same(duck, ours), f"{text} on {row}: DuckDB {duck!r}, reference {ours!r}"


def _load(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    con.execute("DELETE FROM t")
    columns = DOSSIERS.column_names
    values = [
        [index, *(row.get(c) for c in columns), PERIOD.start_at, PERIOD.end_at]
        for index, row in enumerate(rows)
    ]
    marks = ", ".join("(" + ", ".join("?" for _ in values[0]) + ")" for _ in values)
    con.execute(f"INSERT INTO t VALUES {marks}", [v for row in values for v in row])


def _duckdb_values(con: duckdb.DuckDBPyConnection, trees: list[exp.Expression]) -> Any:
    """Per tree, the column of values over the rows; None (one tree) when DuckDB fails."""
    select = ", ".join(_render(tree) for tree in trees)
    try:
        result = con.execute(f"SELECT {select} FROM t ORDER BY rowid_").fetchall()
    except duckdb.Error:
        return None
    columns = [list(column) for column in zip(*result, strict=True)]
    return columns if len(trees) > 1 else columns[0]


def _reference_values(tree: exp.Expression, rows: list[dict[str, Any]]) -> list[Any]:
    values: list[Any] = []
    for row in rows:
        try:
            values.append(reference.evaluate(tree, reference.RowScope(row, {}, PERIOD)))
        except reference.EvaluationError as error:
            values.append(error)
    return values


def _same(want: Any, got: Any) -> bool:
    if isinstance(got, reference.Interval):
        got = timedelta(days=got.months * 30 + got.days, microseconds=got.micros)
    if want is None or got is None:
        return want is None and got is None
    if isinstance(want, bool) or isinstance(got, bool):
        return want is got
    if isinstance(want, (int, float, Decimal)) and isinstance(got, (int, float, Decimal)):
        a, b = float(want), float(got)
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12)
    if isinstance(want, (date, datetime, str, timedelta, tuple)):
        return type(want) is type(got) and want == got
    return bool(want == got)


def test_reference_calendar_is_null_outside_2015_to_2040() -> None:
    scope = reference.RowScope({}, {}, PERIOD)
    for text in (
        "working_days(CAST('2014-12-30' AS DATE), CAST('2015-01-05' AS DATE))",
        "add_working_days(CAST('2014-12-20' AS DATE), 2)",
        "working_days(CAST('2040-12-31' AS DATE), CAST('2041-01-02' AS DATE))",
    ):
        assert reference.evaluate(check_expression(text, "dossiers", []).tree, scope) is None


def test_duckdb_calendar_is_null_before_2015(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute(
        "SELECT working_days(DATE '2014-12-30', DATE '2015-01-05'),"
        " add_working_days(TIMESTAMP '2014-12-20 10:00', 2)"
    ).fetchone()
    assert row == (None, None)
