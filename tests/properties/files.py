"""Write generated datasets as the normalized adapter's folders (one file or parts)."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dvc_score.model.schema import TABLES

from .datasets import build


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_folder(
    tables: Mapping[str, Sequence[Mapping[str, Any]]], folder: Path, fmt: str, parts: int
) -> Path:
    """``<table>.<fmt>`` (parts=1) or ``<table>/part-k.<fmt>`` (parts>1), rows in order."""
    folder.mkdir(parents=True, exist_ok=True)
    con = build(tables) if fmt == "parquet" else None
    for name, table in TABLES.items():
        rows = list(tables.get(name, []))
        if name in ("procedures", "petitions") and not rows:
            continue
        chunks = [rows[k * len(rows) // parts : (k + 1) * len(rows) // parts] for k in range(parts)]
        for k, chunk in enumerate(chunks):
            target = folder / f"{name}.{fmt}" if parts == 1 else folder / name / f"part-{k}.{fmt}"
            target.parent.mkdir(exist_ok=True)
            if con is not None:
                start = k * len(rows) // parts
                con.execute(
                    f"COPY (SELECT * EXCLUDE (n) FROM (SELECT *, row_number() OVER () AS n"
                    f" FROM {name}) WHERE n > {start} AND n <= {start + len(chunk)})"
                    f" TO '{target}' (FORMAT parquet)"
                )
                continue
            with target.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(table.column_names)
                writer.writerows([cell(row.get(c)) for c in table.column_names] for row in chunk)
    return folder


def tiny_tables() -> dict[str, list[dict[str, Any]]]:
    """A hand-written province small enough to read and count in a second."""
    units: list[dict[str, Any]] = [
        {"unit_code": "P", "unit_name": "Tỉnh Thử", "level": "province", "parent_code": None},
        {"unit_code": "P.D", "unit_name": "Huyện", "level": "district", "parent_code": "P"},
        {"unit_code": "P.D.A", "unit_name": "Xã A", "level": "commune", "parent_code": "P.D"},
        {"unit_code": "P.S", "unit_name": "Sở", "level": "department", "parent_code": "P"},
    ]
    procedures = [
        {"procedure_code": "1.000001", "unit_code": "P.D.A", "online_level": "full",
         "service_code": "S1", "has_fee": True, "max_duration_days": 5.0},
        {"procedure_code": "1.000002", "unit_code": "P.S", "online_level": "none",
         "has_fee": False, "max_duration_days": 3.0},
    ]  # fmt: skip
    dossiers = [
        {"dossier_id": f"D{k}", "unit_code": unit, "procedure_code": code, "channel": channel,
         "received_at": datetime(2026, 8, 3 + k, 9), "due_at": datetime(2026, 8, 12, 17),
         "finished_at": datetime(2026, 8, 5 + 2 * k, 10) if k % 3 else None,
         "status": 9 if k % 3 else 4, "synced": True, "fee_due": 20000.0 if k % 2 else 0.0,
         "paid_online": k % 2 == 1}
        for k, (unit, code, channel) in enumerate([
            ("P.D.A", "1.000001", "online"), ("P.D.A", "1.000001", "direct"),
            ("P.S", "1.000002", "online"), ("P.S", "1.000002", "postal"),
            ("P.D", "1.000001", "direct"), ("P.D.A", "1.000001", "online"),
        ])
    ]  # fmt: skip
    petitions = [
        {"petition_id": "K1", "unit_code": "P.S", "received_at": datetime(2026, 8, 4, 8),
         "due_at": datetime(2026, 8, 14, 8), "resolved_at": datetime(2026, 8, 10, 8)},
    ]  # fmt: skip
    return {"units": units, "procedures": procedures, "dossiers": dossiers, "petitions": petitions}
