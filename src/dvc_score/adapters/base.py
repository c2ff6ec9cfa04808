"""What an adapter is and what it returns.

An adapter reads one kind of source and returns either a :class:`Dataset` (the
normalized tables, in DuckDB) or :class:`CountsInput` (pre-aggregated counts).
Rows it cannot use are recorded in the dataset's :class:`RejectLog`, never
dropped silently.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import duckdb

from dvc_score.fileio import open_atomically
from dvc_score.model.counts import Counts

REJECTS_TABLE = "dvc_rejects"
REJECT_COLUMNS = ("table_name", "file", "row", "column", "value", "reason")


class RejectLog:
    """Rows an adapter could not use, kept in a DuckDB table of the session.

    Kept in DuckDB rather than Python so that a badly broken multi-million-row
    file costs no Python memory; the CLI writes the table to a reject file.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        con.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {REJECTS_TABLE} (table_name VARCHAR, file VARCHAR,"
            ' row BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR)'
        )
        self.rows_read: dict[str, int] = {}
        self.rows_accepted: dict[str, int] = {}
        # Set by typed_load.reject_unknown_units, so the pipeline's safety net
        # does not scan every table a second time after an adapter ran it.
        self.units_checked = False

    def add(self, table: str, file: str, row: int, column: str, value: object, reason: str) -> None:
        self.con.execute(
            f"INSERT INTO {REJECTS_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
            [table, file, row, column, None if value is None else str(value)[:200], reason],
        )

    def __len__(self) -> int:
        row = self.con.execute(f"SELECT count(*) FROM {REJECTS_TABLE}").fetchone()
        return int(row[0]) if row else 0

    def by_reason(self) -> list[tuple[str, str, int]]:
        """(table, reason, rows) for every reason, most frequent first."""
        rows = self.con.execute(
            f"SELECT table_name, reason, count(*) FROM {REJECTS_TABLE} GROUP BY ALL ORDER BY 3 DESC, 1, 2"
        ).fetchall()
        return [(str(t), str(r), int(n)) for t, r, n in rows]

    def write_csv(self, path: Path) -> None:
        """Write every reject as CSV, streamed (written by Python, not DuckDB's COPY,
        because the session may no longer touch the file system)."""
        cursor = self.con.execute(f"SELECT * FROM {REJECTS_TABLE} ORDER BY table_name, file, row")
        with open_atomically(path) as handle:
            writer = csv.writer(handle)
            writer.writerow(REJECT_COLUMNS)
            while batch := cursor.fetchmany(10_000):
                writer.writerows(batch)


@dataclass(frozen=True)
class ReadOptions:
    """What the CLI passes to every adapter."""

    locale: Literal["vi", "en"] | None = None
    """Number format of text columns; None lets the adapter choose its source's usual one."""
    settings: dict[str, str] = field(default_factory=dict)
    """Adapter-specific ``--option key=value`` settings (e.g. a status mapping file)."""


@dataclass
class Dataset:
    """The normalized tables ``units``, ``procedures``, ``dossiers``, ``petitions``."""

    con: duckdb.DuckDBPyConnection
    source: str
    fingerprint: str
    rejects: RejectLog


@dataclass
class CountsInput:
    """Counts read directly from a source (no dossiers to count)."""

    counts: Counts
    source: str
    fingerprint: str
    rejects: RejectLog


@runtime_checkable
class Adapter(Protocol):
    """A data source reader, registered through ``dvc_score_register_adapters``."""

    name: str
    description: str
    produces: Literal["dataset", "counts"]

    def detect(self, path: Path) -> bool:
        """Whether ``path`` looks like this adapter's input (cheap: names, headers)."""
        ...

    def read(
        self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions
    ) -> Dataset | CountsInput:
        """Read ``path`` into ``con`` (or into counts). Raise DataError for a whole-file problem."""
        ...
