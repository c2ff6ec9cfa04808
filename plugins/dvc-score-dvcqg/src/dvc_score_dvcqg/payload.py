"""Read DongBoHoSoMC sync files: a JSON array, an envelope object, or JSON lines.

A JSON document is parsed whole (``json.load``): sync exports are written as one
request body and parsing it at once is simplest and fast enough. JSON lines are
streamed one line at a time, so their size is bounded only by the disk; a bad
line is one rejected entry, not a failed file.

Each entry carries its position: the record's 1-based index in the file (for a
JSON lines file without blank lines and envelopes, its line number).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dvc_score.api import DataError

from dvc_score_dvcqg.fields import ENVELOPE_KEYS

LINE_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class Entry:
    row: int
    record: object
    error: str | None = None  # why the entry could not be parsed (JSON lines only)


def read_entries(path: Path) -> Iterator[Entry]:
    if path.suffix.lower() in LINE_SUFFIXES:
        yield from _lines(path)
        return
    try:
        with path.open(encoding="utf-8-sig") as handle:
            document = json.load(handle)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":  # several documents: a JSON lines file named .json
            yield from _lines(path)
            return
        # json's message names the position only, never the content (which may be personal).
        raise DataError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    for row, record in enumerate(_records(path, document), start=1):
        yield Entry(row, record)


def _records(path: Path, document: object) -> list[object]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        listed = _envelope_list(document)
        if listed is not None:
            return listed
        if "MaHoSo" in document:
            return [document]
    keys = ", ".join(ENVELOPE_KEYS)
    raise DataError(
        f"{path}: expected a list of dossier records, or an object with it under {keys}"
    )


def _envelope_list(document: dict[str, object]) -> list[object] | None:
    for key in ENVELOPE_KEYS:
        value = document.get(key)
        if isinstance(value, list):
            return value
    return None


def _lines(path: Path) -> Iterator[Entry]:
    row = 0
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    document = json.loads(line)
                except json.JSONDecodeError as error:
                    row += 1
                    yield Entry(row, None, f"not valid JSON ({error.msg})")
                    continue
                listed = _envelope_list(document) if isinstance(document, dict) else None
                for record in listed if listed is not None else [document]:
                    row += 1
                    yield Entry(row, record)
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
