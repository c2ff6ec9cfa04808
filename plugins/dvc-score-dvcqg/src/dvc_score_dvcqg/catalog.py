"""The tables the sync payload does not carry, read from normalized files beside it.

The payload describes dossiers only. Units (required), the procedure catalog
and petitions come from ``units.csv``, ``procedures.csv`` and ``petitions.csv``
(or .parquet / .json parts, exactly as the ``normalized`` adapter reads them),
loaded with dvc-score's own loader so their rows are checked and rejected the
same way.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from dvc_score.api import TABLES, DataError, RejectLog, load_table, raw_relation, table_files

from dvc_score_dvcqg.records import UnitIndex, name_key

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
            f"{folder}: no units.csv beside the sync files; the payload names dossiers only, so the"
            " units (unit_code, unit_name, level, parent_code) must come from a normalized file"
        )
    return present, paths


def catalog_stems() -> set[str]:
    """File stems that belong to the normalized tables, never to the payload."""
    return {*CATALOG_TABLES, "dossiers"}


def unit_index(con: duckdb.DuckDBPyConnection) -> UnitIndex:
    rows = con.execute("SELECT unit_code, unit_name FROM units").fetchall()
    codes = frozenset(str(code) for code, _ in rows if code is not None)
    by_name: dict[str, set[str]] = {}
    for code, name in rows:
        if code is not None and name:
            by_name.setdefault(name_key(str(name)), set()).add(str(code))
    # A name shared by two units cannot identify either: leave it out.
    names = {key: next(iter(found)) for key, found in by_name.items() if len(found) == 1}
    return UnitIndex(codes, names)


def fill_service_codes(con: duckdb.DuckDBPyConnection, raw: str) -> None:
    """Dossiers without a service code take their procedure's online service code.

    The payload names the procedure (MaTTHC), not the online service; without
    this, ``online.services_with_dossiers`` would count no service at all.
    """
    con.execute(
        f"UPDATE {raw} SET service_code = p.service_code FROM (SELECT procedure_code, unit_code,"
        " max(service_code) AS service_code FROM procedures GROUP BY ALL) p"
        f" WHERE {raw}.service_code IS NULL AND p.procedure_code = {raw}.procedure_code"
        f" AND p.unit_code = {raw}.unit_code"
    )
