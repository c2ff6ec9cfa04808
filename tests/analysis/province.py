"""A small deterministic province for analysis and report tests.

Twelve units (province, three departments, two districts with three communes
each), a six-procedure catalog and a few hundred dossiers whose outcomes follow
simple modular patterns, so every indicator and every statistic has something
to count. Written as Parquet files, it goes through the real ``--data`` path.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from dvc_score.adapters.typed_load import create_empty
from dvc_score.model.schema import TABLES

UNITS: list[dict[str, Any]] = [
    {"unit_code": "P", "unit_name": "UBND tỉnh Thử", "level": "province", "parent_code": None},
    {"unit_code": "P.S1", "unit_name": "Sở Tư pháp", "level": "department", "parent_code": "P"},
    {"unit_code": "P.S2", "unit_name": "Sở Y tế", "level": "department", "parent_code": "P"},
    {"unit_code": "P.S3", "unit_name": "Công an tỉnh", "level": "department", "parent_code": "P"},
    {"unit_code": "P.D1", "unit_name": "UBND huyện Một", "level": "district", "parent_code": "P"},
    {"unit_code": "P.D2", "unit_name": "UBND huyện Hai", "level": "district", "parent_code": "P"},
]
for _district in ("P.D1", "P.D2"):
    for _n in (1, 2, 3):
        UNITS.append(
            {
                "unit_code": f"{_district}.X{_n}",
                "unit_name": f"UBND xã {_district[-1]}-{_n}",
                "level": "commune",
                "parent_code": _district,
                "e_certified_copy": _n != 2,
            }
        )

PROCEDURES = [f"1.00000{n}" for n in range(1, 7)]
NAMES = {code: f"Thủ tục số {code[-1]}" for code in PROCEDURES}


def _catalog() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for k, unit in enumerate(UNITS):
        for n, code in enumerate(PROCEDURES):
            rows.append(
                {
                    "procedure_code": code,
                    "unit_code": unit["unit_code"],
                    "procedure_name": NAMES[code],
                    "online_level": ("full", "partial", "none")[(n + k) % 3],
                    "service_code": f"DVC-{code}",
                    "has_fee": n % 2 == 0,
                    "payment_integrated": (n + k) % 4 != 0,
                    "paper_result": True,
                    "for_citizens": True,
                    "max_duration_days": 10,
                    "decision_date": "2026-02-02",
                    "legal_effective_date": "2026-02-16" if n % 3 else "2026-02-04",
                    "published_date": "2026-02-05",
                    "content_complete": n != 5,
                }
            )
    return rows


def _dossier(k: int, i: int, unit_code: str) -> dict[str, Any]:
    received = datetime(2025, 12, 20, 9) + timedelta(days=(i * 37 + k * 11) % 290, hours=i % 5)
    due = received + timedelta(days=10, hours=8)
    took = timedelta(days=(i * 7 + k) % 14, hours=2)
    in_progress = i % 11 == 0
    code = PROCEDURES[(i + k) % len(PROCEDURES)]
    return {
        "dossier_id": f"{unit_code}-{i:04d}",
        "unit_code": unit_code,
        "procedure_code": code,
        "service_code": f"DVC-{code}",
        "channel": ("online", "direct", "online", "postal", "direct", None)[(i + k) % 6],
        "received_at": received,
        "due_at": due,
        "finished_at": None if in_progress else received + took,
        "returned_at": None if in_progress else received + took + timedelta(hours=3),
        "status": 4 if in_progress else (10 if i % 23 else 3),
        "synced": i % 9 != 0,
        "fee_due": 50000 if PROCEDURES.index(code) % 2 == 0 else 0,
        "paid_online": i % 3 == 0,
        "e_result": i % 4 != 0,
        "digitized": i % 5 != 0,
        "reused_data": i % 6 == 0,
        "personal_store": i % 7 == 0,
        "citizen_data": i % 2 == 0,
        "rating": "unsatisfied" if i % 19 == 0 else "satisfied",
        "complaint": False,
        "postal_return": i % 8 == 0,
    }


def dossiers() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for k, unit in enumerate(UNITS):
        if unit["level"] == "province":
            continue
        rows.extend(_dossier(k, i, unit["unit_code"]) for i in range(30 + 9 * k))
    return rows


def petitions() -> list[dict[str, Any]]:
    base = datetime(2026, 2, 3, 8)
    return [
        {
            "petition_id": f"PAKN-{i}",
            "unit_code": UNITS[1 + i % 5]["unit_code"],
            "received_at": base + timedelta(days=9 * i),
            "due_at": base + timedelta(days=9 * i + 10),
            "resolved_at": base + timedelta(days=9 * i + (4 if i % 3 else 14)),
            "rating": "unsatisfied" if i % 4 == 0 else None,
        }
        for i in range(8)
    ]


def build(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Create the four normalized tables in ``con``."""
    data = {
        "units": UNITS,
        "procedures": _catalog(),
        "dossiers": dossiers(),
        "petitions": petitions(),
    }
    for name, table in TABLES.items():
        create_empty(con, table)
        columns = table.column_names
        row_marks = "(" + ", ".join("?" for _ in columns) + ")"
        rows = data[name]
        # One multi-row INSERT per chunk: executemany costs a round trip per row.
        for start in range(0, len(rows), 100):
            chunk = rows[start : start + 100]
            values = [row.get(column) for row in chunk for column in columns]
            marks = ", ".join(row_marks for _ in chunk)
            con.execute(f"INSERT INTO {name} VALUES {marks}", values)
    return con


@cache
def folder() -> Path:
    """The province written once per test process (read-only for tests)."""
    return write(Path(tempfile.mkdtemp(prefix="dvc-province-")))


@cache
def counts_file() -> Path:
    """The province's 2026-Q1 counts CSV, as ``dvc-score count`` writes it (once per process)."""
    from dvc_score.testing import run_cli

    target = folder().parent / f"{folder().name}-counts.csv"
    result = run_cli(["count", "--data", str(folder()), "-p", "2026-Q1", "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def write(folder: Path) -> Path:
    """Write the province as one Parquet file per table; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    con = build(duckdb.connect())
    for name in TABLES:
        con.execute(f"COPY {name} TO '{folder / name}.parquet' (FORMAT PARQUET)")
    return folder
