"""The tables an OpenCPS dossier export does not carry, read from normalized files beside it.

``opencps_dossier`` describes dossiers only. Units (required), the procedure
catalog and petitions come from ``units.csv``, ``procedures.csv`` and
``petitions.csv`` (or .parquet / .json parts, as the ``normalized`` adapter
reads them), loaded with dvc-score's own loader so their rows are checked and
rejected the same way.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from dvc_score.api import TABLES, DataError, RejectLog, load_table, raw_relation, table_files

CATALOG_TABLES = ("units", "procedures", "petitions")


def load_catalog(
    con: duckdb.DuckDBPyConnection, folder: Path, rejects: RejectLog, locale: str
) -> tuple[set[str], list[Path]]:
    """Load the catalog tables found in ``folder``; returns (tables present, files read)."""
    present: set[str] = set()
    paths: list[Path] = []
    for name in CATALOG_TABLES:
        files = table_files(folder, name)
        if not files:
            continue
        load_table(con, raw_relation(con, name, files), TABLES[name], rejects, locale)
        present.add(name)
        paths += files
    if "units" not in present:
        raise DataError(
            f"{folder}: no units.csv beside the OpenCPS export; govAgencyCode must name a unit"
            " of units.csv (unit_code, unit_name, level, parent_code)"
        )
    return present, paths


def catalog_stems() -> set[str]:
    return {*CATALOG_TABLES, "dossiers"}


def fill_service_codes(con: duckdb.DuckDBPyConnection, staged: str) -> None:
    """Dossiers without an online service code take their procedure's, from the catalog.

    OpenCPS's serviceCode is the procedure; without this,
    ``online.services_with_dossiers`` would count no online service at all.
    """
    con.execute(
        f"UPDATE {staged} SET service_code = p.service_code FROM (SELECT procedure_code,"
        " unit_code, max(service_code) AS service_code FROM procedures GROUP BY ALL) p"
        f" WHERE {staged}.service_code IS NULL AND p.procedure_code = {staged}.procedure_code"
        f" AND p.unit_code = {staged}.unit_code"
    )
