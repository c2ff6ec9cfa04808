"""The normalized model as an Excel workbook: one sheet per table.

Sheets are named after the tables, in English or Vietnamese ("dossiers" or
"Hồ sơ", "units" or "Đơn vị", "procedures" or "Thủ tục", "petitions" or "Phản
ánh kiến nghị"); other sheets are ignored. A sheet's header row is the first of
its top rows that names model columns (a report title above it is skipped);
headers are matched like the folder adapter's.

Rows are streamed with openpyxl's read-only reader into a DuckDB table of text
columns, in batches, so a large workbook never sits in Python memory. Date
cells arrive as datetimes and are passed on as ISO text; number cells stay
numbers (only text cells are read through the locale). ``__file`` is
``book.xlsx:Sheet`` and ``__row`` the Excel row number.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb

from dvc_score.adapters.base import CountsInput, Dataset, ReadOptions, RejectLog
from dvc_score.adapters.headers import MODEL_HEADERS, map_headers, table_for_name
from dvc_score.adapters.normalized import RawTable, fingerprint
from dvc_score.adapters.parsing import VN_TZ
from dvc_score.adapters.sql_quote import ident, literal
from dvc_score.adapters.typed_load import ensure_all_tables, load_table, reject_unknown_units
from dvc_score.errors import DataError
from dvc_score.model.schema import TABLES, Table

SUFFIXES = (".xlsx", ".xlsm")
HEADER_SEARCH_ROWS = 20
BATCH_ROWS = 5_000

Cell = Any  # what openpyxl yields: str, int, float, bool, datetime, date, time, None
Converter = Callable[[Cell], str | None]


class ExcelAdapter:
    name = "excel"
    description = (
        "An Excel workbook (.xlsx), one sheet per table: units/Đơn vị, procedures/Thủ tục,"
        " dossiers/Hồ sơ, petitions/Phản ánh kiến nghị."
    )
    produces: Literal["dataset", "counts"] = "dataset"

    def detect(self, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() in (*SUFFIXES, ".xls")

    def read(
        self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions
    ) -> Dataset | CountsInput:
        workbook = open_workbook(path)
        try:
            sheets = sheets_by_table(workbook, path)
            rejects = RejectLog(con)
            for name, sheet in sheets.items():
                table = TABLES[name]
                raw = load_sheet(con, path, sheet, table, options.locale)
                load_table(con, raw.name, table, rejects, options.locale or raw.locale)
        finally:
            workbook.close()
        ensure_all_tables(con, set(sheets))
        reject_unknown_units(con, rejects)
        return Dataset(con, str(path), fingerprint([path]), rejects)


def open_workbook(path: Path) -> Any:
    """Open ``path`` read-only, or raise one line saying why it cannot be read."""
    if path.is_dir():
        raise DataError(
            f"{path}: the excel adapter reads one .xlsx workbook;"
            " for a folder use --adapter normalized"
        )
    if path.suffix.lower() == ".xls":
        raise DataError(f"{path}: the old .xls format is not read; save the workbook as .xlsx")
    if path.stat().st_size == 0:
        raise DataError(f"{path}: the file is empty (0 bytes)")
    try:
        import openpyxl  # here, not at the top: it adds 0.2 s to every command

        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise DataError(
            f"{path}: cannot open the workbook ({type(error).__name__}: {error}); is it an .xlsx"
            " file, not password-protected?"
        ) from None


def sheets_by_table(workbook: Any, path: Path) -> dict[str, Any]:
    """The sheet holding each table, by table name; units and dossiers are required."""
    found: dict[str, Any] = {}
    for sheet in workbook.worksheets:
        table = table_for_name(sheet.title)
        if table is None:
            continue
        if table in found:
            raise DataError(
                f"{path}: sheets {found[table].title!r} and {sheet.title!r} both hold {table};"
                " keep one"
            )
        found[table] = sheet
    missing = [t for t in ("units", "dossiers") if t not in found]
    if missing:
        titles = ", ".join(repr(s.title) for s in workbook.worksheets)
        raise DataError(
            f"{path}: no sheet for {' or '.join(missing)} (name it e.g. 'dossiers' or 'Hồ sơ',"
            f" 'units' or 'Đơn vị'); the workbook has {titles}"
        )
    return {name: found[name] for name in TABLES if name in found}


def load_sheet(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    sheet: Any,
    table: Table,
    locale: Literal["vi", "en"] | None,
) -> RawTable:
    """Stream one sheet into ``__raw_<table>`` (text columns, ``__file``, ``__row``)."""
    sheet.reset_dimensions()  # a stale <dimension> would make openpyxl stop early
    rows = enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
    label = f"{path}:{sheet.title}"
    headers, pending = _find_header(rows, table, label)
    mapping = map_headers(headers, label)
    vietnamese_locale = (locale or ("vi" if mapping.vietnamese else "en")) == "vi"
    targets = list(mapping.targets.values())
    converters = [_converter(table, target, vietnamese_locale) for target in targets]
    raw = f"__raw_{table.name}"
    columns = ", ".join(f"{ident(t)} VARCHAR" for t in targets)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {raw} ({columns}, __file VARCHAR, __row BIGINT)")
    _stream(con, raw, table.name, label, _chain(pending, rows), converters)
    return RawTable(raw, mapping.vietnamese)


def _stream(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    table: str,
    label: str,
    rows: Iterator[tuple[int, tuple[Cell, ...]]],
    converters: list[Converter],
) -> None:
    """Insert the data rows in batches; set aside rows with a value past the headers."""
    width = len(converters)
    batch: list[tuple[int, list[str | None]]] = []
    for number, values in rows:
        filled = [i for i, v in enumerate(values) if v is not None and str(v).strip()]
        if not filled:
            continue  # blank or merely formatted rows carry nothing
        if filled[-1] >= width:
            _reject_headless(con, table, label, number, filled[-1], values[filled[-1]])
            continue
        cells = [convert(value) for convert, value in zip(converters, values, strict=False)]
        batch.append((number, cells + [None] * (width - len(cells))))
        if len(batch) >= BATCH_ROWS:
            _insert(con, raw, width, label, batch)
            batch = []
    _insert(con, raw, width, label, batch)


def _reject_headless(
    con: duckdb.DuckDBPyConnection, table: str, label: str, number: int, index: int, value: Cell
) -> None:
    # A value right of the last header belongs to no column: the row is
    # probably shifted, so it is set aside rather than read by position.
    # load_table counts it as read.
    reason = "a value in a column without a header"
    RejectLog(con).add(table, label, number, _column_letter(index), value, reason)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _find_header(
    rows: Iterator[tuple[int, tuple[Cell, ...]]], table: Table, label: str
) -> tuple[list[str], list[tuple[int, tuple[Cell, ...]]]]:
    """The header row's cells, and the rows already read past it.

    The header is the first of the top rows naming at least two of the table's
    columns (or all of its required ones); a title row above it is skipped.
    Failing that, the first non-empty row is taken, and the loader reports
    which required columns it lacks.
    """
    seen: list[tuple[int, tuple[Cell, ...]]] = []
    for number, values in rows:
        seen.append((number, values))
        if _names_columns(values, table):
            return _header_cells(values), []
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    for index, (_, values) in enumerate(seen):
        if any(v is not None and str(v).strip() for v in values):
            return _header_cells(values), seen[index + 1 :]
    raise DataError(f"{label}: the sheet is empty; it needs a header row")


def _names_columns(values: tuple[Cell, ...], table: Table) -> bool:
    names = {MODEL_HEADERS.column_for(str(v)) for v in values if isinstance(v, str)}
    known = names & set(table.column_names)
    return len(known) >= 2 or set(table.required_names) <= known


def _header_cells(values: tuple[Cell, ...]) -> list[str]:
    cells = ["" if v is None else str(v) for v in values]
    while cells and not cells[-1].strip():
        cells.pop()  # formatted but empty cells at the right of the header
    return cells


def _chain(
    first: list[tuple[int, tuple[Cell, ...]]], rest: Iterator[tuple[int, tuple[Cell, ...]]]
) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    yield from first
    yield from rest


def _converter(table: Table, target: str, vietnamese_locale: bool) -> Converter:
    column = table.column(target)
    # Only a model number column reads text through the locale; a number cell
    # bound for it is written in that locale so it parses back to itself.
    comma = vietnamese_locale and column is not None and column.type == "DOUBLE"
    return lambda value: cell_text(value, comma)


def cell_text(value: Cell, decimal_comma: bool = False) -> str | None:
    """A cell as the text the loader parses: ISO for dates, plain digits for numbers."""
    if value is None:
        return None
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value, decimal_comma)
    if isinstance(value, datetime):
        local: datetime = value
        if local.tzinfo is not None:
            local = local.astimezone(VN_TZ).replace(tzinfo=None)
        return local.isoformat()
    if isinstance(value, date | time):
        return str(value.isoformat())
    if isinstance(value, timedelta):
        return str(value.total_seconds() / 86400)
    return str(value)


def _number_text(value: float, decimal_comma: bool) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = format(Decimal(repr(value)), "f")  # never an exponent
    return text.replace(".", ",") if decimal_comma else text


def _insert(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    width: int,
    label: str,
    batch: list[tuple[int, list[str | None]]],
) -> None:
    if not batch:
        return
    # One statement per batch, a list per column: far faster than row inserts.
    columns: list[list[Any]] = [[cells[i] for _, cells in batch] for i in range(width)]
    columns.append([number for number, _ in batch])
    lists = ", ".join(["unnest(?::VARCHAR[])"] * width)
    con.execute(
        f"INSERT INTO {raw} SELECT {lists}, {literal(label)}, unnest(?::BIGINT[])",
        columns,
    )
