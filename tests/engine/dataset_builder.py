"""Tiny hand-written datasets for engine tests, built straight into DuckDB."""

from __future__ import annotations

from typing import Any

import duckdb

from tests.properties.datasets import fill

PROVINCE = {"unit_code": "P", "unit_name": "Tỉnh Thử", "level": "province", "parent_code": None}
DISTRICT = {
    "unit_code": "P.D",
    "unit_name": "UBND huyện Thử",
    "level": "district",
    "parent_code": "P",
}
COMMUNE_A = {
    "unit_code": "P.D.A",
    "unit_name": "UBND xã A",
    "level": "commune",
    "parent_code": "P.D",
}
COMMUNE_B = {
    "unit_code": "P.D.B",
    "unit_name": "UBND xã B",
    "level": "commune",
    "parent_code": "P.D",
}
DEPARTMENT = {
    "unit_code": "P.S",
    "unit_name": "Sở Tư pháp",
    "level": "department",
    "parent_code": "P",
}
UNITS = [PROVINCE, DISTRICT, COMMUNE_A, COMMUNE_B, DEPARTMENT]


def build(
    con: duckdb.DuckDBPyConnection, **tables: list[dict[str, Any]]
) -> duckdb.DuckDBPyConnection:
    """Create all four tables; rows give only the columns they care about."""
    tables.setdefault("units", UNITS)
    return fill(con, tables)


def dossier(dossier_id: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "dossier_id": dossier_id,
        "unit_code": "P.D.A",
        "procedure_code": "1.000001",
        "channel": "direct",
        "received_at": "2026-08-03 09:00:00",
        "status": 9,
        "synced": True,
    }
    base.update(fields)
    return base
