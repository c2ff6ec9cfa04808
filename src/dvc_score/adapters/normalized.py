"""The normalized model as a folder of CSV, Parquet or JSON files.

A folder holds ``units``, ``procedures``, ``dossiers`` and ``petitions``, each
as ``<table>.csv``, ``<table>.parquet``, ``<table>.json`` / ``.jsonl``, or a
sub-folder ``<table>/`` of such parts (a table split across files is one
table). A table may also be named in Vietnamese (``Hồ sơ.csv``, ``don_vi/``).
``units`` and ``dossiers`` are required; the other two may be absent.

Headers go through :data:`dvc_score.adapters.headers.MODEL_HEADERS`, so model
names, Vietnamese headers and DVCQG names all load. Numbers in text follow
``--locale``; without it, a table with Vietnamese headers is read with ``vi``
(``1.234,5``) and any other with ``en`` (``1,234.5``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from dvc_score.adapters.base import REJECTS_TABLE, CountsInput, Dataset, ReadOptions, RejectLog
from dvc_score.adapters.csv_part import read_csv_part
from dvc_score.adapters.headers import (
    HeaderMapping,
    check_text_sample,
    map_headers,
    table_for_name,
)
from dvc_score.adapters.sql_parsing import blank
from dvc_score.adapters.sql_quote import ident, literal
from dvc_score.adapters.typed_load import ensure_all_tables, load_table, reject_unknown_units
from dvc_score.errors import DataError, redacted_first_line
from dvc_score.model.schema import TABLES

SUFFIXES = (".parquet", ".csv", ".json", ".jsonl", ".ndjson")
_KINDS = {
    ".parquet": "parquet",
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
}
# JSON readers guess dates from text, ISO only and dropping offsets: such
# columns are read as text and parsed by the model's rules instead.
_TEMPORAL = ("DATE", "TIME", "TIMESTAMP", "INTERVAL")
# A CSV table with at most this many date columns left as text (a refused
# cell, a second layout) is read lazily, those dates parsed by the rules on
# every read; with more, parsing them once into a staged copy costs less.
# Ten million dossiers with one ISO date column as text: 14.3 s staged, 7.8 s
# lazily (loading and one count); all five as text (no layout hint): 19.7 s
# staged, 18.9 s lazily, and every further count would parse them again.
LAZY_TEXT_DATES = 2


def _table_of(path: Path) -> str | None:
    name = path.stem if path.is_file() else path.name
    return table_for_name(name)


def table_files(folder: Path, table: str) -> list[Path]:
    """The files holding ``table`` in ``folder`` (one file, or a folder of parts)."""
    found: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if _table_of(entry) != table:
            continue
        if entry.is_file() and entry.suffix.lower() in SUFFIXES:
            found.append(entry)
        elif entry.is_dir():
            found += sorted(
                p for p in entry.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
            )
    kinds = {_KINDS[p.suffix.lower()] for p in found}
    if len(kinds) > 1:
        raise DataError(
            f"{folder}: {table} is given in several formats ({', '.join(sorted(kinds))}); keep one"
        )
    return found


def fingerprint(paths: list[Path]) -> str:
    """sha256 over the bytes of every input file, in a fixed order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return "sha256:" + digest.hexdigest()


@dataclass(frozen=True)
class RawTable:
    """A raw relation and what its headers said about the source."""

    name: str
    vietnamese: bool
    # Read as counted: Parquet files, or CSV parts with their dates typed by the
    # reader but for at most LAZY_TEXT_DATES of them.
    lazy: bool = False
    # Timestamp columns left as text, with the layout their first cells showed.
    layouts: Mapping[str, str] = field(default_factory=dict)

    @property
    def locale(self) -> Literal["vi", "en"]:
        return "vi" if self.vietnamese else "en"


def raw_relation(con: duckdb.DuckDBPyConnection, table: str, paths: list[Path]) -> str:
    """A relation over the files with model column names, ``__file`` and ``__row``.

    ``table`` names the relation (``__raw_<table>``); ``paths`` are one file or
    the parts of one table, all CSV, all JSON or all Parquet. Recognised headers
    become model names (docs/data.md), others snake_case.

    ``__row`` is where a person finds the row: the record number in a CSV file
    counting the header as row 1 (as a spreadsheet shows it), the line of a
    JSON-lines file, the 1-based row of a Parquet file.
    """
    return read_raw(con, table, paths).name


def read_raw(
    con: duckdb.DuckDBPyConnection, table: str, paths: list[Path], *, view: bool = False
) -> RawTable:
    """:func:`raw_relation`, also saying whether the headers were Vietnamese.

    With ``view``, CSV and JSON give a view over the parts read into memory
    instead of one more copy of them in a table (8 s per ten million rows),
    and CSV columns the sample allows are typed by DuckDB's reader
    (adapters/csv_types.py); only for a caller that hands it to
    ``load_table``, which keeps or drops it with its parts. Plugins get a
    table of text, as ``raw_relation`` always gave them.
    """
    if not paths:
        raise DataError(f"{table}: no files to read")
    for file in paths:
        if file.stat().st_size == 0:
            raise DataError(
                f"{file}: the file is empty (0 bytes); write at least the header row, or remove it"
            )
    kind = _KINDS[paths[0].suffix.lower()]
    raw = "__raw_" + re.sub(r"\W", "_", table, flags=re.ASCII)
    try:
        if kind == "parquet":
            return _parquet(con, raw, paths)
        return _text_files(con, raw, paths, kind, table, view)
    except duckdb.Error as error:
        names = ", ".join(str(p) for p in paths)
        raise DataError(f"{names}: cannot read {table} ({redacted_first_line(error)})") from None


def _parquet(con: duckdb.DuckDBPyConnection, raw: str, paths: list[Path]) -> RawTable:
    files = "[" + ", ".join(literal(str(p)) for p in paths) + "]"
    reader = f"read_parquet({files}, filename = true, file_row_number = true, union_by_name = true)"
    headers = [
        str(row[0])
        for row in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        if row[0] not in ("filename", "file_row_number")
    ]
    mapping = map_headers(headers, ", ".join(str(p) for p in paths))
    select = ", ".join(f"{ident(h)} AS {ident(t)}" for h, t in mapping.targets.items())
    # A view: Parquet is read lazily, column by column, never copied into memory.
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {raw} AS SELECT {select},"
        f" filename AS __file, file_row_number + 1 AS __row FROM {reader}"
    )
    return RawTable(raw, mapping.vietnamese, lazy=True)


def _text_files(
    con: duckdb.DuckDBPyConnection, raw: str, paths: list[Path], kind: str, table: str, view: bool
) -> RawTable:
    errors = f"{raw}__errors"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {errors} (file VARCHAR, row BIGINT,"
        ' "column" VARCHAR, value VARCHAR, reason VARCHAR)'
    )
    parts: dict[str, Path] = {}
    lines: dict[str, Path] = {}  # lines read again on their own, numbered by __line
    vietnamese = False
    text_dates: set[str] | None = set()  # date columns some part has as text; None: all (JSON)
    layouts: dict[str, str] = {}
    for index, path in enumerate(paths):
        part = f"{raw}_part{index}"
        if kind == "csv":
            # Only for load_table's own view: plugins get text, as they always did.
            read = read_csv_part(con, path, part, errors, table if view else None)
            mapping = read.mapping
            text_dates = None if text_dates is None else text_dates | read.text_dates
            layouts = read.layouts | layouts  # the first part's hint wins
            if read.lines:
                lines[read.lines] = path
        else:
            mapping = _read_json_part(con, path, part)
            text_dates = None
        vietnamese |= mapping.vietnamese
        parts[part] = path
    _combine(con, raw, parts, lines, errors, offset=1 if kind == "csv" else 0, view=view)
    # Records that could not be split into cells go to the reject log at once,
    # so they are reported even when a plugin reshapes the relation before
    # load_table (which counts them as read).
    RejectLog(con)  # makes sure the log exists
    con.execute(
        f'INSERT INTO {REJECTS_TABLE} SELECT {literal(table)}, file, row, "column",'
        f" left(value, 200), reason FROM {errors}"
    )
    con.execute(f"DROP TABLE {errors}")
    # With (nearly) every date typed by the reader there is little to parse: the
    # model view reads the typed parts as counted, as it reads Parquet, instead
    # of a staged copy, parsing the few dates left as text on each read.
    lazy = view and text_dates is not None and len(text_dates) <= LAZY_TEXT_DATES
    return RawTable(raw, vietnamese, lazy=lazy, layouts=layouts)


def _read_json_part(con: duckdb.DuckDBPyConnection, path: Path, part: str) -> HeaderMapping:
    check_text_sample(path)
    reader = f"read_json({literal(str(path))}, format = 'auto'"
    detected = con.execute(f"DESCRIBE SELECT * FROM {reader})").fetchall()
    types = {str(name): str(kind) for name, kind, *_ in detected}
    columns = ", ".join(
        f"{literal(n)}: {literal('VARCHAR' if t.upper().startswith(_TEMPORAL) else t)}"
        for n, t in types.items()
    )
    mapping = map_headers(list(types), str(path))
    cells = ", ".join(f"{ident(h)} AS {ident(t)}" for h, t in mapping.targets.items())
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {part} AS SELECT {cells} FROM {reader},"
        f" columns = {{{columns}}})"
    )
    return mapping


def _combine(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    parts: dict[str, Path],
    lines: dict[str, Path],
    errors: str,
    offset: int,
    view: bool,
) -> None:
    """Union the parts by column name and number the rows as a person counts them.

    CSV record k follows k - 1 good records and every record missing from its
    part before it (unsplittable, or in ``lines``: read again on their own,
    numbered by their ``__line``): with such records at rows b_1 < b_2 < ...
    (the i-th has g_i = b_i - 1 - i good records before it), record k sits at
    row k + 1 + #{i : g_i < k}. JSON has no header line (``offset`` 0) and no
    unsplittable records.
    """
    missing = " UNION ALL ".join(
        [f"SELECT file, row FROM {errors}"]
        + [f"SELECT {literal(str(path))}, __line FROM {table}" for table, path in lines.items()]
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {raw}__bad AS SELECT file,"
        f" row - {offset} - row_number() OVER (PARTITION BY file ORDER BY row) AS g,"
        f" row_number() OVER (PARTITION BY file ORDER BY row) AS i FROM ({missing}) m(file, row)"
    )
    gaps: dict[str, list[int]] = {}  # file -> the g_i, ascending
    for file, g in con.execute(f"SELECT file, g FROM {raw}__bad ORDER BY file, g").fetchall():
        gaps.setdefault(str(file), []).append(int(g))
    union = " UNION ALL BY NAME ".join(
        [
            _numbered(part, path, gaps.get(str(path), []), offset, raw)
            for part, path in parts.items()
        ]
        + [
            f"SELECT * EXCLUDE (__line), {literal(str(path))} AS __file, __line AS __row FROM {table}"
            for table, path in lines.items()
        ]
    )
    columns = [
        str(r[0])
        for r in con.execute(f"DESCRIBE {union}").fetchall()
        if r[0] not in ("__file", "__row")
    ]
    # Rows whose cells are all empty (trailing ",,,," lines) carry nothing: skipped.
    # A CASE stops at the first cell with something in it (nearly always the first).
    whens = " ".join(f"WHEN NOT {blank(ident(c))} THEN TRUE" for c in columns)
    not_blank = f"CASE {whens} ELSE FALSE END" if columns else "TRUE"
    # Looked for once, so that a view read many times does not test every row
    # each time (0.8 s per ten million). DuckDB narrows an AND column by column:
    # past the first cell only the rows with it empty are looked at.
    all_blank = " AND ".join(blank(ident(c)) for c in columns) or "FALSE"
    if not con.execute(f"SELECT count(*) FROM ({union}) d WHERE {all_blank}").fetchone()[0]:  # type: ignore[index]
        not_blank = "TRUE"
    # As a view the parts (and __bad) must stay; load_table drops them with it.
    con.execute(
        f"CREATE OR REPLACE TEMP {'VIEW' if view else 'TABLE'} {raw} AS"
        f" SELECT * FROM ({union}) d WHERE {not_blank}"
    )
    if not view:
        for name in [f"{raw}__bad", *parts, *lines]:
            con.execute(f"DROP TABLE {name}")


# Up to this many records missing from a part, its row numbers are a CASE
# over the record's position (next to free); beyond, an ASOF join with the
# missing records (about 2 s per read of ten million rows, however many).
_GAPS_AS_CASE = 16


def _numbered(part: str, path: Path, gaps: list[int], offset: int, raw: str) -> str:
    """SELECT the part's cells, ``__file`` and ``__row`` (see :func:`_combine`)."""
    # rowid follows file order (DuckDB preserves insertion order), so it is a
    # record's position among the records the reader could split, from 0.
    file = literal(str(path))
    if len(gaps) > _GAPS_AS_CASE:
        return (
            f"SELECT p.* EXCLUDE (__k), {file} AS __file,"
            f" p.__k + {offset} + COALESCE(b.i, 0) AS __row"
            f" FROM (SELECT *, rowid + 1 AS __k FROM {part}) p"
            f" ASOF LEFT JOIN (SELECT g, i FROM {raw}__bad WHERE file = {file}) b ON p.__k > b.g"
        )
    # The number of missing records before record k: #{i : g_i < k}.
    before = " ".join(f"WHEN rowid + 1 <= {g} THEN {i}" for i, g in enumerate(gaps))
    shift = f" + CASE {before} ELSE {len(gaps)} END" if gaps else ""
    return f"SELECT *, {file} AS __file, rowid + 1 + {offset}{shift} AS __row FROM {part}"


class NormalizedFolderAdapter:
    name = "normalized"
    description = (
        "The normalized model: a folder of units/procedures/dossiers/petitions as CSV, Parquet"
        " or JSON (model, Vietnamese or DVCQG headers)."
    )
    produces: Literal["dataset", "counts"] = "dataset"

    def detect(self, path: Path) -> bool:
        return (
            path.is_dir()
            and bool(table_files(path, "dossiers"))
            and bool(table_files(path, "units"))
        )

    def read(
        self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions
    ) -> Dataset | CountsInput:
        if not path.is_dir():
            raise DataError(
                f"{path}: the normalized adapter reads a folder of table files"
                " (units.csv, dossiers.csv, ...); for a workbook use --adapter excel"
            )
        rejects = RejectLog(con)
        files = {name: found for name in TABLES if (found := table_files(path, name))}
        _require_tables(path, set(files))
        # Hashing the files (0.5 s per GB) runs beside DuckDB, which releases
        # the interpreter while it reads them.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dvc-fingerprint") as pool:
            digest = pool.submit(fingerprint, [p for paths in files.values() for p in paths])
            for name, paths in files.items():
                raw = read_raw(con, name, paths, view=True)
                locale = options.locale or raw.locale
                load_table(
                    con,
                    raw.name,
                    TABLES[name],
                    rejects,
                    locale,
                    stage=not raw.lazy,
                    layouts=raw.layouts,
                )
            ensure_all_tables(con, set(files))
            reject_unknown_units(con, rejects)
            return Dataset(con, str(path), digest.result(), rejects)


def _require_tables(folder: Path, present: set[str]) -> None:
    missing = [t for t in ("units", "dossiers") if t not in present]
    if not missing:
        return
    found = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir())[:8]
    raise DataError(
        f"{folder}: no {' and no '.join(missing)} table (expected e.g. {missing[0]}.csv,"
        f" .parquet, .json or a {missing[0]}/ folder of parts;"
        f" found: {', '.join(found) or 'nothing'})"
    )
