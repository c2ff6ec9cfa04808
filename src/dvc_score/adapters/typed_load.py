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
"""

from __future__ import annotations

import duckdb

from dvc_score.adapters import sql_parsing as parse
from dvc_score.adapters.base import REJECTS_TABLE, RejectLog
from dvc_score.adapters.screening import Check, screen
from dvc_score.errors import DataError
from dvc_score.model.schema import (
    CHANNELS,
    DOSSIER_STATUSES,
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
_STATUS_RANGE = (min(DOSSIER_STATUSES), max(DOSSIER_STATUSES))
_NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
)
_DATES = "a date (dd/MM/yyyy [HH:mm[:ss]], yyyyMMddHHmmss, ISO 8601 or an Excel serial number)"
UNKNOWN_UNIT = "unknown unit_code: not among the accepted units"
DUPLICATE = "duplicate"  # every duplicate-key reason starts with it


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _kind(source_type: str) -> str:
    """What a source column holds: text, number, boolean, timestamp, timestamptz, date, other."""
    base = source_type.upper().split("(")[0].removeprefix("U")
    if base == "VARCHAR":
        return "text"
    if base in _NUMERIC_TYPES:
        return "number"
    if base == "BOOLEAN":
        return "boolean"
    if base in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"):
        return "timestamptz"
    if base.startswith("TIMESTAMP"):
        return "timestamp"
    return "date" if base == "DATE" else "other"


def _as_text(ref: str, kind: str) -> str:
    # A whole number from a float column prints without ".0", so a yyyyMMddHHmmss
    # stamp or a code that went through a spreadsheet still parses.
    if kind != "number":
        return f"CAST({ref} AS VARCHAR)"
    return (
        f"CASE WHEN {ref} = floor({ref}) AND abs({ref}) < 1e18"
        f" THEN CAST(CAST({ref} AS HUGEINT) AS VARCHAR) ELSE CAST({ref} AS VARCHAR) END"
    )


def parser_for(column: Column, source_type: str, locale: str) -> str:
    """SQL parsing the raw column into the model type (NULL when unparseable).

    Text is parsed by the column's rules and ``locale``; typed sources (Parquet,
    JSON, Excel numbers) are converted without guessing: a number is never
    read through a locale, a zoned timestamp is converted to UTC+7.
    """
    ref, kind = _q(column.name), _kind(source_type)
    if column.name in _CHOICES:
        words = parse.parse_choice(
            _as_text(ref, kind), _CHOICES[column.name], parse.CHOICE_WORDS.get(column.name)
        )
        if kind != "text":
            return words
        # A value already in the model's words (the usual case) skips the word
        # lookup: lowercasing, NFC, accent stripping and two regexes per row.
        canonical = ", ".join(_lit(v) for v in _CHOICES[column.name])
        return f"CASE WHEN {ref} IN ({canonical}) THEN {ref} ELSE {words} END"
    if column.type in ("TIMESTAMP", "DATE"):
        stamp = _timestamp(ref, kind)
        return stamp if column.type == "TIMESTAMP" else f"CAST({stamp} AS DATE)"
    if column.type == "DOUBLE":
        if kind == "number":
            return f"CAST({ref} AS DOUBLE)"
        return parse.parse_number(_as_text(ref, kind), locale) if kind == "text" else "NULL"
    if column.type == "INTEGER":
        if kind == "number":  # no round trip through text: 9.0 is 9, 9.5 is not a whole number
            parsed = f"CASE WHEN {ref} = floor({ref}) THEN TRY_CAST({ref} AS INTEGER) END"
        else:
            parsed = parse.parse_integer(_as_text(ref, kind)) if kind == "text" else "NULL"
        return _status_range(parsed) if column.name == "status" else parsed
    if column.type == "BOOLEAN":
        return ref if kind == "boolean" else parse.parse_boolean(_as_text(ref, kind))
    return parse.parse_text(_as_text(ref, kind))


def _timestamp(ref: str, kind: str) -> str:
    if kind in ("timestamp", "date"):
        return f"CAST({ref} AS TIMESTAMP)"
    if kind == "timestamptz":
        return parse.timestamp_from_zoned(ref)
    return parse.parse_timestamp(_as_text(ref, kind))


def _status_range(parsed: str) -> str:
    low, high = _STATUS_RANGE
    return f"CASE WHEN ({parsed}) BETWEEN {low} AND {high} THEN ({parsed}) END"


def expected(column: Column, locale: str) -> str:
    """What a cell of ``column`` must look like, for reject reasons."""
    if column.name in _CHOICES:
        return f"one of {', '.join(_CHOICES[column.name])} (or a Vietnamese word for one)"
    if column.name == "status":
        return f"a DVCQG status code {_STATUS_RANGE[0]}-{_STATUS_RANGE[1]}"
    if column.type in ("TIMESTAMP", "DATE"):
        return _DATES
    if column.type == "DOUBLE":
        group, decimal = (".", ",") if locale == "vi" else (",", ".")
        return f"a number ({locale} locale: '{group}' groups thousands, '{decimal}' marks decimals)"
    if column.type == "INTEGER":
        return "a whole number"
    if column.type == "BOOLEAN":
        return "yes or no (1/0, có/không, true/false, x)"
    return "text"


# Typed source cells that convert without loss: they can be missing, never unparseable.
_LOSSLESS = {
    ("timestamp", "TIMESTAMP"),
    ("date", "TIMESTAMP"),
    ("timestamp", "DATE"),
    ("date", "DATE"),
    ("boolean", "BOOLEAN"),
    ("number", "DOUBLE"),
}


def _problems(
    column: Column, parsed: str, source: str, locale: str, kind: str = "text"
) -> list[Check]:
    """The checks under which this column makes its row unusable.

    ``kind`` is what the source column holds (:func:`_kind`): a typed cell is
    empty only when NULL, so it is never turned into text to be checked.
    """
    typed = kind not in ("text", "other")
    missing = f"({source} IS NULL)" if typed else parse.blank(source)
    value = f"CAST({source} AS VARCHAR)"
    checks = []
    if column.required:
        checks.append(Check(missing, column.name, f"required {column.name} is empty", value))
    lossless = (kind, column.type) in _LOSSLESS and column.name not in _CHOICES
    if (column.type != "VARCHAR" or column.name in _CHOICES) and not lossless:
        reason = f"{column.name}: not {expected(column, locale)}"
        # CASE, not AND: DuckDB evaluates both sides of an AND for every row,
        # and the blank test is only needed where parsing failed (rarely).
        unparseable = (
            f"(CASE WHEN {source} IS NULL OR ({parsed}) IS NOT NULL THEN FALSE"
            f" ELSE NOT {missing} END)"
        )
        checks.append(Check(unparseable, column.name, reason, value))
    return checks


def load_table(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    table: Table,
    rejects: RejectLog,
    locale: str,
    *,
    stage: bool | None = None,
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
    """
    source_types = {
        str(name): str(kind).upper() for name, kind, *_ in con.execute(f"DESCRIBE {raw}").fetchall()
    }
    _require_columns(con, raw, table, source_types)
    parsed = {
        c.name: parser_for(c, source_types[c.name], locale) if c.name in source_types else "NULL"
        for c in table.columns
    }
    extras = [n for n in source_types if n not in parsed and not n.startswith("__")]
    set_aside = _logged(con, table)  # rows the reader could not hand over
    lazy = not stage if stage is not None else _is_view(con, raw)
    staged = raw if lazy else _stage(con, raw, table, parsed, extras)
    present = [c for c in table.columns if c.name in source_types]
    refs = {
        c.name: (parsed[c.name], _q(c.name)) if lazy else (_q(c.name), _q(f"__src_{c.name}"))
        for c in present
    }
    checks = [
        check
        for c in present
        for check in _problems(c, *refs[c.name], locale, _kind(source_types[c.name]))
    ]
    # Counted from the staged table, not the view it came from: the view
    # would check every row for blank lines again (4 s per ten million).
    read = _scalar(con, f"SELECT count(*) FROM {staged}") + set_aside
    keys = {k: f"CAST({refs[k][0]} AS VARCHAR)" for k in KEYS[table.name]}
    shortcuts = {
        c.name: shortcut
        for c in (present if lazy else [])
        if (shortcut := _shortcut(c, source_types[c.name], parsed[c.name])) is not None
    }
    tests = {name: test for name, (test, _) in shortcuts.items()}
    per_value = _per_value(checks, tests, keys) if lazy else frozenset()
    found = screen(con, staged, checks, keys, tests, per_value)
    if found.failing:
        _record_rejects(con, staged, table, checks)
    if found.repeated:
        _reject_duplicates(con, staged, table, refs)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE __rejected_{table.name} AS SELECT DISTINCT file, row"
        f" FROM {REJECTS_TABLE} WHERE table_name = {_lit(table.name)}"
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
        con.execute(f"DROP TABLE IF EXISTS {_q(str(name))}")


def _stage(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    table: Table,
    parsed: dict[str, str],
    extras: list[str],
) -> str:
    """Parse every cell once into ``__typed_<table>``, keeping each source cell beside it."""
    stage = f"__typed_{table.name}"
    typed = [f"CAST({parsed[c.name]} AS {c.type}) AS {_q(c.name)}" for c in table.columns]
    sources = [
        f"{_q(c.name)} AS {_q('__src_' + c.name)}"
        for c in table.columns
        if parsed[c.name] != "NULL"
    ]
    kept = [_q(n) for n in extras]
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {stage} AS SELECT"
        f" {', '.join([*typed, *sources, *kept])}, __file, __row FROM {raw}"
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
        if name.startswith("__src_"):
            con.execute(f"ALTER TABLE {staged} DROP COLUMN {_q(name)}")
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
    columns = [f"CAST({parsed[c.name]} AS {c.type}) AS {_q(c.name)}" for c in table.columns]
    select = ", ".join([*columns, *(_q(n) for n in extras), "__file", "__row"])
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


def _shortcut(column: Column, source_type: str, parsed: str) -> tuple[str, str] | None:
    """(test, reading): a cheap reading of a text cell, and a test that it equals the parse.

    Screening runs the test on every distinct value (a few per column, see
    adapters/screening.py); where it holds throughout, the model view reads the
    column the cheap way. Clean codes are read as they are; numbers and yes/no
    words by a plain cast, which differs from the rules only on cells (a
    Vietnamese "1.234", "nan", "có") that then fail the test. Typed cells of
    the model's type need none: their parser is a plain cast already. None
    when there is no shortcut (text dates: millions of distinct values).
    """
    kind, ref = _kind(source_type), _q(column.name)
    if kind != "text":
        return None
    if column.name in _CHOICES:
        canonical = ", ".join(_lit(v) for v in _CHOICES[column.name])
        return f"({ref} IS NULL OR {ref} IN ({canonical}))", ref
    if column.type == "VARCHAR":
        return parse.unchanged_text(ref), ref
    if column.type in ("DOUBLE", "INTEGER", "BOOLEAN"):
        cast = f"TRY_CAST({ref} AS {column.type})"
        return f"(({parsed}) IS NOT DISTINCT FROM {cast})", cast
    return None


def _per_value(checks: list[Check], tests: dict[str, str], keys: dict[str, str]) -> frozenset[str]:
    # Screened per distinct value: every column with a parser to test or to
    # check, but the keys (all distinct) and typed cells only checked for NULL.
    costly = {c.column for c in checks if not c.is_required} | set(tests)
    return frozenset(costly - set(keys))


def _record_rejects(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    table: Table,
    checks: list[Check],
) -> None:
    if not checks:
        return
    # One reject row per bad row: the first failing check (in column order)
    # names it. Each condition appears once (the index of the first failing
    # one); column and reason come from a small lookup, which keeps the SQL
    # short enough to plan quickly with a dozen date columns.
    first = " ".join(f"WHEN {c.condition} THEN {i}" for i, c in enumerate(checks, start=1))
    values = ", ".join(c.value for c in checks)
    lookup = ", ".join(
        f"({i}, {_lit(c.column)}, {_lit(c.reason)})" for i, c in enumerate(checks, start=1)
    )
    # The offending cell is turned into text after the join, for failing rows
    # only: building the list of every cell as text for every row cost more
    # than all the checks together (10 s of 19 s on ten million dossiers).
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT {_lit(table.name)}, b.__file, b.__row, c.name,"
        f" left([{values}][b.failed], 200), c.reason FROM ("
        f"  SELECT *, CASE {first} END AS failed FROM {relation}"
        f") b JOIN (VALUES {lookup}) c(failed, name, reason) ON c.failed = b.failed"
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
        f"INSERT INTO {REJECTS_TABLE} SELECT {_lit(table.name)}, __file, __row,"
        f" {_lit('/'.join(key))}, left(key_value, 200), {_lit(reason)} FROM ("
        f"  SELECT __file, __row, {shown} AS key_value,"
        f"   row_number() OVER (PARTITION BY {', '.join(values)} ORDER BY __file, __row) AS n"
        f"  FROM {relation} WHERE {' AND '.join(f'({v}) IS NOT NULL' for v in values)}"
        f"   AND NOT EXISTS (SELECT 1 FROM {REJECTS_TABLE} j"
        f"    WHERE j.table_name = {_lit(table.name)}"
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
    columns = ", ".join(f"{_q(c.name)} {c.type}" for c in table.columns)
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
    file, row = ("__file", "__row") if located else (_lit(f"<{name}>"), "rowid + 1")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE __unknown_units AS SELECT {file} AS file, {row} AS row,"
        f" CAST(unit_code AS VARCHAR) AS value FROM {name} WHERE {where}"
    )
    found = _scalar(con, "SELECT count(*) FROM __unknown_units")
    if not found:
        return 0
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT {_lit(name)}, file, row, 'unit_code', value,"
        f" {_lit(UNKNOWN_UNIT)} FROM __unknown_units"
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
