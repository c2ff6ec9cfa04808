"""Vectorized value parsers: SQL that turns text cells into model types.

Text from CSV, Excel and JSON sources is parsed inside DuckDB (millions of rows
would be slow one value at a time in Python). Each parser maps a VARCHAR
expression to a typed one that is NULL when the text cannot be parsed; the
loader compares with the input to find the cells to reject.

Accepted forms follow Vietnamese data realities (docs/domain.md §4): day-first
dates ``dd/MM/yyyy[ HH:mm[:ss]]`` (padded or not), ``yyyyMMddHHmmss``, ISO with
``T``, Excel serial numbers; ``.``-grouped numbers with a ``,`` decimal mark
under the ``vi`` locale; status and channel codes as text or numbers.
"""

from __future__ import annotations

DATETIME_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%Y%m%d%H%M%S",
    "%Y%m%d",
    "%Y-%m-%dT%H:%M:%S.%f",
)

_TRUE = ("1", "true", "t", "yes", "y", "x", "có", "co", "đúng", "dung", "đã", "da")
_FALSE = ("0", "false", "f", "no", "n", "không", "khong", "sai", "chưa", "chua")

CHANNEL_CODES = {"1": "direct", "2": "online", "3": "postal"}
CHANNEL_WORDS = {
    "direct": "direct",
    "trực tiếp": "direct",
    "truc tiep": "direct",
    "online": "online",
    "trực tuyến": "online",
    "truc tuyen": "online",
    "postal": "postal",
    "bưu chính": "postal",
    "buu chinh": "postal",
    "bcci": "postal",
}


def _text(value: str) -> str:
    return f"NULLIF(trim(CAST({value} AS VARCHAR)), '')"


def _in(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def parse_timestamp(value: str) -> str:
    text = _text(value)
    formats = "[" + ", ".join(f"'{f}'" for f in DATETIME_FORMATS) + "]"
    # Excel serial days (1900 system, as Excel counts from 1899-12-30).
    excel = (
        f"CASE WHEN regexp_full_match({text}, '[0-9]{{5}}(\\.[0-9]+)?') "
        f"THEN TIMESTAMP '1899-12-30' + to_microseconds(CAST(round(CAST({text} AS DOUBLE) * 86400e6) AS BIGINT)) END"
    )
    return f"COALESCE(try_strptime({text}, {formats}), TRY_CAST({text} AS TIMESTAMP), {excel})"


def parse_date(value: str) -> str:
    return f"CAST({parse_timestamp(value)} AS DATE)"


def parse_number(value: str, locale: str) -> str:
    text = f"replace(replace({_text(value)}, ' ', ''), chr(160), '')"
    if locale == "vi":
        pattern = "-?[0-9]{1,3}(\\.[0-9]{3})*(,[0-9]+)?|-?[0-9]+(,[0-9]+)?"
        converted = f"replace(replace({text}, '.', ''), ',', '.')"
    else:
        pattern = "-?[0-9]{1,3}(,[0-9]{3})*(\\.[0-9]+)?|-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?"
        converted = f"replace({text}, ',', '')"
    return f"CASE WHEN regexp_full_match({text}, '{pattern}') THEN TRY_CAST({converted} AS DOUBLE) END"


def parse_integer(value: str) -> str:
    text = _text(value)
    return (
        f"CASE WHEN regexp_full_match({text}, '-?[0-9]+(\\.0+)?') "
        f"THEN TRY_CAST(TRY_CAST({text} AS DOUBLE) AS INTEGER) END"
    )


def parse_boolean(value: str) -> str:
    text = f"lower({_text(value)})"
    return f"CASE WHEN {text} IN ({_in(_TRUE)}) THEN TRUE WHEN {text} IN ({_in(_FALSE)}) THEN FALSE END"


def parse_channel(value: str) -> str:
    text = f"lower(nfc_normalize({_text(value)}))"
    codes = " ".join(f"WHEN '{k}' THEN '{v}' WHEN '{k}.0' THEN '{v}'" for k, v in CHANNEL_CODES.items())
    words = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CHANNEL_WORDS.items())
    return f"CASE {text} {codes} {words} END"


def parse_choice(value: str, allowed: tuple[str, ...]) -> str:
    text = f"lower({_text(value)})"
    return f"CASE WHEN {text} IN ({_in(allowed)}) THEN {text} END"


def parse_text(value: str) -> str:
    return f"nfc_normalize({_text(value)})"
