"""Vectorized value parsers: SQL that turns text cells into model types.

Text from CSV, Excel and JSON sources is parsed inside DuckDB (millions of rows
would be slow one value at a time in Python). Each parser maps a VARCHAR
expression to a typed one that is NULL when the text cannot be parsed; the
loader compares with the input to find the cells to reject.

Accepted forms follow Vietnamese data realities (docs/domain.md §4) and agree
with the Python parsers in :mod:`dvc_score.adapters.parsing`: day-first dates
``dd/MM/yyyy[ HH:mm[:ss]]`` (padded or not), ``yyyyMMddHHmmss``, ISO 8601 (a
``Z`` or ``+hh:mm`` offset is converted to Vietnam time, UTC+7), Excel serial
numbers, epoch milliseconds; ``.``-grouped numbers with a ``,`` decimal mark
under the ``vi`` locale; yes/no words, channel, level, online-level and rating
words in Vietnamese (with or without diacritics); status and channel codes as
text or numbers.

Offsets are converted with epoch arithmetic rather than ``AT TIME ZONE``:
Vietnam has kept UTC+7 without daylight saving since 1975, and arithmetic does
not depend on DuckDB's ICU extension or on the session's ``TimeZone`` (which
DuckDB takes from the machine).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from dvc_score.adapters.parsing import strip_diacritics
from dvc_score.adapters.sql_quote import literal

VN_OFFSET_MINUTES = 7 * 60

# Day-first dates with an optional time, as dd/MM/yyyy, d-M-yyyy or dd.MM.yyyy
# (group 1 day, 2 month, 3 year, 4 time); and the time-first order some portals
# display ("08:30 15/03/2026": group 1 time, 2 day, 3 month, 4 year). Both are
# rewritten as ISO and cast: one cheap cast instead of trying strptime formats
# one after another, which costs microseconds per failed format and row.
_TIME = r"[0-9]{1,2}:[0-9]{1,2}(?::[0-9]{1,2}(?:\.[0-9]+)?)?"
_DAY_FIRST = rf"([0-9]{{1,2}})[/.-]([0-9]{{1,2}})[/.-]([0-9]{{4}})(?:[ Tt]+({_TIME}))?"
_TIME_FIRST = rf"({_TIME}) +([0-9]{{1,2}})[/.-]([0-9]{{1,2}})[/.-]([0-9]{{4}})"
_SLASHED = r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}( [0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?)?"
_SLASHED_FORMATS = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")  # by number of colons
# DVCQG's digits-only stamps, by length.
COMPACT_FORMATS = {14: "%Y%m%d%H%M%S", 12: "%Y%m%d%H%M", 8: "%Y%m%d"}

# Year-first text without a zone: the only shapes handed to DuckDB's own cast,
# which would otherwise accept "... UTC" or "+05:00" and drop the zone.
_ISO_LOCAL = (
    r"[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\.[0-9]+)?)?)?"
)
# ASCII white space (C's isspace), which DuckDB's timestamp reader skips at
# either end, and takes any run of for the space between date and time.
_PADDING = r"[\t\n\v\f\r ]*"
_ISO_SEPARATOR = r"[Tt]|[\t\n\v\f\r ]+"
_DAY_FIRST_LOOSE = rf"([0-9]{{1,2}})/([0-9]{{1,2}})/([0-9]{{4}})(?:[\t\n\v\f\r ]+({_TIME}))?"
_ISO_LOOSE = (
    rf"[0-9]{{4}}[-/][0-9]{{1,2}}[-/][0-9]{{1,2}}(({_ISO_SEPARATOR})"
    r"[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\.[0-9]+)?)?)?"
)
_PADDING_CHARS = "chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || ' '"
# ISO with a zone: Z, UTC, GMT or an offset (+07:00, +0700, +07).
_ISO_ZONED = (
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[Tt ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}([.,][0-9]+)?)?"
    r"\s*([Zz]|UTC|GMT|utc|gmt|[+-][0-9]{2}(:?[0-9]{2})?)"
)
# Excel's 1900 date system counts days from 1899-12-30. Serials outside
# 1950-2100 are more likely codes or counts than dates (as in parsing.py).
_EXCEL_MIN_SERIAL, _EXCEL_MAX_SERIAL = 18264, 73051

_TRUE = (
    "1", "1.0", "1,0", "true", "t", "yes", "y", "x", "✓", "✔", "có", "co", "c", "đ", "đã", "da",
    "đúng", "dung", "đạt", "dat", "rồi", "roi",
)  # fmt: skip
_FALSE = (
    "0", "0.0", "0,0", "false", "f", "no", "n", "không", "khong", "k", "ko", "s", "sai", "chưa",
    "chua", "không đạt", "khong dat",
)  # fmt: skip

# Words for the choice columns, written as users write them; they are matched
# after lowercasing, NFC and removing diacritics, so "Toàn trình", "toan trinh"
# and "TOÀN TRÌNH" are one key.
CHANNEL_WORDS: dict[str, str] = {
    "1": "direct",
    "2": "online",
    "3": "postal",
    "direct": "direct",
    "trực tiếp": "direct",
    "nộp trực tiếp": "direct",
    "tại quầy": "direct",
    "offline": "direct",
    "online": "online",
    "trực tuyến": "online",
    "nộp trực tuyến": "online",
    "qua mạng": "online",
    "dịch vụ công trực tuyến": "online",
    "dvctt": "online",
    "postal": "postal",
    "post": "postal",
    "bưu chính": "postal",
    "qua bưu chính": "postal",
    "nộp qua bưu chính": "postal",
    "bưu chính công ích": "postal",
    "bcci": "postal",
    "bưu điện": "postal",
}
LEVEL_WORDS: dict[str, str] = {
    "tỉnh": "province",
    "cấp tỉnh": "province",
    "ubnd tỉnh": "province",
    "sở": "department",
    "cấp sở": "department",
    "sở, ban, ngành": "department",
    "sở ban ngành": "department",
    "ban, ngành": "department",
    "ban ngành": "department",
    "ngành": "department",
    "huyện": "district",
    "cấp huyện": "district",
    "quận": "district",
    "thị xã": "district",
    "quận, huyện": "district",
    "xã": "commune",
    "cấp xã": "commune",
    "phường": "commune",
    "thị trấn": "commune",
    "xã, phường, thị trấn": "commune",
}
ONLINE_LEVEL_WORDS: dict[str, str] = {
    "toàn trình": "full",
    "dvc toàn trình": "full",
    "trực tuyến toàn trình": "full",
    "dịch vụ công trực tuyến toàn trình": "full",
    "mức độ 4": "full",
    "mức 4": "full",
    "4": "full",
    "một phần": "partial",
    "dvc một phần": "partial",
    "trực tuyến một phần": "partial",
    "dịch vụ công trực tuyến một phần": "partial",
    "mức độ 3": "partial",
    "mức 3": "partial",
    "3": "partial",
    "không": "none",
    "chưa cung cấp": "none",
    "cung cấp thông tin": "none",
    "mức độ 2": "none",
    "mức độ 1": "none",
    "mức 2": "none",
    "mức 1": "none",
    "1": "none",
    "2": "none",
}
# A neutral rating is not an unsatisfied one: the portal counts dossiers
# "without an unsatisfied rating", so neutral and satisfied score the same.
RATING_WORDS: dict[str, str] = {
    "hài lòng": "satisfied",
    "rất hài lòng": "satisfied",
    "bình thường": "satisfied",
    "chấp nhận được": "satisfied",
    "không hài lòng": "unsatisfied",
    "chưa hài lòng": "unsatisfied",
    "rất không hài lòng": "unsatisfied",
}
CHOICE_WORDS: dict[str, Mapping[str, str]] = {
    "channel": CHANNEL_WORDS,
    "level": LEVEL_WORDS,
    "online_level": ONLINE_LEVEL_WORDS,
    "rating": RATING_WORDS,
}


# A column reference, bare or cast to text: cheap enough to name several times.
_PLAIN = re.compile(r'(CAST\()?"(?:[^"]|"")+"( AS VARCHAR\))?')


def _needs_trim(text: str) -> str:
    # trim() removes Unicode spaces as well, so only a cell that is all ASCII
    # and has no space at either end is known to be trimmed already.
    return f"(prefix({text}, ' ') OR suffix({text}, ' ') OR strlen({text}) <> length({text}))"


def _text(value: str) -> str:
    """The cell as text, trimmed of spaces (Unicode ones too); NULL when empty."""
    text = f"CAST({value} AS VARCHAR)"
    if not _PLAIN.fullmatch(value):
        return f"NULLIF(trim({text}), '')"
    # trim() copies every string (0.7 s per ten million cells), and nearly every
    # cell is already trimmed. CASE evaluates trim() for the others only.
    return f"NULLIF(CASE WHEN {_needs_trim(text)} THEN trim({text}) ELSE {text} END, '')"


def unchanged_text(value: str) -> str:
    """TRUE when :func:`parse_text` returns the cell as it is (NULL included).

    An ASCII cell is already NFC; with no space at either end and not empty,
    trimming leaves it too. A test this cheap lets a clean column skip parsing.
    """
    text = f"CAST({value} AS VARCHAR)"
    return f"({text} IS NULL OR NOT ({text} = '' OR {_needs_trim(text)}))"


def blank(value: str) -> str:
    """TRUE when the cell is missing: NULL, empty or only spaces. Never NULL."""
    text = f"CAST({value} AS VARCHAR)"
    if not _PLAIN.fullmatch(value):
        return f"(NULLIF(trim({text}), '') IS NULL)"
    return (
        f"(CASE WHEN {text} IS NULL THEN TRUE"
        f" WHEN {_needs_trim(text)} THEN trim({text}) = '' ELSE {text} = '' END)"
    )


def _in(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(literal(v) for v in values)


def parse_timestamp(value: str, layout: str | None = None) -> str:
    """Local (UTC+7) naive TIMESTAMP from any accepted date text; NULL if none fits.

    The text's shape picks the one parse that can apply, so a row costs a few
    regular-expression tests and one conversion. With ``layout`` (a
    ``strptime`` format the column's cells seem to have, from
    adapters/csv_types.py) that format is tried first, for a fraction of the
    cost: where it parses a cell to a four-digit year the rules give the same
    value (tests/adapters/test_csv_types.py), so the result never depends on
    the hint.
    """
    if layout is not None:
        raw = f"CAST({value} AS VARCHAR)"
        hinted = f"try_strptime({raw}, {literal(layout)})"
        return (
            f"CASE WHEN year({hinted}) BETWEEN 1000 AND 9999 THEN {hinted}"
            f" ELSE {parse_timestamp(value)} END"
        )
    text = _text(value)
    compact = " ".join(
        f"WHEN regexp_full_match({text}, '[0-9]{{{n}}}') THEN try_strptime({text}, '{f}')"
        for n, f in COMPACT_FORMATS.items()
    )
    # The usual dd/MM/yyyy[ HH:mm[:ss]] first, by one strptime chosen by its colons.
    colons = f"length({text}) - length(replace({text}, ':', ''))"
    slashed = " ".join(
        f"WHEN {n} THEN try_strptime({text}, '{f}')" for n, f in enumerate(_SLASHED_FORMATS)
    )
    # ISO without a zone is tested first: it is what most exports (and every
    # database dump) write, and no other layout can match it (they start with
    # one or two digits, or end with a zone), so the order changes no result.
    return (
        f"CASE WHEN regexp_full_match({text}, '{_ISO_LOCAL}') THEN TRY_CAST({text} AS TIMESTAMP)"
        f" WHEN regexp_full_match({text}, '{_SLASHED}') THEN CASE {colons} {slashed} END"
        f" WHEN regexp_full_match({text}, '{_DAY_FIRST}')"
        f" THEN TRY_CAST(rtrim(regexp_replace({text}, '{_DAY_FIRST}', '\\3-\\2-\\1 \\4'))"
        " AS TIMESTAMP)"
        f" WHEN regexp_full_match({text}, '{_ISO_ZONED}') THEN {_zoned(text)}"
        f" {compact}"
        f" WHEN regexp_full_match({text}, '[0-9]{{13}}') THEN {_epoch_millis(text)}"
        f" WHEN regexp_full_match({text}, '[0-9]{{5}}([.,][0-9]+)?') THEN {_excel_serial(text)}"
        f" WHEN regexp_full_match({text}, '{_TIME_FIRST}')"
        f" THEN TRY_CAST(regexp_replace({text}, '{_TIME_FIRST}', '\\4-\\3-\\2 \\1') AS TIMESTAMP)"
        # ISO or dd/MM/yyyy text with tabs or line breaks around it (trim()
        # takes spaces only), or a run of white space before the time: what
        # Python's parser accepts too, and DuckDB's CSV reader for a column it
        # types itself (adapters/csv_types.py), so that both paths agree.
        f" WHEN regexp_full_match({text}, '{_PADDING}{_ISO_LOOSE}{_PADDING}')"
        f" THEN TRY_CAST(regexp_replace(trim({text}, {_PADDING_CHARS}),"
        f" '([0-9])({_ISO_SEPARATOR})([0-9])', '\\1 \\3') AS TIMESTAMP)"
        f" WHEN regexp_full_match({text}, '{_PADDING}{_DAY_FIRST_LOOSE}{_PADDING}')"
        f" THEN TRY_CAST(rtrim(regexp_replace(trim({text}, {_PADDING_CHARS}), '{_DAY_FIRST_LOOSE}',"
        " '\\3-\\2-\\1 \\4')) AS TIMESTAMP)"
        " END"
    )


def _zoned(text: str) -> str:
    # DuckDB reads an explicit offset into an instant without the ICU time-zone
    # data and whatever the session's TimeZone; epoch arithmetic then gives the
    # wall clock in Vietnam.
    iso = f"regexp_replace(replace(upper({text}), ',', '.'), '\\s+([+-][0-9])', '\\1')"
    return timestamp_from_zoned(f"TRY_CAST({iso} AS TIMESTAMPTZ)")


def _excel_serial(text: str) -> str:
    days = f"TRY_CAST(replace({text}, ',', '.') AS DOUBLE)"
    # Rounded to whole seconds so that 0.354166... reads 08:30:00, not 08:29:59.999.
    return (
        f"CASE WHEN {days} >= {_EXCEL_MIN_SERIAL} AND {days} < {_EXCEL_MAX_SERIAL}"
        f" THEN TIMESTAMP '1899-12-30' + to_seconds(CAST(round({days} * 86400) AS BIGINT)) END"
    )


def _epoch_millis(text: str) -> str:
    # OpenCPS writes epoch milliseconds (UTC): 13 digits for 2001-2286.
    return f"make_timestamp(TRY_CAST({text} AS BIGINT) * 1000 + {VN_OFFSET_MINUTES * 60_000_000})"


def parse_date(value: str) -> str:
    return f"CAST({parse_timestamp(value)} AS DATE)"


def timestamp_from_zoned(value: str) -> str:
    """A TIMESTAMPTZ column (Parquet, JSON) as naive Vietnam local time.

    Epoch arithmetic, not a cast: a cast would use the session's time zone.
    """
    return f"make_timestamp(epoch_us({value}) + {VN_OFFSET_MINUTES * 60_000_000})"


_NUMBER_SUFFIX = r"\s*(%|₫|đ|đồng|vnđ|vnd)$"


def parse_number(value: str, locale: str) -> str:
    # A cell that is already how DuckDB writes the number ("12", "0.5" in
    # English; whole numbers in Vietnamese, where "." groups thousands) skips
    # the regular expressions; "inf" and "nan" are not numbers here.
    raw = f"CAST({value} AS VARCHAR)"
    fast = f"TRY_CAST({raw} AS {'BIGINT' if locale == 'vi' else 'DOUBLE'})"
    return (
        f"CASE WHEN {raw} = CAST({fast} AS VARCHAR) AND isfinite({fast})"
        f" THEN CAST({fast} AS DOUBLE) ELSE {number_by_rules(value, locale)} END"
    )


def number_by_rules(value: str, locale: str) -> str:
    """:func:`parse_number` without its shortcut (tests check they agree)."""
    bare = f"regexp_replace(lower(nfc_normalize({_text(value)})), '{_NUMBER_SUFFIX}', '')"
    text = f"replace(replace(replace({bare}, ' ', ''), chr(160), ''), chr(8722), '-')"
    if locale == "vi":
        pattern = "[-+]?[0-9]{1,3}(\\.[0-9]{3})*(,[0-9]+)?|[-+]?[0-9]+(,[0-9]+)?|[-+]?,[0-9]+"
        converted = f"replace(replace({text}, '.', ''), ',', '.')"
    else:
        pattern = (
            "[-+]?[0-9]{1,3}(,[0-9]{3})*(\\.[0-9]+)?|[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?"
            "|[-+]?\\.[0-9]+"
        )
        converted = f"replace({text}, ',', '')"
    return (
        f"CASE WHEN regexp_full_match({text}, '{pattern}') THEN TRY_CAST({converted} AS DOUBLE) END"
    )


def parse_integer(value: str) -> str:
    """Whole numbers: "9", "09", "9.0" (a code that went through a float column)."""
    raw = f"CAST({value} AS VARCHAR)"
    fast = f"TRY_CAST({raw} AS INTEGER)"  # "9" as DuckDB writes it: no regex needed
    return (
        f"CASE WHEN {raw} = CAST({fast} AS VARCHAR) THEN {fast} ELSE {integer_by_rules(value)} END"
    )


def integer_by_rules(value: str) -> str:
    """:func:`parse_integer` without its shortcut (tests check they agree)."""
    text = _text(value)
    return (
        f"CASE WHEN regexp_full_match({text}, '[-+]?[0-9]+([.,]0+)?') "
        f"THEN TRY_CAST(TRY_CAST(replace({text}, ',', '.') AS DOUBLE) AS INTEGER) END"
    )


def parse_boolean(value: str) -> str:
    text = f"regexp_replace(lower(nfc_normalize({_text(value)})), '\\s+', ' ', 'g')"
    # The usual spellings first, as written: no lowercasing, NFC or regex for them.
    raw = f"CAST({value} AS VARCHAR)"
    return (
        f"CASE WHEN {raw} IN ('true', '1', 'TRUE', 'True') THEN TRUE"
        f" WHEN {raw} IN ('false', '0', 'FALSE', 'False') THEN FALSE"
        # list_position, not IN (or list_contains, which becomes IN): DuckDB
        # turns a long IN list into a join evaluated for every row, out of
        # reach of CASE: 0.25 s per million cells that are all "true"/"false".
        f" WHEN list_position([{_in(_TRUE)}], {text}) IS NOT NULL THEN TRUE"
        f" WHEN list_position([{_in(_FALSE)}], {text}) IS NOT NULL THEN FALSE END"
    )


def choice_key(value: str) -> str:
    """SQL for the matching key of a word: NFC, lowercase, no diacritics, single spaces."""
    text = f"lower(nfc_normalize({_text(value)}))"
    bare = f"strip_accents(replace({text}, 'đ', 'd'))"
    return f"regexp_replace({bare}, '\\s+', ' ', 'g')"


def word_key(word: str) -> str:
    """The Python twin of :func:`choice_key`, for the word tables."""
    return " ".join(strip_diacritics(word.lower()).split())


def parse_choice(
    value: str, allowed: tuple[str, ...], words: Mapping[str, str] | None = None
) -> str:
    """One of ``allowed`` (in any case), or a word that ``words`` maps to one; else NULL.

    A number-like code ("2", "02", "2.0") is matched by its integer value.
    """
    # Leading zeros and a ".0" tail go, so codes from spreadsheets match too.
    key = f"regexp_replace({choice_key(value)}, '^0*([0-9]+)([.,]0+)?$', '\\1')"
    table = {word_key(v): v for v in allowed}
    for word, target in (words or {}).items():
        table.setdefault(word_key(word), target)
    keys, targets = zip(*sorted(table.items()), strict=True)
    # A list lookup, not a CASE: CASE x WHEN ... repeats x once per branch,
    # which makes the SQL slow to plan.
    return f"([{_in(list(targets))}])[list_position([{_in(list(keys))}], {key})]"


def parse_channel(value: str) -> str:
    return parse_choice(value, ("direct", "online", "postal"), CHANNEL_WORDS)


def parse_text(value: str) -> str:
    return f"nfc_normalize({_text(value)})"
