"""Pre-aggregated counts: the counts CSV of ``dvc-score count``.

Columns ``unit_code,unit_name,level,parent_code,indicator,numerator,denominator``
(extra columns are ignored); one row per unit and indicator. An empty numerator
and denominator mean "no data". The national portal's evaluation figures come
in this shape, which is how the conformance tests feed them in.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import duckdb

from dvc_score.adapters.base import CountsInput, Dataset, ReadOptions, RejectLog
from dvc_score.errors import DataError
from dvc_score.fileio import shown
from dvc_score.model.counts import Count, Counts, UnitInfo, order_units

COUNTS_COLUMNS = (
    "unit_code",
    "unit_name",
    "level",
    "parent_code",
    "indicator",
    "numerator",
    "denominator",
)


def _count_value(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    number = float(text.replace(",", "")) if "." in text or "," in text else int(text)
    if number < 0 or number != int(number):
        raise ValueError("not a non-negative whole number")
    return int(number)


def read_counts_csv(path: Path, rejects: RejectLog, period_id: str = "") -> Counts:
    try:
        is_folder = path.is_dir()
    except OSError as error:  # a name too long for the file system, say
        raise DataError(f"{shown(path)}: not a usable path ({error.strerror})") from None
    if is_folder:
        raise DataError(
            f"{path}: the counts adapter reads one counts CSV file, not a folder "
            "(for a folder of tables use --adapter normalized)"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: cannot read as UTF-8 text ({error})") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COUNTS_COLUMNS if c not in (reader.fieldnames or [])]
    if not reader.fieldnames:
        raise DataError(f"{path}: the file is empty")
    if missing:
        raise DataError(
            f"{path}: missing column(s) {', '.join(missing)} (a counts CSV has {', '.join(COUNTS_COLUMNS)})"
        )
    units: dict[str, UnitInfo] = {}
    counts = Counts(period_id, [], {}, [])
    for row_number, row in enumerate(reader, start=2):
        _read_row(path, row_number, row, units, counts, rejects)
    counts.units = order_units(list(units.values()))
    return counts


def _read_row(
    path: Path,
    row_number: int,
    row: dict[str, str],
    units: dict[str, UnitInfo],
    counts: Counts,
    rejects: RejectLog,
) -> None:
    code, indicator = (row.get("unit_code") or "").strip(), (row.get("indicator") or "").strip()
    if not code or not indicator:
        column = "unit_code" if not code else "indicator"
        rejects.add("counts", str(path), row_number, column, "", f"{column} is empty")
        return
    values = []
    for column in ("numerator", "denominator"):
        try:
            values.append(_count_value(row.get(column) or ""))
        except ValueError as error:
            rejects.add("counts", str(path), row_number, column, row.get(column), str(error))
            return
    if (code, indicator) in counts.values:
        rejects.add(
            "counts",
            str(path),
            row_number,
            "unit_code/indicator",
            f"{code}/{indicator}",
            "duplicate row",
        )
        return
    units.setdefault(
        code,
        UnitInfo(
            code,
            (row.get("unit_name") or code).strip(),
            (row.get("level") or "").strip(),
            (row.get("parent_code") or "").strip() or None,
        ),
    )
    if indicator not in counts.indicators:
        counts.indicators.append(indicator)
    numerator, denominator = values
    counts.values[(code, indicator)] = Count(
        numerator if denominator is not None or numerator is not None else None, denominator
    )


def write_counts_csv(counts: Counts, path_or_stream: Path | object) -> None:
    """Write counts in the counts CSV format (``None`` as empty cells)."""
    rows = [
        [unit.unit_code, unit.unit_name, unit.level, unit.parent_code or "", indicator,
         "" if count.numerator is None else count.numerator,
         "" if count.denominator is None else count.denominator]
        for unit, indicator, count in counts.rows()
    ]  # fmt: skip
    if isinstance(path_or_stream, Path):
        with path_or_stream.open("w", encoding="utf-8", newline="") as handle:
            _write(handle, rows)
    else:
        _write(path_or_stream, rows)


def _write(handle: object, rows: Sequence[Sequence[object]]) -> None:
    writer = csv.writer(handle, lineterminator="\n")  # type: ignore[arg-type]
    writer.writerow(COUNTS_COLUMNS)
    writer.writerows(rows)


class CountsCsvAdapter:
    name = "counts"
    description = "Pre-aggregated counts CSV (unit_code,unit_name,level,parent_code,indicator,numerator,denominator)."
    produces: Literal["dataset", "counts"] = "counts"

    def detect(self, path: Path) -> bool:
        if not (path.is_file() and path.suffix.lower() == ".csv"):
            return False
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
        return all(column in header for column in ("indicator", "numerator", "denominator"))

    def read(
        self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions
    ) -> Dataset | CountsInput:
        return self.read_counts(path, con, options)

    def read_counts(
        self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions
    ) -> CountsInput:
        rejects = RejectLog(con)
        counts = read_counts_csv(path, rejects, options.settings.get("period", ""))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return CountsInput(counts, str(path), f"sha256:{digest}", rejects)
