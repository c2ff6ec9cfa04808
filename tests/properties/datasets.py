"""Build generated datasets into DuckDB quickly, and compare counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb

from dvc_score.adapters.typed_load import create_empty
from dvc_score.model.counts import Counts
from dvc_score.model.schema import TABLES

Row = Mapping[str, Any]


def build(tables: Mapping[str, Sequence[Row]]) -> duckdb.DuckDBPyConnection:
    """A fresh connection holding the four model tables (one INSERT per table)."""
    return fill(duckdb.connect(), tables)


def fill(
    con: duckdb.DuckDBPyConnection, tables: Mapping[str, Sequence[Row]]
) -> duckdb.DuckDBPyConnection:
    """Create the four model tables in ``con``; rows give only the columns they care about."""
    for name, table in TABLES.items():
        create_empty(con, table)
        rows = tables.get(name, [])
        if not rows:
            continue
        columns = table.column_names
        values = ", ".join("(" + ", ".join("?" for _ in columns) + ")" for _ in rows)
        parameters = [row.get(column) for row in rows for column in columns]
        con.execute(f"INSERT INTO {name} VALUES {values}", parameters)
    return con


def describe_difference(expected: Sequence[Counts], actual: Sequence[Counts]) -> str:
    """The first few (period, unit, indicator) whose counts differ, for assertion messages."""
    lines = []
    for left, right in zip(expected, actual, strict=True):
        keys = sorted(set(left.values) | set(right.values))
        for key in keys:
            if left.values.get(key) != right.values.get(key):
                lines.append(
                    f"{left.period_id} {key}: {left.values.get(key)} != {right.values.get(key)}"
                )
    return "\n".join(lines[:10])
