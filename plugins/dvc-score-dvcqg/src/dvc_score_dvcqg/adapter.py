"""The ``dvcqg`` adapter: DongBoHoSoMC sync files plus normalized units beside them."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import duckdb
from dvc_score.api import (
    TABLES,
    CountsInput,
    DataError,
    Dataset,
    ReadOptions,
    RejectLog,
    UserError,
    ensure_all_tables,
    fingerprint,
    load_table,
    table_files,
)

from dvc_score_dvcqg import fields
from dvc_score_dvcqg.catalog import catalog_stems, fill_service_codes, load_catalog, unit_index
from dvc_score_dvcqg.collect import Collector
from dvc_score_dvcqg.payload import LINE_SUFFIXES
from dvc_score_dvcqg.records import RecordSettings
from dvc_score_dvcqg.staging import stage

SYNC_SUFFIXES = (".json", *LINE_SUFFIXES)
OPTIONS = ("unit-field", "unit", "duplicates")
RAW = "__raw_dvcqg_dossiers"
# The model columns a record can fill (see records.py); the rest stay empty.
DOSSIER_COLUMNS = (
    "dossier_id", "unit_code", "procedure_code", "service_code", "channel", "submitted_at",
    "received_at", "due_at", "finished_at", "returned_at", "status", "supplement_requests",
    "supplement_days", "synced", "fee_due", "paid_online", "e_result", "digitized",
    "reused_data", "personal_store", "citizen_data", "postal_return",
)  # fmt: skip


def sync_files(folder: Path) -> list[Path]:
    """The payload files of a folder, in name order (later files are later syncs).

    Files dvc-score would read as a normalized table (``units.json``, ``DonVi.json``,
    ``dossiers.jsonl``, ...) are not sync files.
    """
    tables = {p for name in catalog_stems() for p in table_files(folder, name)}
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SYNC_SUFFIXES and p not in tables
    )


def looks_like_sync(path: Path) -> bool:
    with path.open("rb") as handle:
        return b'"MaHoSo"' in handle.read(65536)


class DvcqgAdapter:
    name = "dvcqg"
    description = (
        "National portal sync payload (DongBoHoSoMC) as JSON / JSON lines, with units.csv"
        " (+ procedures.csv, petitions.csv) beside it."
    )
    produces: Literal["dataset", "counts"] = "dataset"

    def detect(self, path: Path) -> bool:
        folder, files = (path, sync_files(path)) if path.is_dir() else (path.parent, [path])
        if not files or files[0].suffix.lower() not in SYNC_SUFFIXES:
            return False
        return bool(table_files(folder, "units")) and looks_like_sync(files[0])

    def read(
        self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions
    ) -> Dataset | CountsInput:
        folder, files = _inputs(path)
        keep_last = _keep_last(options)  # options are checked before any file is read
        rejects = RejectLog(con)
        present, catalog_paths = load_catalog(con, folder, rejects, options.locale or "en")
        collector = Collector(_settings(con, options), rejects, keep_last)
        stage(con, RAW, DOSSIER_COLUMNS, collector.rows(files))
        collector.drop_superseded(con, RAW)
        fill_service_codes(con, RAW)
        # Numbers were normalized in Python (en style), whatever the files' locale.
        load_table(con, RAW, TABLES["dossiers"], rejects, "en")
        rejects.rows_read["dossiers"] = rejects.rows_read.get("dossiers", 0) + collector.rejected
        ensure_all_tables(con, present | {"dossiers"})
        return Dataset(con, str(path), fingerprint([*files, *catalog_paths]), rejects)


def _inputs(path: Path) -> tuple[Path, list[Path]]:
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    if path.is_file():
        return path.parent, [path]
    dossier_tables = table_files(path, "dossiers")
    if dossier_tables:
        names = ", ".join(p.name for p in dossier_tables)
        raise DataError(
            f"{path}: {names} is named like the normalized dossiers table; rename a sync file"
            " (e.g. sync-2026-08.json), or read the folder with --adapter normalized"
        )
    files = sync_files(path)
    if not files:
        raise DataError(f"{path}: no sync files (*.json, *.jsonl) besides the normalized tables")
    return path, files


def _settings(con: duckdb.DuckDBPyConnection, options: ReadOptions) -> RecordSettings:
    units = unit_index(con)
    default_unit = options.settings.get("unit")
    if default_unit is not None and default_unit not in units.codes:
        raise UserError(f"--option unit={default_unit}: no such unit_code in units.csv")
    field = options.settings.get("unit-field")
    unit_fields = (field,) if field else fields.UNIT_FIELDS
    return RecordSettings(units, unit_fields, default_unit)


def _keep_last(options: ReadOptions) -> bool:
    unknown = sorted(set(options.settings) - set(OPTIONS))
    if unknown:
        raise UserError(f"--option {unknown[0]}: unknown for dvcqg; known: {', '.join(OPTIONS)}")
    policy = options.settings.get("duplicates", "last")
    if policy not in ("first", "last"):
        raise UserError(f"--option duplicates={policy}: expected first or last")
    return policy == "last"
