"""How each model column is read from a source column: parser, checks, shortcut.

:func:`dvc_score.adapters.typed_load.load_table` builds its SQL from these: the
parser that turns a source cell into the model type (:func:`parser_for`), the
checks under which a cell makes its row unusable (:func:`problems`, worded by
:func:`expected`), and a cheap reading screening may prove exact for a whole
column (:func:`shortcut`). Nothing here runs a query.
"""

from __future__ import annotations

from dvc_score.adapters import sql_parsing as parse
from dvc_score.adapters.screening import Check
from dvc_score.adapters.sql_quote import ident, literal
from dvc_score.model.schema import (
    CHANNELS,
    DOSSIER_STATUSES,
    ONLINE_LEVELS,
    RATINGS,
    UNIT_LEVELS,
    Column,
)

_CHOICES: dict[str, tuple[str, ...]] = {
    "level": UNIT_LEVELS,
    "online_level": ONLINE_LEVELS,
    "rating": RATINGS,
    "channel": CHANNELS,
}
_STATUS_RANGE = (min(DOSSIER_STATUSES), max(DOSSIER_STATUSES))
_NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
)
_DATES = "a date (dd/MM/yyyy [HH:mm[:ss]], yyyyMMddHHmmss, ISO 8601 or an Excel serial number)"


def source_kind(source_type: str) -> str:
    """What a source column holds: text, number, boolean, timestamp, timestamptz, date, other."""
    base = source_type.upper().split("(")[0].removeprefix("U")
    if base == "VARCHAR":
        return "text"
    if base in _NUMERIC_TYPES:
        return "number"
    if base == "BOOLEAN":
        return "boolean"
    if base in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"):
        return "timestamptz"
    if base.startswith("TIMESTAMP"):
        return "timestamp"
    return "date" if base == "DATE" else "other"


def _as_text(ref: str, kind: str) -> str:
    # A whole number from a float column prints without ".0", so a yyyyMMddHHmmss
    # stamp or a code that went through a spreadsheet still parses.
    if kind != "number":
        return f"CAST({ref} AS VARCHAR)"
    return (
        f"CASE WHEN {ref} = floor({ref}) AND abs({ref}) < 1e18"
        f" THEN CAST(CAST({ref} AS HUGEINT) AS VARCHAR) ELSE CAST({ref} AS VARCHAR) END"
    )


def parser_for(column: Column, source_type: str, locale: str, layout: str | None = None) -> str:
    """SQL parsing the raw column into the model type (NULL when unparseable).

    Text is parsed by the column's rules and ``locale``; typed sources (Parquet,
    JSON, Excel numbers) are converted without guessing: a number is never
    read through a locale, a zoned timestamp is converted to UTC+7.
    """
    ref, kind = ident(column.name), source_kind(source_type)
    if column.name in _CHOICES:
        words = parse.parse_choice(
            _as_text(ref, kind), _CHOICES[column.name], parse.CHOICE_WORDS.get(column.name)
        )
        if kind != "text":
            return words
        # A value already in the model's words (the usual case) skips the word
        # lookup: lowercasing, NFC, accent stripping and two regexes per row.
        canonical = ", ".join(literal(v) for v in _CHOICES[column.name])
        return f"CASE WHEN {ref} IN ({canonical}) THEN {ref} ELSE {words} END"
    if column.type in ("TIMESTAMP", "DATE"):
        stamp = _timestamp(ref, kind, layout)
        return stamp if column.type == "TIMESTAMP" else f"CAST({stamp} AS DATE)"
    if column.type == "DOUBLE":
        if kind == "number":
            return f"CAST({ref} AS DOUBLE)"
        return parse.parse_number(_as_text(ref, kind), locale) if kind == "text" else "NULL"
    if column.type == "INTEGER":
        if kind == "number":  # no round trip through text: 9.0 is 9, 9.5 is not a whole number
            parsed = f"CASE WHEN {ref} = floor({ref}) THEN TRY_CAST({ref} AS INTEGER) END"
        else:
            parsed = parse.parse_integer(_as_text(ref, kind)) if kind == "text" else "NULL"
        return _status_range(parsed) if column.name == "status" else parsed
    if column.type == "BOOLEAN":
        return ref if kind == "boolean" else parse.parse_boolean(_as_text(ref, kind))
    return parse.parse_text(_as_text(ref, kind))


def _timestamp(ref: str, kind: str, layout: str | None = None) -> str:
    if kind in ("timestamp", "date"):
        return f"CAST({ref} AS TIMESTAMP)"
    if kind == "timestamptz":
        return parse.timestamp_from_zoned(ref)
    return parse.parse_timestamp(_as_text(ref, kind), layout if kind == "text" else None)


def _status_range(parsed: str) -> str:
    low, high = _STATUS_RANGE
    return f"CASE WHEN ({parsed}) BETWEEN {low} AND {high} THEN ({parsed}) END"


def expected(column: Column, locale: str) -> str:
    """What a cell of ``column`` must look like, for reject reasons."""
    if column.name in _CHOICES:
        return f"one of {', '.join(_CHOICES[column.name])} (or a Vietnamese word for one)"
    if column.name == "status":
        return f"a DVCQG status code {_STATUS_RANGE[0]}-{_STATUS_RANGE[1]}"
    if column.type in ("TIMESTAMP", "DATE"):
        return _DATES
    if column.type == "DOUBLE":
        group, decimal = (".", ",") if locale == "vi" else (",", ".")
        return f"a number ({locale} locale: '{group}' groups thousands, '{decimal}' marks decimals)"
    if column.type == "INTEGER":
        return "a whole number"
    if column.type == "BOOLEAN":
        return "yes or no (1/0, có/không, true/false, x)"
    return "text"


# Typed source cells that convert without loss: they can be missing, never unparseable.
_LOSSLESS = {
    ("timestamp", "TIMESTAMP"),
    ("date", "TIMESTAMP"),
    ("timestamp", "DATE"),
    ("date", "DATE"),
    ("boolean", "BOOLEAN"),
    ("number", "DOUBLE"),
}


def problems(
    column: Column, parsed: str, source: str, locale: str, kind: str = "text"
) -> list[Check]:
    """The checks under which this column makes its row unusable.

    ``kind`` is what the source column holds (:func:`source_kind`): a typed cell is
    empty only when NULL, so it is never turned into text to be checked.
    """
    typed = kind not in ("text", "other")
    missing = f"({source} IS NULL)" if typed else parse.blank(source)
    value = f"CAST({source} AS VARCHAR)"
    checks = []
    if column.required:
        checks.append(Check(missing, column.name, f"required {column.name} is empty", value))
    lossless = (kind, column.type) in _LOSSLESS and column.name not in _CHOICES
    if (column.type != "VARCHAR" or column.name in _CHOICES) and not lossless:
        reason = f"{column.name}: not {expected(column, locale)}"
        # CASE, not AND: DuckDB evaluates both sides of an AND for every row,
        # and the blank test is only needed where parsing failed (rarely).
        unparseable = (
            f"(CASE WHEN {source} IS NULL OR ({parsed}) IS NOT NULL THEN FALSE"
            f" ELSE NOT {missing} END)"
        )
        checks.append(Check(unparseable, column.name, reason, value))
    return checks


def shortcut(column: Column, source_type: str, parsed: str) -> tuple[str, str] | None:
    """(test, reading): a cheap reading of a text cell, and a test that it equals the parse.

    Screening runs the test on every distinct value (a few per column, see
    adapters/screening.py); where it holds throughout, the model view reads the
    column the cheap way. Clean codes are read as they are; numbers and yes/no
    words by a plain cast, which differs from the rules only on cells (a
    Vietnamese "1.234", "nan", "có") that then fail the test. Typed cells of
    the model's type need none: their parser is a plain cast already. None
    when there is no shortcut (text dates: millions of distinct values).
    """
    kind, ref = source_kind(source_type), ident(column.name)
    if kind != "text":
        return None
    if column.name in _CHOICES:
        canonical = ", ".join(literal(v) for v in _CHOICES[column.name])
        return f"({ref} IS NULL OR {ref} IN ({canonical}))", ref
    if column.type == "VARCHAR":
        return parse.unchanged_text(ref), ref
    if column.type in ("DOUBLE", "INTEGER", "BOOLEAN"):
        cast = f"TRY_CAST({ref} AS {column.type})"
        return f"(({parsed}) IS NOT DISTINCT FROM {cast})", cast
    return None
