"""How to move Python-built rows into DuckDB: NDJSON file vs CSV file vs executemany.

    python plugins/dvc-score-dvcqg/benchmarks/staging.py [rows]

Measured on 100,000 rows of 22 text columns (2 cores): NDJSON 1.2 s, CSV 0.85 s,
executemany 12.6 s for 10,000 rows (about 125 s for 100,000). The adapter uses
NDJSON (see dvc_score_dvcqg/staging.py for why not CSV).
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from dvc_score_dvcqg.adapter import DOSSIER_COLUMNS
from dvc_score_dvcqg.staging import stage


def rows(count: int) -> list[dict[str, str | None]]:
    return [{c: (None if c == "finished_at" else f"{c}-{i}") for c in DOSSIER_COLUMNS}
            for i in range(count)]  # fmt: skip


def ndjson(data: list[dict[str, str | None]]) -> float:
    con, start = duckdb.connect(), time.perf_counter()
    stage(con, "t", DOSSIER_COLUMNS, (("f", i, r) for i, r in enumerate(data, start=1)))
    return time.perf_counter() - start


def csv_file(data: list[dict[str, str | None]]) -> float:
    con, start = duckdb.connect(), time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(DOSSIER_COLUMNS)
            writer.writerows([[r[c] or "" for c in DOSSIER_COLUMNS] for r in data])
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', all_varchar = true)")
    return time.perf_counter() - start


def executemany(data: list[dict[str, str | None]]) -> float:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (" + ", ".join(f'"{c}" VARCHAR' for c in DOSSIER_COLUMNS) + ")")
    start = time.perf_counter()
    marks = ", ".join("?" for _ in DOSSIER_COLUMNS)
    con.executemany(f"INSERT INTO t VALUES ({marks})", [list(r.values()) for r in data])
    return time.perf_counter() - start


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    data = rows(count)
    print(f"NDJSON       {count:>7} rows: {ndjson(data):6.2f} s")
    print(f"CSV          {count:>7} rows: {csv_file(data):6.2f} s")
    small = data[: min(count, 10_000)]
    print(f"executemany  {len(small):>7} rows: {executemany(small):6.2f} s")
