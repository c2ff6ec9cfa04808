"""Read one CSV file into a table: our own header and delimiter, every record kept.

The header and delimiter are ours (DuckDB's sniffer could be misled by the
very rows that must be rejected); records the reader cannot split go to an
errors table with their line and a reason a person can act on; the columns
:func:`csv_types.choose` offers are typed by the reader, and a column with a
cell it refuses is read again as text.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dvc_score.adapters import csv_types
from dvc_score.adapters.headers import (
    SAMPLE_BYTES,
    HeaderMapping,
    check_text_sample,
    first_record,
    map_headers,
    sniff_delimiter,
)
from dvc_score.adapters.sql_quote import ident, literal
from dvc_score.errors import DataError
from dvc_score.model.schema import TABLES

# DuckDB's CSV error types, said the way a person fixing the file needs it.
_ERROR_REASON = (
    "'unreadable CSV record: ' || CASE error_type"
    " WHEN 'MISSING COLUMNS' THEN 'fewer fields than the header'"
    " WHEN 'TOO MANY COLUMNS' THEN 'more fields than the header'"
    " WHEN 'UNQUOTED VALUE' THEN 'a quote is not closed, or a value has stray quotes'"
    " WHEN 'INVALID ENCODING' THEN 'not UTF-8 text'"
    " WHEN 'LINE SIZE OVER MAXIMUM' THEN 'the line is longer than 2 MB'"
    " ELSE lower(error_type) END"
)


MAX_COLUMNS = 2_000
# DuckDB's CSV reader works buffer by buffer; at 64 MB instead of its default
# a 2 GB file reads in 10.6 s instead of 13-15 s on two cores (less work at
# the buffer edges), for a few buffers' worth of memory.
_BUFFER_BYTES = 64 * 1024 * 1024


def read_csv_part(
    con: duckdb.DuckDBPyConnection, path: Path, part: str, errors: str, table: str | None
) -> tuple[HeaderMapping, set[str], dict[str, str]]:
    """Read one CSV file into table ``part``.

    Returns its headers, its date columns left as text (for the rules to
    parse), and the layout the sample showed for each timestamp column (a
    hint for the rules, which try it first on a column left as text). With
    ``table``, the columns :func:`csv_types.choose` offers are typed by the
    reader; if it refuses a cell, the file is read again with that column as
    text.
    """
    sample = check_text_sample(path)
    delimiter = sniff_delimiter(sample)
    headers = first_record(sample, delimiter)
    if not any(h.strip() for h in headers):
        raise DataError(f"{path}: the first line is empty; it must be the header row")
    if len(headers) > MAX_COLUMNS:
        # Binding SQL over tens of thousands of columns takes minutes; no real
        # export has more than a few hundred.
        raise DataError(
            f"{path}: the header has {len(headers)} columns; at most {MAX_COLUMNS} are read"
        )
    mapping = map_headers(headers, str(path))
    targets = list(mapping.targets.values())
    native = csv_types.NONE
    if table is not None:
        complete = len(sample) < SAMPLE_BYTES
        native = csv_types.choose(sample, delimiter, targets, table, complete=complete)
    layouts = native.layouts
    refused = _read_csv_cells(con, path, part, delimiter, targets, native)
    while refused:
        # A cell the reader refused: those columns are read again as text and
        # the rules decide their cells; the others stay typed. Each read logs
        # every refused cell, so one more read is the rule; fewer columns are
        # typed each time, so it ends.
        native = native.without(refused)
        refused = _read_csv_cells(con, path, part, delimiter, targets, native)
    column_names = "[" + ", ".join(literal(t) for t in targets) + "]"
    con.execute(
        f"INSERT INTO {errors} SELECT {literal(str(path))}, line,"
        f" {column_names}[TRY_CAST(regexp_extract(column_name, '^__c([0-9]+)$', 1) AS BIGINT) + 1],"
        " csv_line,"
        f" {_ERROR_REASON}"
        f" FROM {part}_err QUALIFY row_number() OVER (PARTITION BY line ORDER BY column_idx) = 1"
    )
    con.execute(f"DROP TABLE {part}_err; DROP TABLE {part}_scan")
    model = TABLES.get(table or "")
    dates = {c.name for c in model.columns if c.type in ("TIMESTAMP", "DATE")} if model else set()
    as_text = dates & set(targets) - set(native.timestamps)
    return mapping, as_text, {c: f for c, f in layouts.items() if c not in native.timestamps}


def _read_csv_cells(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    part: str,
    delimiter: str,
    targets: list[str],
    native: csv_types.NativeTypes,
) -> set[str]:
    """CREATE ``part`` (and its ``_err``/``_scan`` tables); the typed columns that refused a cell.

    Records in file order, so that rowid numbers them. No ``__file`` column:
    ten million copies of the path cost 3 s; the view over the parts adds it.
    When some column refused a cell, the three tables are dropped again.
    """
    types = ", ".join(
        f"'__c{i}': {literal(native.types.get(t, 'VARCHAR'))}" for i, t in enumerate(targets)
    )
    cells = ", ".join(f"__c{i} AS {ident(t)}" for i, t in enumerate(targets))
    layout = (
        f", timestampformat = {literal(native.timestamp_format)}" if native.timestamp_format else ""
    )
    # Our own header and delimiter: DuckDB's sniffer could be misled by the very
    # rows that must be rejected. Unsplittable records go to a reject table.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {part} AS SELECT {cells}"
        f" FROM read_csv({literal(str(path))}, columns = {{{types}}}, header = true,"
        f" auto_detect = false, delim = {literal(delimiter)}, quote = '\"', escape = '\"'{layout},"
        f" buffer_size = {_BUFFER_BYTES},"
        f" store_rejects = true, rejects_table = '{part}_err', rejects_scan = '{part}_scan')"
    )
    if not native.types:
        return set()
    refused = {
        targets[int(index)]
        for (index,) in con.execute(
            f"SELECT DISTINCT regexp_extract(column_name, '^__c([0-9]+)$', 1) FROM {part}_err"
            " WHERE error_type = 'CAST'"
        ).fetchall()
    }
    refused |= csv_types.years_out_of_range(con, part, native.timestamps)
    refused &= set(native.types)  # only a typed column can refuse a cell
    if refused:
        con.execute(f"DROP TABLE {part}; DROP TABLE {part}_err; DROP TABLE {part}_scan")
    return refused
