"""Deployment configuration: OpenCPS status -> DVCQG status, service code -> procedure code.

Every OpenCPS deployment configures its own workflow, so which local status
means which DVCQG status (TrangThaiHoSo 1-10) is configuration, never code.
The package ships ``status_map.csv`` with the statuses of OpenCPS's own
``DossierStatusConstants``; ``--option status-map=FILE`` replaces it. A row may
name a ``substatus`` (dossierSubStatus): it then wins over the row without one,
as OpenCPS's own DVCQG sync resolves a sub-status mapping first.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import duckdb
from dvc_score.api import DataError

STATUS_TABLE = "__opencps_status_map"
SERVICE_TABLE = "__opencps_service_map"
DVCQG_STATUSES = range(1, 11)


def default_status_map() -> Path:
    return Path(str(files("dvc_score_opencps") / "status_map.csv"))


@dataclass(frozen=True)
class StatusMap:
    source: str  # how reject reasons name the file
    rows: tuple[tuple[str, str, int], ...]  # (status, substatus or "", DVCQG code)


def read_status_map(path: Path | None) -> StatusMap:
    chosen = path or default_status_map()
    rows: dict[tuple[str, str], int] = {}
    for line, row in _rows(chosen, ("status", "dvcqg_status")):
        key = (_key(row["status"]), _key(row.get("substatus")))
        if not key[0]:
            continue
        code = _status_code(row["dvcqg_status"])
        if code is None:
            shown = row["dvcqg_status"]
            raise DataError(f"{chosen}:{line}: dvcqg_status {shown!r} is not a DVCQG status (1-10)")
        if key in rows:
            raise DataError(
                f"{chosen}:{line}: status {'/'.join(filter(None, key))} is mapped twice"
            )
        rows[key] = code
    source = "the default status map (status_map.csv)" if path is None else str(path)
    return StatusMap(source, tuple((s, sub, code) for (s, sub), code in rows.items()))


def read_service_map(path: Path) -> dict[str, str]:
    mapped: dict[str, str] = {}
    for line, row in _rows(path, ("service_code", "procedure_code")):
        service, procedure = (
            (row["service_code"] or "").strip(),
            (row["procedure_code"] or "").strip(),
        )
        if not service or not procedure:
            continue
        if service in mapped and mapped[service] != procedure:
            raise DataError(f"{path}:{line}: service_code {service} is mapped twice")
        mapped[service] = procedure
    return mapped


def install(
    con: duckdb.DuckDBPyConnection, status_map: StatusMap, service_map: dict[str, str]
) -> None:
    """The two maps as temp tables the staging query joins."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {STATUS_TABLE}"
        " (status VARCHAR, substatus VARCHAR, code INTEGER)"
    )
    if status_map.rows:
        con.executemany(f"INSERT INTO {STATUS_TABLE} VALUES (?, ?, ?)", list(status_map.rows))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {SERVICE_TABLE}"
        " (service_code VARCHAR, procedure_code VARCHAR)"
    )
    if service_map:
        con.executemany(f"INSERT INTO {SERVICE_TABLE} VALUES (?, ?)", list(service_map.items()))


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = {name.strip().lower() for name in reader.fieldnames or ()}
            missing = [name for name in required if name not in header]
            if missing:
                raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
            return [
                (number, {k.strip().lower(): v for k, v in row.items() if k is not None})
                for number, row in enumerate(reader, start=2)
            ]
    except OSError as error:
        raise DataError(f"{path}: cannot read ({error.strerror})") from None


def _key(value: str | None) -> str:
    return (value or "").strip().lower()


def _status_code(text: str | None) -> int | None:
    stripped = (text or "").strip()
    if not stripped.isdigit():
        return None
    code = int(stripped)
    return code if code in DVCQG_STATUSES else None
