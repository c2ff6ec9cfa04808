"""Read one CSV file into a table: our own header and delimiter, every record kept.

The header and delimiter are ours (DuckDB's sniffer could be misled by the
very rows that must be rejected); records the reader cannot split go to an
errors table with their line and a reason a person can act on; the columns
:func:`csv_types.choose` offers are typed by the reader, and a column with a
cell it refuses is read again as text.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
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


# Up to this many lines with a refused cell, and one in twenty of the file's,
# are read again on their own (the reader keeps each one's text); more, and
# the whole file is read again: 90,000 lines of a million take as long as
# the million.
MAX_REREAD_LINES = 100_000
# How the reader's typed timestamps read as text (the layout hint for a
# refused column, whose typed cells become this text beside the refused ones).
_TYPED_AS_TEXT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class CsvPart:
    """What reading one CSV file left in the database, and what it found."""

    mapping: HeaderMapping
    text_dates: set[str]  # date columns left as text, for the rules to parse
    # The layout the sample showed for each timestamp column left as text:
    # a hint for the rules, which try it first.
    layouts: dict[str, str] = field(default_factory=dict)
    # A table of the lines read again on their own (see read_csv_part), with
    # their line number in ``__line``; the part table lacks them.
    lines: str | None = None


def read_csv_part(
    con: duckdb.DuckDBPyConnection, path: Path, part: str, errors: str, table: str | None
) -> CsvPart:
    """Read one CSV file into table ``part``.

    With ``table``, the columns :func:`csv_types.choose` offers are typed by
    the reader. If it refuses a cell, that column becomes text: the few lines
    with a refused cell are read again on their own, with those columns as
    text, into ``CsvPart.lines`` (the part's own cells in those columns read
    as text beside them once the parts are combined); with many such lines,
    or a typed year outside 1000-9999, the whole file is read again instead.
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
    layouts = dict(native.layouts)
    lines = None
    refused, out_of_range = _read_csv_cells(con, path, part, delimiter, targets, native)
    if refused and not out_of_range:
        lines = _read_refused_lines(con, part, delimiter, targets, native.without(refused))
        if lines is not None:
            native = native.without(refused)
            # The part's cells in those columns will read as the reader prints
            # a timestamp: the hint that fits nearly all of them.
            layouts |= {c: _TYPED_AS_TEXT for c in refused if c in layouts}
    while (refused or out_of_range) and lines is None:
        # Those columns are read again as text and the rules decide their
        # cells; the others stay typed. Each read logs every refused cell, so
        # one more read is the rule; fewer columns are typed each time, so it ends.
        _drop_read(con, part)
        native = native.without(refused | out_of_range)
        refused, out_of_range = _read_csv_cells(con, path, part, delimiter, targets, native)
    column_names = "[" + ", ".join(literal(t) for t in targets) + "]"
    # Lines read again on their own are rows, not errors.
    kept = " WHERE error_type <> 'CAST'" if lines else ""
    con.execute(
        f"INSERT INTO {errors} SELECT {literal(str(path))}, line,"
        f" {column_names}[TRY_CAST(regexp_extract(column_name, '^__c([0-9]+)$', 1) AS BIGINT) + 1],"
        " csv_line,"
        f" {_ERROR_REASON}"
        f" FROM {part}_err{kept}"
        " QUALIFY row_number() OVER (PARTITION BY line ORDER BY column_idx) = 1"
    )
    con.execute(f"DROP TABLE {part}_err; DROP TABLE {part}_scan")
    model = TABLES.get(table or "")
    dates = {c.name for c in model.columns if c.type in ("TIMESTAMP", "DATE")} if model else set()
    return CsvPart(
        mapping,
        dates & set(targets) - set(native.timestamps),
        {c: f for c, f in layouts.items() if c not in native.timestamps},
        lines,
    )


def _read_refused_lines(
    con: duckdb.DuckDBPyConnection,
    part: str,
    delimiter: str,
    targets: list[str],
    native: csv_types.NativeTypes,
) -> str | None:
    """Read the lines with a refused cell again, on their own, as ``native`` types them.

    The reader logged each line's text: written to a file of their own (with
    a header), they are read with the same options, the refused columns as
    text. Returns the table (``__line`` numbers its rows), or None when there
    are too many such lines, or the second reading refuses a cell too, or a
    line is refused for another reason: then the whole file is read again.
    """
    found = con.execute(
        f"SELECT count(DISTINCT line), count(DISTINCT line) FILTER (WHERE error_type = 'CAST')"
        f" FROM {part}_err WHERE line IN (SELECT line FROM {part}_err WHERE error_type = 'CAST')"
    ).fetchone()
    rows = _scalar(con, f"SELECT count(*) FROM {part}")
    if not found or found[0] != found[1] or found[1] > min(MAX_REREAD_LINES, rows // 20):
        return None
    records = con.execute(
        f"SELECT line, any_value(csv_line) FROM {part}_err WHERE error_type = 'CAST'"
        " GROUP BY line ORDER BY line"
    ).fetchall()
    # Each line after its line number, in a first column of its own.
    header = delimiter.join(f"__c{i}" for i in range(len(targets) + 1))
    text = [header, *(f"{int(line)}{delimiter}{csv_line}" for line, csv_line in records)]
    try:
        with tempfile.TemporaryDirectory(prefix="dvc-score-lines-") as folder:
            file = Path(folder) / "lines.csv"
            file.write_text("\n".join(text) + "\n", encoding="utf-8")
            refused, out_of_range = _read_csv_cells(
                con, file, f"{part}_again", delimiter, ["__line", *targets], native
            )
    except OSError:  # no writable temp folder: the whole file is read again instead
        return None
    again = f"{part}_again"
    read = (
        not (refused or out_of_range)
        and not _scalar(con, f"SELECT count(*) FROM {again}_err")
        and _scalar(con, f"SELECT count(*) FROM {again}") == len(records)
    )
    if read:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {part}_lines AS"
            f" SELECT * REPLACE (CAST(__line AS BIGINT) AS __line) FROM {again}"
        )
    _drop_read(con, again)
    return f"{part}_lines" if read else None


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _drop_read(con: duckdb.DuckDBPyConnection, part: str) -> None:
    """Drop what :func:`_read_csv_cells` created: ``part`` and its reject tables."""
    con.execute(f"DROP TABLE {part}; DROP TABLE {part}_err; DROP TABLE {part}_scan")


def _read_csv_cells(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    part: str,
    delimiter: str,
    targets: list[str],
    native: csv_types.NativeTypes,
) -> tuple[set[str], set[str]]:
    """CREATE ``part`` (and its ``_err``/``_scan`` tables).

    Returns the typed columns that refused a cell and the typed timestamp
    columns with a year outside 1000-9999 (the reader takes "26-01-05" as
    the year 26; the rules do not). Records in file order, so that rowid
    numbers them. No ``__file`` column: ten million copies of the path cost
    3 s; the view over the parts adds it.
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
        return set(), set()
    refused = {
        targets[int(index)]
        for (index,) in con.execute(
            f"SELECT DISTINCT regexp_extract(column_name, '^__c([0-9]+)$', 1) FROM {part}_err"
            " WHERE error_type = 'CAST'"
        ).fetchall()
    }
    out_of_range = csv_types.years_out_of_range(con, part, native.timestamps)
    return refused & set(native.types), out_of_range  # only a typed column can refuse a cell
