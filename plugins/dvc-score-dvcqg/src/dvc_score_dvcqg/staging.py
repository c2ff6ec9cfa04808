"""Move Python-built rows into DuckDB.

Rows are written to a temporary newline-delimited JSON file that DuckDB reads in
one statement. Measured on 100,000 dossier rows (2 cores): NDJSON 1.2 s, a
temporary CSV 0.85 s, ``executemany`` about 125 s (12.6 s for 10,000). NDJSON is
kept over CSV because it needs no dialect sniffing, keeps null apart from empty
text and cannot be confused by a separator or newline inside a value.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb

Row = dict[str, str | None]


def stage(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: Sequence[str],
    rows: Iterable[tuple[str, int, Row]],
) -> int:
    """Create temp table ``name`` with VARCHAR ``columns`` plus ``__file`` and ``__row``.

    ``rows`` yields (file, row number, values). Returns the number of rows staged.
    """
    spec = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
    staged = 0
    with tempfile.TemporaryDirectory(prefix="dvc-score-") as folder:
        path = Path(folder) / "rows.ndjson"
        with path.open("w", encoding="utf-8") as handle:
            for file, row, values in rows:
                record = {column: values.get(column) for column in columns}
                record["__file"], record["__row"] = file, row  # type: ignore[assignment]
                handle.write(json.dumps(record, ensure_ascii=False))
                handle.write("\n")
                staged += 1
        quoted = str(path).replace("'", "''")
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM read_json('{quoted}',"
            f" format = 'newline_delimited', columns = {{{spec}, '__file': 'VARCHAR',"
            " '__row': 'BIGINT'})"
        )
    return staged
