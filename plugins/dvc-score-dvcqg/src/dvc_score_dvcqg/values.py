"""Small parsers for the values found inside DVCQG payload records.

Top-level dates, channel and status codes are left as text for dvc-score's
shared loader (``load_table``) to parse and reject, so every adapter rejects
the same way. What is parsed here is what the loader never sees: flags and
amounts inside nested lists, and the supplement dates whose difference becomes
``supplement_days``. Every parser raises :class:`ValueError` with a message that
quotes the (non-personal) value.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

_INT = re.compile(r"[+-]?\d+(?:\.0+)?")
_VI_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # 1.500.000 or 1.500,5
_PLAIN = re.compile(r"\d+(?:[.,]\d+)?")
_DATE_FORMATS = (
    "%Y%m%d%H%M%S",
    "%Y%m%d%H%M",
    "%Y%m%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
)


def text(value: object) -> str | None:
    """A scalar as stripped NFC text; None for null and blank values."""
    if isinstance(value, str):
        stripped = value.strip()
        # Codes and dates are ASCII: skip normalization, the hot path of 100k-record payloads.
        if stripped.isascii():
            return stripped or None
        return unicodedata.normalize("NFC", stripped) or None
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 9.0 from a JSON writer is the code 9
    stripped = unicodedata.normalize("NFC", str(value)).strip()
    return stripped or None


def code(value: object) -> int | None:
    """An integer code written as 2, "2", "02", 2.0 or true/false; None when blank."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return 1 if value.strip().lower() == "true" else 0
    raw = text(value)
    if raw is None:
        return None
    if _INT.fullmatch(raw) is None:
        raise ValueError(f"{raw!r} is not a whole-number code")
    return int(float(raw))


def flag(value: object, yes: tuple[int, ...] = (1,), no: tuple[int, ...] = (0,)) -> bool | None:
    """A DVCQG yes/no code: ``yes`` codes are True, ``no`` codes False, blank None."""
    number = code(value)
    if number is None:
        return None
    if number in yes:
        return True
    if number in no:
        return False
    allowed = ", ".join(str(c) for c in (*no, *yes))
    raise ValueError(f"{number} is not one of {allowed}")


def amount(value: object) -> float:
    """A fee amount: 50000, "50000", "50.000" (Vietnamese grouping) or "1500,5"."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"{value!r} is a negative amount")
        return float(value)
    raw = text(value)
    if raw is None:
        return 0.0
    compact = raw.replace(" ", "").removesuffix("đ").removesuffix("VNĐ").removesuffix("VND")
    if _VI_GROUPED.fullmatch(compact):
        return float(compact.replace(".", "").replace(",", "."))
    if _PLAIN.fullmatch(compact):
        return float(compact.replace(",", "."))
    raise ValueError(f"{raw!r} is not an amount")


def moment(value: object) -> datetime | None:
    """A timestamp in one of the layouts DVCQG payloads use (local time)."""
    raw = text(value)
    if raw is None:
        return None
    for layout in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, layout)
        except ValueError:
            continue
    raise ValueError(f"{raw!r} is not a date (expected yyyyMMddHHmmss)")


def number_text(number: float) -> str:
    """A float written so the shared loader reads it back exactly (en locale)."""
    return str(int(number)) if number.is_integer() else repr(number)
