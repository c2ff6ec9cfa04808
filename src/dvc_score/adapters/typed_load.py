"""Load a raw relation into a model table: parse, check, reject, deduplicate.

A raw relation holds the source's columns (renamed to model names) plus
``__file`` and ``__row``, where to find each row. Every model column is parsed
to its type; a row with a cell that cannot be parsed, a missing required value
or a duplicate key is not loaded but recorded in the reject log with its file,
row, column, value and reason. Accepted rows are never altered beyond parsing.

Records a reader could not even split into cells (a CSV line with too many
fields) are put in the reject log by the reader itself; :func:`load_table`
counts every reject already logged for its table as a row read.

The model tables keep ``__file`` and ``__row``, so checks that need the other
tables (:func:`reject_unknown_units`, run once every table is loaded) can
reject rows later and still say where they came from.

What each column's parser and checks are lives in
:mod:`dvc_score.adapters.column_rules`; how a table is screened before the
exact paths below run, in :mod:`dvc_score.adapters.screening`.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from dvc_score.adapters import column_rules as rules
from dvc_score.adapters.base import REJECTS_TABLE, RejectLog
from dvc_score.adapters.screening import Check, screen
from dvc_score.adapters.sql_quote import ident, literal
from dvc_score.errors import DataError
from dvc_score.model.schema import TABLES, Table

# Natural keys: a second row with the same key is a duplicate and is rejected.
KEYS: dict[str, tuple[str, ...]] = {
    "units": ("unit_code",),
    "procedures": ("procedure_code", "unit_code"),
    "dossiers": ("dossier_id",),
    "petitions": ("petition_id",),
}

UNKNOWN_UNIT = "unknown unit_code: not among the accepted units"
DUPLICATE = "duplicate"  # every duplicate-key reason starts with it


def load_table(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    table: Table,
    rejects: RejectLog,
    locale: str,
    *,
    stage: bool | None = None,
    layouts: Mapping[str, str] | None = None,
) -> None:
    """Create the model table ``table.name`` from relation ``raw``.

    ``raw`` has the model's column names plus ``__row`` and ``__file``. Over a
    table (text already in DuckDB: CSV, JSON, Excel) the model table is a typed
    table, every cell parsed once. Over a view (Parquet) it is a view that
    parses lazily, so counting reads only the columns a ruleset needs and
    nothing is copied into memory; ``stage=True`` parses a view once all
    the same (a view over text already in memory). Rejected rows are left
    out. Call it once per table; a ``__raw_*`` relation made by
    :func:`raw_relation` is dropped once loaded, with the parts under it.
    ``layouts`` maps a text timestamp column to the ``strptime`` layout its
    cells seem to have: tried first, it changes no value, only the time taken.
    """
    source_types = {
        str(name): str(kind).upper() for name, kind, *_ in con.execute(f"DESCRIBE {raw}").fetchall()
    }
    _require_columns(con, raw, table, source_types)
    parsed = {
        c.name: rules.parser_for(c, source_types[c.name], locale, (layouts or {}).get(c.name))
        if c.name in source_types
        else "NULL"
        for c in table.columns
    }
    extras = [n for n in source_types if n not in parsed and not n.startswith("__")]
    set_aside = _logged(con, table)  # rows the reader could not hand over
    lazy = not stage if stage is not None else _is_view(con, raw)
    present = [c for c in table.columns if c.name in source_types]
    # Lazily, a check reads the parser and the source cell; staged, the typed
    # value beside the source cell inside the staging query (see _stage).
    refs = {
        c.name: (parsed[c.name], ident(c.name)) if lazy else (ident(f"__t_{c.name}"), ident(c.name))
        for c in present
    }
    checks = [
        check
        for c in present
        for check in rules.problems(
            c, *refs[c.name], locale, rules.source_kind(source_types[c.name])
        )
    ]
    staged = raw if lazy else _stage(con, raw, table, parsed, extras, checks)
    screened = checks
    if not lazy:  # the staged table has the typed values, the keys as written, __failed
        refs = {c.name: (ident(c.name), ident(f"__src_{c.name}")) for c in present}
        screened = [Check("(__failed IS NOT NULL)", "", "", "NULL")] if checks else []
    # Counted from the staged table, not the view it came from: the view
    # would check every row for blank lines again (4 s per ten million).
    read = _scalar(con, f"SELECT count(*) FROM {staged}") + set_aside
    keys = {k: f"CAST({refs[k][0]} AS VARCHAR)" for k in KEYS[table.name]}
    shortcuts = {
        c.name: shortcut
        for c in (present if lazy else [])
        if (shortcut := rules.shortcut(c, source_types[c.name], parsed[c.name])) is not None
    }
    tests = {name: test for name, (test, _) in shortcuts.items()}
    dates = {c.name for c in present if c.type in ("TIMESTAMP", "DATE")}
    per_value = _per_value(checks, tests, set(keys) | dates) if lazy else frozenset()
    found = screen(con, staged, screened, keys, tests, per_value, rows=read)
    if found.failing:
        _record_rejects(con, staged, table, checks, staged=not lazy)
    if found.repeated:
        _reject_duplicates(con, staged, table, refs)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE __rejected_{table.name} AS SELECT DISTINCT file, row"
        f" FROM {REJECTS_TABLE} WHERE table_name = {literal(table.name)}"
    )
    if lazy:
        # A column whose every cell the shortcut reads right is read that way:
        # parsing ten million clean codes on every count cost more than the count.
        parsed_as_read = {
            name: shortcuts[name][1] if name in found.unchanged else sql
            for name, sql in parsed.items()
        }
        _create_model_view(con, staged, table, parsed_as_read, extras)
    else:
        _create_model_table(con, staged, table)
    rejects.rows_read[table.name] = read
    rejects.rows_accepted[table.name] = read - _scalar(
        con, f"SELECT count(*) FROM __rejected_{table.name}"
    )
    if not lazy:
        _drop_own_raw(con, raw)


def _drop_own_raw(con: duckdb.DuckDBPyConnection, raw: str) -> None:
    # The text made by raw_relation (or the Excel reader) is not needed once
    # typed; dropping it halves the memory a large CSV holds while counting.
    # raw_relation's view over CSV/JSON parts goes with the parts under it.
    if not raw.startswith("__raw_"):
        return
    con.execute(f"DROP {'VIEW' if _is_view(con, raw) else 'TABLE'} IF EXISTS {raw}")
    for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary"
        " AND (starts_with(table_name, ?) OR starts_with(table_name, ?))",
        [f"{raw}_part", f"{raw}__"],
    ).fetchall():
        con.execute(f"DROP TABLE IF EXISTS {ident(str(name))}")


def _stage(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    table: Table,
    parsed: dict[str, str],
    extras: list[str],
    checks: list[Check],
) -> str:
    """Parse every cell once into ``__typed_<table>``, and judge every row as it goes.

    ``checks`` read the typed value as ``__t_<column>`` and the source cell by
    its name. The staged table keeps what the exact paths need and no more:
    ``__failed`` (the number of the row's first failing check, NULL for a good
    row) with ``__failed_value`` (that cell as written), and the key cells as
    written (``__src_<key>``, shown in duplicate rejects). Keeping every source
    cell beside its typed value instead cost 25 s per ten million dossiers.
    """
    stage = f"__typed_{table.name}"
    present = [c.name for c in table.columns if parsed[c.name] != "NULL"]
    typed = [
        f"CAST({parsed[c.name]} AS {c.type}) AS {ident('__t_' + c.name)}" for c in table.columns
    ]
    sources = [*(ident(n) for n in present), *(ident(n) for n in extras), "__file", "__row"]
    failed = _first_failing(checks) if checks else "CAST(NULL AS INTEGER)"
    value = _failing_cell(checks, "__failed") if checks else "CAST(NULL AS VARCHAR)"
    kept = [
        *(f"{ident('__t_' + c.name)} AS {ident(c.name)}" for c in table.columns),
        *(f"{ident(k)} AS {ident('__src_' + k)}" for k in KEYS[table.name] if k in present),
        *(ident(n) for n in extras),
        "__file",
        "__row",
        "__failed",
        f"{value} AS __failed_value",
    ]
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {stage} AS SELECT {', '.join(kept)} FROM ("
        f" SELECT *, {failed} AS __failed FROM ("
        f"  SELECT {', '.join([*typed, *sources])} FROM {raw}))"
    )
    return stage


def _create_model_table(con: duckdb.DuckDBPyConnection, staged: str, table: Table) -> None:
    """The staged table becomes the model table, in place.

    Rejected rows are deleted and the source cells kept for reject messages
    dropped: copying the accepted rows instead cost 8 s per ten million.
    """
    rejected = f"__rejected_{table.name}"
    if _scalar(con, f"SELECT count(*) FROM {rejected}"):
        con.execute(
            f"DELETE FROM {staged} WHERE EXISTS (SELECT 1 FROM {rejected} r"
            f" WHERE r.row = {staged}.__row AND r.file = {staged}.__file)"
        )
    for name in _columns(con, staged):
        if name.startswith("__src_") or name in ("__failed", "__failed_value"):
            con.execute(f"ALTER TABLE {staged} DROP COLUMN {ident(name)}")
    kind = "VIEW" if _is_view(con, table.name) else "TABLE"
    con.execute(f"DROP {kind} IF EXISTS {table.name}")
    con.execute(f"ALTER TABLE {staged} RENAME TO {table.name}")


def _create_model_view(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    table: Table,
    parsed: dict[str, str],
    extras: list[str],
) -> None:
    """The model table as a view parsing as it reads (nothing copied into memory).

    ``__parsed_<table>`` parses; ``<table>`` leaves out the rejected rows. Only
    when there are any: an anti-join on every count is not free.
    """
    columns = [f"CAST({parsed[c.name]} AS {c.type}) AS {ident(c.name)}" for c in table.columns]
    select = ", ".join([*columns, *(ident(n) for n in extras), "__file", "__row"])
    con.execute(f"CREATE OR REPLACE TEMP VIEW __parsed_{table.name} AS SELECT {select} FROM {raw}")
    _exclude_rejected(con, table.name)


def _exclude_rejected(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """(Re)define view ``name`` over ``__parsed_<name>`` without the rows rejected so far."""
    rejected = f"__rejected_{name}"
    where = ""
    if _scalar(con, f"SELECT count(*) FROM {rejected}"):
        where = (
            f" WHERE NOT EXISTS (SELECT 1 FROM {rejected} r"
            f" WHERE r.row = p.__row AND r.file = p.__file)"
        )
    con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM __parsed_{name} p{where}")


def _require_columns(
    con: duckdb.DuckDBPyConnection, raw: str, table: Table, source_types: dict[str, str]
) -> None:
    missing = [c.name for c in table.columns if c.required and c.name not in source_types]
    if not missing:
        return
    files = con.execute(f"SELECT DISTINCT __file FROM {raw} LIMIT 3").fetchall()
    label = ", ".join(str(f[0]) for f in files) or table.name
    raise DataError(
        f"{label}: missing required column(s) {', '.join(missing)} for {table.name}"
        " (see docs/data.md for the accepted headers)"
    )


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    sql = (
        "SELECT count(*) FROM (SELECT table_name AS n FROM duckdb_tables()"
        " UNION ALL SELECT view_name FROM duckdb_views()) WHERE n = ?"
    )
    row = con.execute(sql, [name]).fetchone()
    return bool(row and row[0])


def _is_view(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [name]).fetchone()
    return bool(row and row[0])


def _logged(con: duckdb.DuckDBPyConnection, table: Table) -> int:
    sql = f"SELECT count(DISTINCT (file, row)) FROM {REJECTS_TABLE} WHERE table_name = ?"
    row = con.execute(sql, [table.name]).fetchone()
    return int(row[0]) if row else 0


def _per_value(checks: list[Check], tests: dict[str, str], distinct: set[str]) -> frozenset[str]:
    # Screened per distinct value: every column with a parser to test or to
    # check, but typed cells only checked for NULL and the columns whose
    # values are nearly all distinct (keys, dates and times: grouping ten
    # million of them costs far more than checking each row).
    costly = {c.column for c in checks if not c.is_required} | set(tests)
    return frozenset(costly - distinct)


def _first_failing(checks: list[Check]) -> str:
    """SQL: the number (from 1, in column order) of the row's first failing check; NULL if none."""
    return (
        "CASE " + " ".join(f"WHEN {c.condition} THEN {i}" for i, c in enumerate(checks, 1)) + " END"
    )


def _failing_cell(checks: list[Check], failed: str) -> str:
    """SQL: the cell that check number ``failed`` found wrong, as text."""
    whens = " ".join(f"WHEN {i} THEN {c.value}" for i, c in enumerate(checks, 1))
    return f"CASE {failed} {whens} END"


def _record_rejects(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    table: Table,
    checks: list[Check],
    *,
    staged: bool = False,
) -> None:
    """One reject row per bad row: the first failing check (in column order) names it.

    A ``staged`` relation has each row's first failing check and its cell
    already (``__failed``, ``__failed_value``: see _stage); over a view they
    are worked out here.
    """
    if not checks:
        return
    # Column and reason come from a small lookup, and each condition appears
    # once: that keeps the SQL short enough to plan quickly with a dozen dates.
    lookup = ", ".join(
        f"({i}, {literal(c.column)}, {literal(c.reason)})" for i, c in enumerate(checks, start=1)
    )
    if staged:
        rows, cell = relation, "b.__failed_value"
    else:
        rows = f"(SELECT *, {_first_failing(checks)} AS __failed FROM {relation})"
        # The offending cell is turned into text after the join, for failing rows
        # only: building every cell as text for every row cost more than all the
        # checks together (10 s of 19 s on ten million dossiers).
        cell = _failing_cell(checks, "b.__failed")
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT {literal(table.name)}, b.__file, b.__row, c.name,"
        f" left({cell}, 200), c.reason FROM {rows} b"
        f" JOIN (VALUES {lookup}) c(failed, name, reason) ON c.failed = b.__failed"
    )


def _reject_duplicates(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    table: Table,
    refs: dict[str, tuple[str, str]],
) -> None:
    key = KEYS[table.name]
    values = [f"CAST({refs[k][0]} AS VARCHAR)" for k in key]
    if not _has_repeated_hashes(con, relation, values):
        return  # the usual case: no key occurs twice
    relation = _rows_with_repeated_hashes(con, relation, values)
    # Keys compare as parsed (trimmed, NFC), so " HS1" and "HS1" are one dossier;
    # the reject shows them as written.
    shown = " || '/' || ".join(f"CAST({refs[k][1]} AS VARCHAR)" for k in key)
    reason = f"{DUPLICATE} {'/'.join(key)}: an earlier row has the same value"
    # Among rows that are otherwise fine, the first (by file, then row) is kept.
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT {literal(table.name)}, __file, __row,"
        f" {literal('/'.join(key))}, left(key_value, 200), {literal(reason)} FROM ("
        f"  SELECT __file, __row, {shown} AS key_value,"
        f"   row_number() OVER (PARTITION BY {', '.join(values)} ORDER BY __file, __row) AS n"
        f"  FROM {relation} WHERE {' AND '.join(f'({v}) IS NOT NULL' for v in values)}"
        f"   AND NOT EXISTS (SELECT 1 FROM {REJECTS_TABLE} j"
        f"    WHERE j.table_name = {literal(table.name)}"
        f"    AND j.file = {relation}.__file AND j.row = {relation}.__row)"
        f") WHERE n > 1"
    )
    con.execute("DROP VIEW __repeated_rows; DROP TABLE __repeated_hashes")


def _has_repeated_hashes(con: duckdb.DuckDBPyConnection, relation: str, values: list[str]) -> bool:
    """One hash aggregation over the keys: which 64-bit key hashes occur more than once.

    A window over every key (partition and sort ten million strings) cost 10 s
    and most of the memory of a run; hashing costs a quarter of that, and the
    window then runs only over the rows whose hash repeats (usually none).
    """
    present = " AND ".join(f"({v}) IS NOT NULL" for v in values)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE __repeated_hashes AS SELECT hash({', '.join(values)}) AS h"
        f" FROM {relation} WHERE {present} GROUP BY h HAVING count(*) > 1"
    )
    if _scalar(con, "SELECT count(*) FROM __repeated_hashes"):
        return True
    con.execute("DROP TABLE __repeated_hashes")
    return False


def _rows_with_repeated_hashes(
    con: duckdb.DuckDBPyConnection, relation: str, values: list[str]
) -> str:
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW __repeated_rows AS SELECT * FROM {relation}"
        f" WHERE hash({', '.join(values)}) IN (SELECT h FROM __repeated_hashes)"
    )
    return "__repeated_rows"


def create_empty(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """An absent optional table (e.g. no petitions) is an empty one."""
    columns = ", ".join(f"{ident(c.name)} {c.type}" for c in table.columns)
    con.execute(f"CREATE OR REPLACE TABLE {table.name} ({columns})")


def ensure_all_tables(con: duckdb.DuckDBPyConnection, present: set[str]) -> None:
    if "units" not in present:
        raise DataError(
            "no units table: the data must name its units"
            " (unit_code, unit_name, level, parent_code)"
        )
    if "dossiers" not in present:
        raise DataError("no dossiers table: nothing to score")
    for name, table in TABLES.items():
        if name not in present:
            create_empty(con, table)


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> set[str]:
    return {str(row[0]) for row in con.execute(f"DESCRIBE {relation}").fetchall()}


def reject_unknown_units(con: duckdb.DuckDBPyConnection, rejects: RejectLog) -> int:
    """Reject catalog, dossier and petition rows whose unit_code is not a unit.

    Run once every table is loaded. Without it the engine's join on units would
    drop such rows from every count without a word. Tables made by
    :func:`load_table` keep their file and row; other tables (built by a plugin)
    are reported as ``<table>`` with their position. Returns the rows rejected.
    """
    total = 0
    for name in ("procedures", "dossiers", "petitions"):
        total += _reject_unknown_units_in(con, name, rejects)
    rejects.units_checked = True
    return total


def _reject_unknown_units_in(con: duckdb.DuckDBPyConnection, name: str, rejects: RejectLog) -> int:
    unknown = (
        f"SELECT count(*) FROM (SELECT DISTINCT unit_code FROM {name}) d WHERE d.unit_code"
        " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM units u WHERE u.unit_code = d.unit_code)"
    )
    if not _scalar(con, unknown):
        return 0  # the usual case: the distinct codes of a column cost a fraction of its rows
    located = {"__file", "__row"} <= _columns(con, name)
    where = (
        f"{name}.unit_code IS NOT NULL AND NOT EXISTS"
        f" (SELECT 1 FROM units u WHERE u.unit_code = {name}.unit_code)"
    )
    file, row = ("__file", "__row") if located else (literal(f"<{name}>"), "rowid + 1")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE __unknown_units AS SELECT {file} AS file, {row} AS row,"
        f" CAST(unit_code AS VARCHAR) AS value FROM {name} WHERE {where}"
    )
    found = _scalar(con, "SELECT count(*) FROM __unknown_units")
    if not found:
        return 0
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT {literal(name)}, file, row, 'unit_code', value,"
        f" {literal(UNKNOWN_UNIT)} FROM __unknown_units"
    )
    if not _is_view(con, name):
        con.execute(f"DELETE FROM {name} WHERE {where}")
    elif located and _relation_exists(con, f"__parsed_{name}"):
        con.execute(f"INSERT INTO __rejected_{name} SELECT file, row FROM __unknown_units")
        _exclude_rejected(con, name)
    else:
        raise DataError(
            f"{name}: {found} row(s) name a unit_code that is not a unit, and {name} is a view"
            " not made by load_table, so they cannot be set aside; make it a table"
        )
    if name in rejects.rows_accepted:
        rejects.rows_accepted[name] -= found
    return found
