"""Which CSV columns DuckDB's reader may type as it reads, judged from a sample.

Parsing text with the model's rules (adapters/sql_parsing.py) costs a regular
expression and a cast per cell: at ten million dossiers the five timestamp
columns alone took 8 s. DuckDB's CSV reader parses one fixed timestamp layout
and the plain yes/no words while it splits the line, for next to nothing, and
the typed table it writes is a third the size of the text.

That is only safe where the reader and the rules agree on every cell the reader
accepts; this module offers the reader a column only then:

- a **timestamp** (or date) column whose sampled cells all have one layout (ISO
  ``yyyy-MM-ddTHH:mm:ss``, with a space, with a fraction of a second, or a
  date alone; day-first ``dd/MM/yyyy HH:mm:ss``, with a fraction,
  ``dd/MM/yyyy HH:mm`` or a date alone): the reader is given that layout.
  It also accepts one-digit fields, white space at either end and a run of
  it before the time, which the rules accept too; a year of fewer than four
  digits it accepts and the rules do not, so :func:`years_out_of_range` is
  checked after reading;
- a **yes/no** column whose sampled cells are all words the reader knows
  (true/false, t/f, yes/no, y/n, 1/0 in any case), each meaning what it means
  to the rules.

Numbers are never offered: the reader takes ``1_000``, ``inf`` and ``0x10``,
and rounds ``9.5`` into an integer. A cell the reader refuses (a day-first date
further down the file, a "có") makes it reject the row as a ``CAST`` error;
the caller then reads that file again with the refused columns as text
(:meth:`NativeTypes.without`), so the rules decide every cell of those
columns as before, and the only cost is the second read.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import duckdb

from dvc_score.adapters.sql_quote import ident
from dvc_score.model.schema import TABLES

# What DuckDB's BOOLEAN reader accepts (case-insensitive); all are in the rules' word lists.
_BOOLEAN_WORDS = frozenset({"true", "false", "t", "f", "yes", "no", "y", "n", "1", "0"})
# The layouts offered to the reader (one per read), by the shape of the cells
# in the sample: ISO as databases write it, day-first as Vietnamese exports do.
_ISO_DATE, _DAY_FIRST_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}", r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}"
_SECONDS, _MINUTES = r"[0-9]{1,2}:[0-9]{2}:[0-9]{2}", r"[0-9]{1,2}:[0-9]{2}"
_FRACTION = r"\.[0-9]{1,6}"
_LAYOUTS = {
    "%Y-%m-%dT%H:%M:%S": re.compile(rf"{_ISO_DATE}T{_SECONDS}"),
    "%Y-%m-%d %H:%M:%S": re.compile(rf"{_ISO_DATE} {_SECONDS}"),
    "%Y-%m-%d %H:%M:%S.%f": re.compile(rf"{_ISO_DATE} {_SECONDS}{_FRACTION}"),
    "%Y-%m-%d": re.compile(_ISO_DATE),
    "%d/%m/%Y %H:%M:%S": re.compile(rf"{_DAY_FIRST_DATE} {_SECONDS}"),
    "%d/%m/%Y %H:%M:%S.%f": re.compile(rf"{_DAY_FIRST_DATE} {_SECONDS}{_FRACTION}"),
    "%d/%m/%Y %H:%M": re.compile(rf"{_DAY_FIRST_DATE} {_MINUTES}"),
    "%d/%m/%Y": re.compile(_DAY_FIRST_DATE),
}


@dataclass(frozen=True)
class NativeTypes:
    """The columns (model names) the reader types, and its timestamp layout.

    ``layouts`` has every timestamp column whose sampled cells share a layout,
    typed by the reader or not: a hint for the rules (sql_parsing's
    ``parse_timestamp(..., layout)``), which try that layout first.
    """

    types: dict[str, str]
    layouts: dict[str, str] = field(default_factory=dict)

    @property
    def timestamps(self) -> list[str]:
        return [name for name, kind in self.types.items() if kind == "TIMESTAMP"]

    @property
    def timestamp_format(self) -> str | None:
        """The one layout the reader is given: that of the timestamp columns it types."""
        return next((self.layouts[name] for name in self.timestamps), None)

    def without(self, columns: set[str]) -> NativeTypes:
        """The same offer but for ``columns``, which are read as text (their layout hints stay)."""
        return NativeTypes({n: k for n, k in self.types.items() if n not in columns}, self.layouts)


NONE = NativeTypes({})


def choose(
    sample: bytes, delimiter: str, targets: list[str], table: str, *, complete: bool
) -> NativeTypes:
    """The columns of ``table`` the reader may type, from the file's first bytes.

    ``targets`` are the model names of the file's columns in order; ``complete``
    says the sample is the whole file (else its last line may be cut short and
    is not looked at). Without a data row in the sample nothing is offered.
    """
    model = TABLES.get(table)
    if model is None:
        return NONE
    text = io.StringIO(sample.decode("utf-8-sig", errors="replace"))
    try:
        rows = list(csv.reader(text, delimiter=delimiter))
    except csv.Error:  # a NUL byte, a huge field: the reader will say what is wrong
        return NONE
    rows = rows[1:] if complete else rows[1:-1]
    rows = [r for r in rows if len(r) == len(targets)]
    if not rows:
        return NONE
    kinds = {c.name: c.type for c in model.columns}
    booleans: dict[str, str] = {}
    stamps: dict[str, str] = {}  # column -> the layout all its cells have
    for index, name in enumerate(targets):
        cells = [row[index] for row in rows if row[index] != ""]
        if not cells:
            continue
        if kinds.get(name) == "BOOLEAN" and all(c.lower() in _BOOLEAN_WORDS for c in cells):
            booleans[name] = "BOOLEAN"
        elif kinds.get(name) in ("TIMESTAMP", "DATE"):  # a date is read as its midnight
            for layout, shape in _LAYOUTS.items():
                if all(shape.fullmatch(c) for c in cells):
                    stamps[name] = layout
                    break
    # One layout per read: the one most timestamp columns use (on a tie, the first column's).
    used = list(stamps.values())
    common = max(dict.fromkeys(used), key=used.count, default=None)
    chosen = {n: "TIMESTAMP" for n, s in stamps.items() if s == common}
    return NativeTypes({**booleans, **chosen}, stamps)


def years_out_of_range(
    con: duckdb.DuckDBPyConnection, relation: str, columns: list[str]
) -> set[str]:
    """The typed timestamp ``columns`` holding a year of fewer (or more) than four digits.

    The reader takes "26-01-05T08:00:00" as the year 26, which the rules
    reject; such a column is read again as text.
    """
    if not columns:
        return set()
    bounds = ", ".join(f"min({ident(c)}), max({ident(c)})" for c in columns)
    row = con.execute(f"SELECT {bounds} FROM {relation}").fetchone() or ()
    return {
        column
        for column, low, high in zip(columns, row[::2], row[1::2], strict=True)
        if any(v is not None and not 1000 <= v.year <= 9999 for v in (low, high))
    }
