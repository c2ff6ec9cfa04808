"""The ``opencps`` adapter: an ``opencps_dossier`` CSV export plus normalized units beside it."""

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
    raw_relation,
    table_files,
)

from dvc_score_opencps import columns, mapping
from dvc_score_opencps.catalog import catalog_stems, fill_service_codes, load_catalog

OPTIONS = ("status-map", "service-map")
STAGED = "__opencps_staged"
TABLE = "dossiers"


def export_files(folder: Path) -> list[Path]:
    """The CSV files of a folder that are OpenCPS dossier exports (a dossierNo column)."""
    stems = catalog_stems()
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() == ".csv"
        and p.stem.lower() not in stems
        and is_export(p)
    )


def is_export(path: Path) -> bool:
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline().lower()
    return "dossierno" in header and "govagencycode" in header


class OpenCpsAdapter:
    name = "opencps"
    description = (
        "OpenCPS opencps_dossier export (CSV), with units.csv (+ procedures.csv, petitions.csv)"
        " beside it; statuses mapped through a status map."
    )
    produces: Literal["dataset", "counts"] = "dataset"

    def detect(self, path: Path) -> bool:
        if path.is_dir():
            return bool(export_files(path)) and bool(table_files(path, "units"))
        return path.suffix.lower() == ".csv" and is_export(path)

    def read(
        self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions
    ) -> Dataset | CountsInput:
        folder, exports = _inputs(path)
        status_map, service_map = _maps(options)
        locale = options.locale or "en"  # exports are machine-written
        rejects = RejectLog(con)
        present, catalog_paths = load_catalog(con, folder, rejects, locale)
        mapping.install(con, status_map, service_map)
        raw = raw_relation(con, "opencps_dossier", exports)
        read = _stage(con, raw, status_map, rejects)
        fill_service_codes(con, STAGED)
        load_table(con, STAGED, TABLES[TABLE], rejects, locale)
        rejects.rows_read[TABLE] = read
        ensure_all_tables(con, present | {TABLE})
        extra = [Path(options.settings[k]) for k in OPTIONS if k in options.settings]
        return Dataset(con, str(path), fingerprint([*exports, *catalog_paths, *extra]), rejects)


def _inputs(path: Path) -> tuple[Path, list[Path]]:
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    if path.is_file():
        return path.parent, [path]
    exports = export_files(path)
    if not exports:
        raise DataError(f"{path}: no OpenCPS dossier export (a CSV with dossierNo, govAgencyCode)")
    return path, exports


def _maps(options: ReadOptions) -> tuple[mapping.StatusMap, dict[str, str]]:
    unknown = sorted(set(options.settings) - set(OPTIONS))
    if unknown:
        raise UserError(f"--option {unknown[0]}: unknown for opencps; known: {', '.join(OPTIONS)}")
    status_path = options.settings.get("status-map")
    service_path = options.settings.get("service-map")
    status_map = mapping.read_status_map(Path(status_path) if status_path else None)
    service_map = mapping.read_service_map(Path(service_path)) if service_path else {}
    return status_map, service_map


def _stage(
    con: duckdb.DuckDBPyConnection, raw: str, status_map: mapping.StatusMap, rejects: RejectLog
) -> int:
    """Stage the export as model columns, reject unmapped statuses and unknown units.

    Returns the number of rows read. The raw table (which holds every exported
    column, personal ones included) is dropped once staged.
    """
    found = {str(row[0]) for row in con.execute(f"DESCRIBE {raw}").fetchall()}
    resolved = columns.resolve(found)
    missing = [name for key, name in columns.REQUIRED.items() if key not in resolved]
    if missing:
        raise DataError(f"OpenCPS export: missing column(s) {', '.join(missing)}")
    con.execute(columns.staging_sql(STAGED, raw, found))
    con.execute(f"DROP TABLE {raw}")
    read = _count(con, f"SELECT count(*) FROM {STAGED}")
    reason = (
        f"status not in {status_map.source}; add a row (status,dvcqg_status) there"
        " or give --option status-map=FILE"
    )
    for file, row, value in con.execute(
        f"SELECT __file, __row, __status_raw FROM {STAGED} WHERE __status_unknown ORDER BY 1, 2"
    ).fetchall():
        rejects.add(TABLE, file, row, "dossierStatus", value, reason)
    unknown_unit = "unit_code IS NOT NULL AND unit_code NOT IN (SELECT unit_code FROM units)"
    for file, row, value in con.execute(
        f"SELECT __file, __row, unit_code FROM {STAGED}"
        f" WHERE {unknown_unit} AND NOT __status_unknown ORDER BY 1, 2"
    ).fetchall():
        rejects.add(TABLE, file, row, "govAgencyCode", value, "unit not in units.csv")
    # Rejected here, so never passed to the shared loader (one reason per row).
    con.execute(f"DELETE FROM {STAGED} WHERE __status_unknown OR ({unknown_unit})")
    return read


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0
