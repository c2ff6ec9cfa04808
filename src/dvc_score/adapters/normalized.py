"""The normalized model as a folder of CSV, Parquet or JSON files.

A folder holds ``units``, ``procedures``, ``dossiers`` and ``petitions``, each
as ``<table>.csv``, ``<table>.parquet``, ``<table>.json`` / ``.jsonl``, or a
sub-folder ``<table>/`` of such parts (a table split across files is one
table). ``units`` and ``dossiers`` are required; the other two may be absent.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import duckdb

from dvc_score.adapters.base import CountsInput, Dataset, ReadOptions, RejectLog
from dvc_score.adapters.typed_load import ensure_all_tables, load_table
from dvc_score.errors import DataError
from dvc_score.model.schema import TABLES

SUFFIXES = (".parquet", ".csv", ".json", ".jsonl", ".ndjson")


def table_files(folder: Path, table: str) -> list[Path]:
    """The files holding ``table`` in ``folder`` (one file, or a folder of parts)."""
    found = [folder / f"{table}{suffix}" for suffix in SUFFIXES if (folder / f"{table}{suffix}").is_file()]
    part_dir = folder / table
    if part_dir.is_dir():
        found += sorted(p for p in part_dir.iterdir() if p.suffix in SUFFIXES and p.is_file())
    kinds = {p.suffix for p in found}
    if len(kinds) > 1:
        raise DataError(f"{folder}: {table} is given in several formats ({', '.join(sorted(kinds))}); keep one")
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


def _sql_list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def raw_relation(con: duckdb.DuckDBPyConnection, table: str, paths: list[Path]) -> str:
    """A relation over the files with ``__file`` and ``__row`` (1-based data row)."""
    raw = f"__raw_{table}"
    files = _sql_list(paths)
    suffix = paths[0].suffix
    try:
        if suffix == ".parquet":
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {raw} AS SELECT * EXCLUDE (filename, file_row_number),"
                " filename AS __file, file_row_number + 1 AS __row"
                f" FROM read_parquet({files}, filename = true, file_row_number = true, union_by_name = true)"
            )
        else:
            reader = (
                f"read_csv({files}, all_varchar = true, header = true, filename = true, union_by_name = true)"
                if suffix == ".csv"
                else f"read_json({files}, filename = true, union_by_name = true, format = 'auto')"
            )
            # Materialized once: a text file is parsed a single time, and the row
            # numbers (file order) stay fixed for the reject report.
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {raw} AS SELECT * EXCLUDE (filename), filename AS __file,"
                f" row_number() OVER (PARTITION BY filename) AS __row FROM {reader}"
            )
    except duckdb.Error as error:
        names = ", ".join(str(p) for p in paths)
        raise DataError(f"{names}: cannot read {table} ({str(error).splitlines()[0]})") from None
    _normalize_headers(con, raw)
    return raw


def _normalize_headers(con: duckdb.DuckDBPyConnection, raw: str) -> None:
    # Headers are matched to model names case- and space-insensitively.
    columns = [str(row[0]) for row in con.execute(f"DESCRIBE {raw}").fetchall()]
    renames = {c: c.strip().lower().replace(" ", "_") for c in columns if not c.startswith("__")}
    if any(old != new for old, new in renames.items()):
        select = ", ".join(
            f'"{old}" AS "{new}"' if not old.startswith("__") else f'"{old}"'
            for old, new in {**renames, "__file": "__file", "__row": "__row"}.items()
        )
        kind = "VIEW" if _is_view(con, raw) else "TABLE"
        con.execute(f"CREATE OR REPLACE TEMP {kind} {raw}_h AS SELECT {select} FROM {raw}")
        con.execute(f"DROP {kind} {raw}")
        con.execute(f"ALTER {kind} {raw}_h RENAME TO {raw}")


def _is_view(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [name]).fetchone()
    return bool(row and row[0])


class NormalizedFolderAdapter:
    name = "normalized"
    description = "The normalized model: a folder of units/procedures/dossiers/petitions as CSV, Parquet or JSON."
    produces: Literal["dataset", "counts"] = "dataset"

    def detect(self, path: Path) -> bool:
        return path.is_dir() and bool(table_files(path, "dossiers")) and bool(table_files(path, "units"))

    def read(self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions) -> Dataset | CountsInput:
        if not path.is_dir():
            raise DataError(f"{path}: the normalized adapter reads a folder of table files")
        rejects = RejectLog(con)
        present: set[str] = set()
        all_paths: list[Path] = []
        for table in TABLES.values():
            paths = table_files(path, table.name)
            if not paths:
                continue
            for file in paths:
                if file.stat().st_size == 0:
                    raise DataError(f"{file}: the file is empty")
            raw = raw_relation(con, table.name, paths)
            load_table(con, raw, table, rejects, options.locale or "en")
            present.add(table.name)
            all_paths += paths
        ensure_all_tables(con, present)
        return Dataset(con, str(path), fingerprint(all_paths), rejects)
