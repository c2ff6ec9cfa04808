"""Turn the entries of the sync files into staged rows, rejecting the unusable ones.

Rows stream from the files into the staging file one at a time; only each
dossier's latest position is kept in memory. Problems found here (not JSON,
unknown status, unknown unit, malformed nested lists) go straight to the reject
log with the source field's name, and those rows are not staged, so the shared
loader never sees them. A dossier synced more than once (the portal's
``isUpdating``) keeps its latest record by default; the earlier ones are listed
in the reject log as superseded, never dropped silently.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import duckdb
from dvc_score.api import RejectLog

from dvc_score_dvcqg.payload import read_entries
from dvc_score_dvcqg.records import RecordProblem, RecordSettings, Row, build_row
from dvc_score_dvcqg.staging import stage

TABLE = "dossiers"
SUPERSEDED = (
    "superseded by a later sync of the same MaHoSo (--option duplicates=first keeps the first)"
)


class Collector:
    def __init__(self, settings: RecordSettings, rejects: RejectLog, keep_last: bool) -> None:
        self.settings, self.rejects, self.keep_last = settings, rejects, keep_last
        self.rejected = 0  # rows rejected here (never staged, or removed after staging)
        self._latest: dict[str, tuple[str, int]] = {}
        self._superseded: list[tuple[str, int, str]] = []

    def rows(self, files: list[Path]) -> Iterator[tuple[str, int, Row]]:
        """(file, row, values) of every usable record, in file order."""
        for path in files:
            file = str(path)
            for entry in read_entries(path):
                if entry.error is not None:
                    self._reject(file, entry.row, "(record)", None, entry.error)
                    continue
                try:
                    row = build_row(entry.record, self.settings)
                except RecordProblem as problem:
                    self._reject(file, entry.row, problem.column, problem.value, problem.reason)
                    continue
                if self.keep_last:
                    self._remember(row, file, entry.row)
                yield file, entry.row, row

    def drop_superseded(self, con: duckdb.DuckDBPyConnection, staged: str) -> None:
        """Reject and remove every staged record a later record of its dossier replaced."""
        if not self._superseded:
            return
        for file, row, key in self._superseded:
            # A fixed reason (find the later record by its MaHoSo): the summary groups them.
            self._reject(file, row, "MaHoSo", key, SUPERSEDED)
        positions = ((file, row, _key_row(key)) for file, row, key in self._superseded)
        stage(con, f"{staged}_superseded", ("dossier_id",), positions)
        con.execute(
            f"DELETE FROM {staged} WHERE EXISTS (SELECT 1 FROM {staged}_superseded s"
            f" WHERE s.__file = {staged}.__file AND s.__row = {staged}.__row)"
        )

    def _remember(self, row: Row, file: str, number: int) -> None:
        key = unicodedata.normalize("NFC", row.get("dossier_id") or "").strip()
        if not key:
            return  # the shared loader rejects a missing MaHoSo
        earlier = self._latest.get(key)
        self._latest[key] = (file, number)
        if earlier is not None:
            self._superseded.append((*earlier, key))

    def _reject(self, file: str, row: int, column: str, value: str | None, reason: str) -> None:
        self.rejects.add(TABLE, file, row, column, value, reason)
        self.rejected += 1


def _key_row(key: str) -> Row:
    return {"dossier_id": key}
