"""Load a raw relation into a model table: parse, check, reject, deduplicate.

A raw relation holds the source's columns (renamed to model names) plus
``__row``, the row number to report. Every model column is parsed to its type;
a row with a cell that cannot be parsed, a missing required value or a
duplicate key is not loaded but recorded in the reject log with its file, row,
column, value and reason. Accepted rows are never altered beyond parsing.
"""

from __future__ import annotations

import duckdb

from dvc_score.adapters import sql_parsing as parse
from dvc_score.adapters.base import REJECTS_TABLE, RejectLog
from dvc_score.errors import DataError
from dvc_score.model.schema import (
    CHANNELS,
    ONLINE_LEVELS,
    RATINGS,
    TABLES,
    UNIT_LEVELS,
    Column,
    Table,
)

# Natural keys: a second row with the same key is a duplicate and is rejected.
KEYS: dict[str, tuple[str, ...]] = {
    "units": ("unit_code",),
    "procedures": ("procedure_code", "unit_code"),
    "dossiers": ("dossier_id",),
    "petitions": ("petition_id",),
}

_CHOICES: dict[str, tuple[str, ...]] = {
    "level": UNIT_LEVELS,
    "online_level": ONLINE_LEVELS,
    "rating": RATINGS,
    "channel": CHANNELS,
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def parser_for(column: Column, source_type: str, locale: str) -> str:
    """SQL parsing the raw column into the model type (NULL when unparseable)."""
    ref = _q(column.name)
    if column.name == "channel":
        return parse.parse_channel(ref)
    if column.name in _CHOICES:
        return parse.parse_choice(ref, _CHOICES[column.name])
    if source_type != "VARCHAR":
        return f"TRY_CAST({ref} AS {column.type})"
    return {
        "TIMESTAMP": parse.parse_timestamp,
        "DATE": parse.parse_date,
        "INTEGER": parse.parse_integer,
        "BOOLEAN": parse.parse_boolean,
        "VARCHAR": parse.parse_text,
    }.get(column.type, lambda value: parse.parse_number(value, locale))(ref)


def _problem(column: Column, parsed: str, present: bool) -> tuple[str, str]:
    """(condition, reason) under which this column makes its row unusable."""
    raw = f"NULLIF(trim(CAST({_q(column.name)} AS VARCHAR)), '')"
    allowed = _CHOICES.get(column.name)
    expected = f"one of {', '.join(allowed)}" if allowed else f"a {column.type.lower()}"
    if not present:
        return ("FALSE", "")
    unparseable = f"({raw} IS NOT NULL AND ({parsed}) IS NULL)"
    if column.required:
        return (f"({raw} IS NULL OR {unparseable})", f"required {column.name}: empty or not {expected}")
    return (unparseable, f"{column.name}: not {expected}")


def load_table(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    table: Table,
    rejects: RejectLog,
    locale: str,
) -> None:
    """Create the model table ``table.name`` as a view over relation ``raw``.

    ``raw`` has the model's column names plus ``__row`` and ``__file``. The view
    parses lazily, so counting reads only the columns a ruleset needs (Parquet
    sources are never copied into memory); rejected rows are excluded by row.
    """
    source_types = {
        str(name): str(kind).upper() for name, kind, *_ in con.execute(f"DESCRIBE {raw}").fetchall()
    }
    missing = [c.name for c in table.columns if c.required and c.name not in source_types]
    if missing:
        files = con.execute(f"SELECT DISTINCT __file FROM {raw} LIMIT 3").fetchall()
        label = ", ".join(str(f[0]) for f in files) or table.name
        raise DataError(f"{label}: missing required column(s) {', '.join(missing)} for {table.name}")
    parsed, checks = [], []
    for column in table.columns:
        present = column.name in source_types
        expression = (
            parser_for(column, source_types.get(column.name, "VARCHAR"), locale) if present else "NULL"
        )
        parsed.append(f"CAST({expression} AS {column.type}) AS {_q(column.name)}")
        condition, reason = _problem(column, expression, present)
        if present and condition != "FALSE":
            checks.append((condition, column.name, reason))
    _record_rejects(con, raw, table, checks)
    _reject_duplicates(con, raw, table)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE __rejected_{table.name} AS SELECT DISTINCT file, row"
        f" FROM {REJECTS_TABLE} WHERE table_name = {_lit(table.name)}"
    )
    has_rejects = _scalar(con, f"SELECT count(*) FROM __rejected_{table.name}") > 0
    where = (
        f" WHERE NOT EXISTS (SELECT 1 FROM __rejected_{table.name} r"
        f" WHERE r.row = {raw}.__row AND r.file = {raw}.__file)"
        if has_rejects
        else ""
    )
    con.execute(f"CREATE OR REPLACE TEMP VIEW {table.name} AS SELECT {', '.join(parsed)} FROM {raw}{where}")
    read = _scalar(con, f"SELECT count(*) FROM {raw}")
    rejects.rows_read[table.name] = read
    rejects.rows_accepted[table.name] = read - _scalar(con, f"SELECT count(*) FROM __rejected_{table.name}")


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _record_rejects(
    con: duckdb.DuckDBPyConnection, raw: str, table: Table, checks: list[tuple[str, str, str]]
) -> None:
    if not checks:
        return
    bad_column = " ".join(f"WHEN {c} THEN {_lit(name)}" for c, name, _ in checks)
    bad_value = " ".join(f"WHEN {c} THEN CAST({_q(name)} AS VARCHAR)" for c, name, _ in checks)
    bad_reason = " ".join(f"WHEN {c} THEN {_lit(reason)}" for c, _, reason in checks)
    any_bad = " OR ".join(f"({c})" for c, _, _ in checks)
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT {_lit(table.name)}, __file, __row,"
        f" CASE {bad_column} END, left(CASE {bad_value} END, 200), CASE {bad_reason} END"
        f" FROM {raw} WHERE {any_bad}"
    )


def _reject_duplicates(con: duckdb.DuckDBPyConnection, raw: str, table: Table) -> None:
    key = KEYS[table.name]
    keys = ", ".join(_q(k) for k in key)
    shown = " || '/' || ".join(f"CAST({_q(k)} AS VARCHAR)" for k in key)
    # The first occurrence (by file, then row) is kept; later ones are rejected.
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT {_lit(table.name)}, __file, __row, {_lit('/'.join(key))},"
        f" key_value, 'duplicate key (first seen at ' || first_at || ')' FROM ("
        f"  SELECT __file, __row, {shown} AS key_value,"
        f"   first(__file || ' row ' || __row) OVER w AS first_at,"
        f"   row_number() OVER w AS occurrence"
        f"  FROM {raw} WHERE {' AND '.join(f'{_q(k)} IS NOT NULL' for k in key)}"
        f"  WINDOW w AS (PARTITION BY {keys} ORDER BY __file, __row)"
        f") WHERE occurrence > 1"
    )


def create_empty(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """An absent optional table (e.g. no petitions) is an empty one."""
    columns = ", ".join(f"{_q(c.name)} {c.type}" for c in table.columns)
    con.execute(f"CREATE OR REPLACE TABLE {table.name} ({columns})")


def ensure_all_tables(con: duckdb.DuckDBPyConnection, present: set[str]) -> None:
    if "units" not in present:
        raise DataError("no units table: the data must name its units (unit_code, unit_name, level, parent_code)")
    if "dossiers" not in present:
        raise DataError("no dossiers table: nothing to score")
    for name, table in TABLES.items():
        if name not in present:
            create_empty(con, table)
