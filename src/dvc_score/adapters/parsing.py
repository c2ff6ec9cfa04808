"""Parse the values found in Vietnamese dossier exports into model types.

Every parser is pure: it takes one cell value (text from a CSV, or whatever
type openpyxl/JSON produced) and returns the model value, ``None`` for an empty
cell, or raises :class:`ValueError` whose message quotes the value. Callers
turn that error into a reject-row record naming the file, row and column.

The conventions follow domain.md section 4: ``.`` groups thousands and ``,``
marks decimals; dates are day-first; times are local (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Literal

from dvc_score.errors import DataError

__all__ = [
    "VIETNAMESE_HEADERS",
    "VN_TZ",
    "HeaderMap",
    "normalize_header",
    "normalize_text",
    "parse_bool",
    "parse_channel",
    "parse_datetime",
    "parse_int_code",
    "parse_number",
    "strip_diacritics",
]

# Vietnam has kept UTC+7 without daylight saving since 1975. A fixed offset
# gives the same answers as zoneinfo("Asia/Ho_Chi_Minh") for every date the
# index deals with, without needing the tz database (absent on bare Windows).
VN_TZ = timezone(timedelta(hours=7), "ICT")


# --- Text ------------------------------------------------------------------


def normalize_text(value: str) -> str:
    """NFC-normalise and strip: decomposed and precomposed Vietnamese compare equal."""
    return unicodedata.normalize("NFC", value).strip()


def strip_diacritics(value: str) -> str:
    """Remove Vietnamese diacritics: "Mã hồ sơ" -> "Ma ho so", "Đồng" -> "Dong".

    đ/Đ are separate letters, not d plus a mark, so they are mapped explicitly.
    """
    decomposed = unicodedata.normalize("NFD", value)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


_SPACES = re.compile(r"\s+")
# Characters trimmed from both ends of a header: spreadsheet decorations such
# as "Mã hồ sơ:", "*Ngày tiếp nhận", "- Trạng thái -". Brackets are handled
# separately so that "Lệ phí (VNĐ)" keeps its closing parenthesis.
_HEADER_TRIM = " \t\r\n\ufeff\u200b:;,.!?*\"'`‘’“”-_–—•·"
_BRACKETS = {"(": ")", "[": "]", "{": "}", "<": ">"}


def normalize_header(value: str) -> str:
    """Normalise a column header for matching.

    NFC, lowercase, whitespace (including line breaks from wrapped Excel
    headers and non-breaking spaces) collapsed to one space, BOM and
    surrounding punctuation removed, and a fully enclosing bracket pair
    ("[Mã hồ sơ]") dropped.
    """
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", value).lower().replace("\ufeff", " "))
    while True:
        trimmed = text.strip(_HEADER_TRIM)
        if len(trimmed) >= 2 and _BRACKETS.get(trimmed[0]) == trimmed[-1]:
            trimmed = trimmed[1:-1]
        if trimmed == text:
            return text
        text = trimmed


# --- Numbers -----------------------------------------------------------------

NumberLocale = Literal["vi", "en"]

# Suffixes users leave on figures: percentages (the number is kept as written,
# 70,06% -> 70.06) and currency (1.500.000 đ).
_NUMBER_SUFFIX = re.compile(r"\s*(?:%|₫|đ|đồng|vnđ|vnd)$", re.IGNORECASE)
_NUMBER_SEPARATORS: dict[NumberLocale, tuple[str, str]] = {"vi": (".", ","), "en": (",", ".")}


def _number_pattern(group: str, decimal: str, exponent: bool) -> re.Pattern[str]:
    g, d = re.escape(group), re.escape(decimal)
    # Either no grouping at all, or groups of exactly three digits (optionally
    # separated by spaces, as some exports format them).
    integer = rf"(?:\d+|\d{{1,3}}(?:{g}\d{{3}})+|\d{{1,3}}(?: \d{{3}})+)"
    exp = r"(?:[eE][+-]?\d+)?" if exponent else ""
    return re.compile(rf"[+-]?(?:{integer}(?:{d}\d+)?|{d}\d+){exp}", re.ASCII)


# Exponents only in the en locale: they come from machine-written files.
_NUMBER_PATTERNS: dict[NumberLocale, re.Pattern[str]] = {
    "vi": _number_pattern(".", ",", exponent=False),
    "en": _number_pattern(",", ".", exponent=True),
}


def parse_number(text: str | int | float | None, locale: NumberLocale = "vi") -> float | None:
    """Parse a figure written the Vietnamese (``vi``) or English (``en``) way.

    ``vi``: "99.854" -> 99854.0, "70,06" -> 70.06, "1.234.567,5" -> 1234567.5.
    ``en``: "1,234.5" -> 1234.5. "1.234" is ambiguous, which is why the column
    declares its locale. Numbers pass through; None, NaN and blank text -> None.
    """
    if locale not in _NUMBER_PATTERNS:  # a caller's mistake, not a data problem
        raise TypeError(f"unknown number locale {locale!r}; expected 'vi' or 'en'")
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"expected a number, got the boolean {text!r}")
    if isinstance(text, int | float):
        return _finite(float(text), text)
    if not isinstance(text, str):
        raise ValueError(f"expected a number, got {type(text).__name__} {text!r}")
    stripped = normalize_text(text)
    if not stripped:
        return None
    cleaned = _NUMBER_SUFFIX.sub("", _SPACES.sub(" ", stripped)).replace("\u2212", "-")
    if cleaned.startswith(("+", "-")):  # allow "- 3,5" from right-aligned cells
        cleaned = cleaned[0] + cleaned[1:].lstrip()
    if _NUMBER_PATTERNS[locale].fullmatch(cleaned) is None:
        group, decimal = _NUMBER_SEPARATORS[locale]
        raise ValueError(
            f"{text!r} is not a valid number ({locale} locale: '{group}' groups thousands, "
            f"'{decimal}' marks decimals)"
        )
    group, decimal = _NUMBER_SEPARATORS[locale]
    canonical = cleaned.replace(group, "").replace(" ", "").replace(decimal, ".")
    return _finite(float(canonical), text)


def _finite(number: float, original: object) -> float | None:
    if math.isnan(number):
        return None  # pandas and some JSON writers spell "missing" as NaN
    if math.isinf(number):
        raise ValueError(f"{original!r} is not a finite number")
    return number


# --- Dates and times ------------------------------------------------------------

# Excel's 1900 date system counts days from 1899-12-30 (the extra day makes up
# for Lotus' phantom 29 February 1900, harmless after March 1900). Serials
# outside 1950-2100 are far more likely to be codes or counts than dates.
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_MIN_SERIAL = 18264  # 1950-01-01
_EXCEL_MAX_SERIAL = 73051  # 2100-01-01
# OpenCPS exports timestamps as epoch milliseconds: 13 digits for 2001-2286.
_EPOCH_MS_MIN, _EPOCH_MS_MAX = 10**12, 10**13
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2})(?:[.,](?P<fraction>\d+))?)?"
_MERIDIEM = r"(?:\s*(?P<meridiem>am|pm|sa|ch))?"  # SA (sáng) / CH (chiều) on Vietnamese Windows
_DAY_FIRST = r"(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})"
_YEAR_FIRST = r"(?P<year>\d{4})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
_OFFSET = r"\s*(?P<offset>z|[+-]\d{2}(?::?\d{2})?)?"
_DATE_PATTERNS = (
    # 15/03/2023, 5/3/2023 08:30, 15-03-2023 08:30:00, 15.03.2023 8:30 CH
    re.compile(rf"{_DAY_FIRST}(?:[ t]+{_TIME}{_MERIDIEM})?", re.ASCII),
    # 08:30 15/03/2023: the order some Vietnamese portals display
    re.compile(rf"{_TIME}{_MERIDIEM}\s+{_DAY_FIRST}", re.ASCII),
    # ISO 8601 and its relatives: 2023-03-15, 2023-03-15T08:30:00.123+07:00, 2023/03/15
    re.compile(rf"{_YEAR_FIRST}(?:[ t]+{_TIME})?{_OFFSET}", re.ASCII),
)
# Digits-only layouts by length: DVCQG's yyyyMMddHHmmss and its shorter forms.
_COMPACT_FORMATS = {14: "%Y%m%d%H%M%S", 12: "%Y%m%d%H%M", 8: "%Y%m%d"}
_SERIAL = re.compile(r"\d{1,5}(?:[.,]\d+)?", re.ASCII)
_EXPECTED_DATES = (
    "expected dd/MM/yyyy [HH:mm[:ss]], yyyyMMddHHmmss, ISO 8601, "
    "an Excel serial number or epoch milliseconds"
)


def parse_datetime(value: object, *, formats: Sequence[str] | None = None) -> datetime | None:
    """Parse a date or timestamp into a naive datetime in Vietnam local time.

    Without ``formats`` every layout in domain.md section 4 is accepted, always
    day-first. With ``formats`` (``strptime`` patterns) text must match one of
    them: a column with a declared format is never second-guessed. Aware
    values (ISO offsets, aware datetimes) are converted to UTC+7.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _to_local(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise ValueError(f"expected a date, got the boolean {value!r}")
    if formats is not None:
        return _parse_with_formats(value, formats)
    if isinstance(value, int):
        return _parse_integer(value, value)
    if isinstance(value, float):
        return _parse_float(value)
    if isinstance(value, str):
        return _parse_date_text(value)
    raise ValueError(f"expected a date, got {type(value).__name__} {value!r}")


def _to_local(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        return value
    return value.astimezone(VN_TZ).replace(tzinfo=None)


def _parse_with_formats(value: object, formats: Sequence[str]) -> datetime | None:
    if isinstance(value, float) and math.isnan(value):
        return None
    text = normalize_text(str(value))
    if not text:
        return None
    for fmt in formats:
        try:
            return _to_local(datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ValueError(f"{value!r} does not match the date format(s) {', '.join(formats)}")


def _parse_integer(number: int, original: object) -> datetime:
    digits = str(number)
    if number > 0 and len(digits) in _COMPACT_FORMATS:
        return _parse_compact(digits, original)
    if _EPOCH_MS_MIN <= number < _EPOCH_MS_MAX:
        # Integer arithmetic: no float rounding of the milliseconds.
        return _to_local(_UNIX_EPOCH + timedelta(milliseconds=number))
    return _from_excel_serial(float(number), original)


def _parse_float(number: float) -> datetime | None:
    if math.isnan(number):
        return None
    if math.isinf(number):
        raise ValueError(f"{number!r} is not a date")
    # Whole floats are integers that went through a float column (pandas, JSON).
    if number.is_integer() and number >= _EXCEL_MAX_SERIAL:
        return _parse_integer(int(number), number)
    return _from_excel_serial(number, number)


def _from_excel_serial(serial: float, original: object) -> datetime:
    if not _EXCEL_MIN_SERIAL <= serial < _EXCEL_MAX_SERIAL:
        raise ValueError(
            f"{original!r} is not a date: as an Excel serial number it is outside "
            f"1950-2100 ({_EXPECTED_DATES})"
        )
    # Excel stores time as a fraction of a day; round to whole seconds so that
    # 0.354166... reads as 08:30:00, not 08:29:59.999.
    return _EXCEL_EPOCH + timedelta(seconds=round(serial * 86400))


def _parse_date_text(value: str) -> datetime | None:
    text = _SPACES.sub(" ", normalize_text(value).lower())
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return _parse_integer(int(text), value)
    if _SERIAL.fullmatch(text):
        return _from_excel_serial(float(text.replace(",", ".")), value)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            return _build_datetime(match, value)
    raise ValueError(f"{value!r} is not a recognised date ({_EXPECTED_DATES})")


def _parse_compact(digits: str, original: object) -> datetime:
    try:
        return datetime.strptime(digits, _COMPACT_FORMATS[len(digits)])
    except ValueError as exc:
        raise ValueError(f"{original!r} is not a valid date ({exc})") from None


def _build_datetime(match: re.Match[str], original: object) -> datetime:
    parts = match.groupdict()
    hour = int(parts["hour"] or 0)
    meridiem = parts.get("meridiem")
    if meridiem is not None:
        if not 1 <= hour <= 12:
            raise ValueError(f"{original!r} is not a valid time: {hour} {meridiem.upper()}")
        hour = hour % 12 + (12 if meridiem in ("pm", "ch") else 0)
    # Fractions beyond microseconds (.NET writes seven digits) are truncated.
    microsecond = int((parts["fraction"] or "0")[:6].ljust(6, "0"))
    try:
        result = datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            hour,
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            microsecond,
        )
    except ValueError as exc:
        raise ValueError(f"{original!r} is not a valid date ({exc})") from None
    offset = parts.get("offset")
    if offset is not None:
        result = _to_local(result.replace(tzinfo=_parse_offset(offset)))
    return result


def _parse_offset(offset: str) -> timezone:
    if offset == "z":
        return UTC
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


# --- Flags and codes ----------------------------------------------------------

# Compared after NFC, casefold and whitespace collapsing; the diacritics-free
# spellings cover exports typed without a Vietnamese keyboard.
_TRUE_WORDS = frozenset(
    {"1", "true", "t", "yes", "y", "x", "✓", "✔", "có", "co", "c", "đ", "đã", "đúng",
     "dung", "đạt", "dat", "rồi", "roi"}
)  # fmt: skip
_FALSE_WORDS = frozenset(
    {"0", "false", "f", "no", "n", "không", "khong", "k", "ko", "s", "sai", "chưa", "chua",
     "không đạt", "khong dat"}
)  # fmt: skip


def _key(value: str) -> str:
    return _SPACES.sub(" ", normalize_text(value).casefold())


def parse_bool(value: object) -> bool | None:
    """Parse a yes/no cell: 1/0, true/false, có/không, x, Đ/đã, ... ; blank -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        if value in (0, 1):
            return value == 1
        raise ValueError(f"{value!r} is not a yes/no value (expected 1 or 0)")
    if not isinstance(value, str):
        raise ValueError(f"expected a yes/no value, got {type(value).__name__} {value!r}")
    key = _key(value)
    if not key:
        return None
    if key in _TRUE_WORDS or key in ("1.0", "1,0"):
        return True
    if key in _FALSE_WORDS or key in ("0.0", "0,0"):
        return False
    raise ValueError(f"{value!r} is not a yes/no value (expected 1/0, có/không, true/false, x)")


_INT_CODE = re.compile(r"[+-]?\d+(?:[.,]0)?", re.ASCII)  # "2.0" yes, "1.000" (vi 1000) no


def parse_int_code(value: object) -> int | None:
    """Parse a status or channel code: 2, 2.0, "2", " 02 ", "2.0" -> 2; blank -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a code, got the boolean {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
        raise ValueError(f"{value!r} is not a whole-number code")
    if not isinstance(value, str):
        raise ValueError(f"expected a code, got {type(value).__name__} {value!r}")
    text = normalize_text(value)
    if not text:
        return None
    if _INT_CODE.fullmatch(text) is None:
        raise ValueError(f"{value!r} is not a whole-number code")
    return int(re.split(r"[.,]", text)[0])


# Channel spellings, compared diacritics-free after casefolding. KenhThucHien
# codes 1/2/3 come first; the rest is what province exports write.
_CHANNEL_WORDS: dict[str, str] = {
    "1": "direct",
    "2": "online",
    "3": "postal",
    "direct": "direct",
    "truc tiep": "direct",
    "nop truc tiep": "direct",
    "tai quay": "direct",
    "offline": "direct",
    "online": "online",
    "truc tuyen": "online",
    "nop truc tuyen": "online",
    "qua mang": "online",
    "dich vu cong truc tuyen": "online",
    "dvctt": "online",
    "postal": "postal",
    "post": "postal",
    "buu chinh": "postal",
    "qua buu chinh": "postal",
    "nop qua buu chinh": "postal",
    "buu chinh cong ich": "postal",
    "bcci": "postal",
    "buu dien": "postal",
}


def parse_channel(value: object) -> str | None:
    """Parse the submission channel (KenhThucHien) into direct, online or postal.

    1/"trực tiếp"/"direct" -> direct, 2/"trực tuyến"/"online" -> online,
    3/"bưu chính"/"BCCI"/"postal" -> postal; blank -> None.
    """
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        code = parse_int_code(value)
        if code is None:
            return None
        key = str(code)
    elif isinstance(value, str):
        key = strip_diacritics(_key(value))
        if not key:
            return None
        if _INT_CODE.fullmatch(key):
            key = str(parse_int_code(key))
    else:
        raise ValueError(f"expected a channel, got {type(value).__name__} {value!r}")
    try:
        return _CHANNEL_WORDS[key]
    except KeyError:
        raise ValueError(
            f"{value!r} is not a channel (expected 1/trực tiếp, 2/trực tuyến or 3/bưu chính)"
        ) from None


# --- Headers --------------------------------------------------------------------

VIETNAMESE_HEADERS: dict[str, str] = {
    # units
    "Mã đơn vị": "unit_code",
    "Mã cơ quan": "unit_code",
    "Mã đơn vị xử lý": "unit_code",
    "Mã cơ quan xử lý": "unit_code",
    "Tên đơn vị": "unit_name",
    "Tên cơ quan": "unit_name",
    "Cấp": "level",
    "Cấp đơn vị": "level",
    "Cấp hành chính": "level",
    "Mã đơn vị cha": "parent_code",
    "Mã đơn vị cấp trên": "parent_code",
    "Mã cơ quan cấp trên": "parent_code",
    "Chứng thực bản sao điện tử": "e_certified_copy",
    "Chứng thực điện tử": "e_certified_copy",
    # procedures
    "Mã TTHC": "procedure_code",
    "Mã thủ tục": "procedure_code",
    "Mã thủ tục hành chính": "procedure_code",
    "MaTTHC": "procedure_code",
    "Tên TTHC": "procedure_name",
    "Tên thủ tục": "procedure_name",
    "Tên thủ tục hành chính": "procedure_name",
    "Mức độ DVC": "online_level",
    "Mức độ dịch vụ công": "online_level",
    "Mức độ DVCTT": "online_level",
    "Mã DVC": "service_code",
    "Mã dịch vụ công": "service_code",
    "Mã DVCTT": "service_code",
    "Có phí, lệ phí": "has_fee",
    "Có thu phí": "has_fee",
    "Tích hợp thanh toán trực tuyến": "payment_integrated",
    "Tích hợp thanh toán": "payment_integrated",
    "Kết quả bản giấy": "paper_result",
    "Trả kết quả bản giấy": "paper_result",
    "Dành cho công dân": "for_citizens",
    "Đối tượng công dân": "for_citizens",
    "Thời hạn giải quyết": "max_duration_days",
    "Thời gian giải quyết": "max_duration_days",
    "Ngày quyết định công bố": "decision_date",
    "Ngày ban hành quyết định": "decision_date",
    "Ngày hiệu lực": "legal_effective_date",
    "Ngày có hiệu lực": "legal_effective_date",
    "Ngày công khai": "published_date",
    "Ngày đăng tải": "published_date",
    "Công khai đầy đủ": "content_complete",
    "Đầy đủ thành phần": "content_complete",
    # dossiers
    "Mã hồ sơ": "dossier_id",
    "Số hồ sơ": "dossier_id",
    "MaHoSo": "dossier_id",
    "Kênh thực hiện": "channel",
    "Hình thức nộp": "channel",
    "Kênh nộp": "channel",
    "Hình thức tiếp nhận": "channel",
    "KenhThucHien": "channel",
    "Ngày nộp": "submitted_at",
    "Ngày nộp hồ sơ": "submitted_at",
    "Thời gian nộp": "submitted_at",
    "Ngày tiếp nhận": "received_at",
    "Thời gian tiếp nhận": "received_at",
    "Ngày nhận": "received_at",
    "NgayTiepNhan": "received_at",
    "Ngày hẹn trả": "due_at",
    "Ngày hẹn trả kết quả": "due_at",
    "Hạn xử lý": "due_at",
    "Hạn giải quyết": "due_at",
    "NgayHenTra": "due_at",
    "Ngày kết thúc xử lý": "finished_at",
    "Ngày hoàn thành": "finished_at",
    "Ngày xử lý xong": "finished_at",
    "Ngày có kết quả": "finished_at",
    "NgayKetThucXuLy": "finished_at",
    "Ngày trả kết quả": "returned_at",
    "Ngày trả": "returned_at",
    "NgayTra": "returned_at",
    "Trạng thái": "status",
    "Trạng thái hồ sơ": "status",
    "Mã trạng thái": "status",
    "TrangThaiHoSo": "status",
    "Số lần bổ sung": "supplement_requests",
    "Số lần yêu cầu bổ sung": "supplement_requests",
    "Số ngày bổ sung": "supplement_days",
    "Thời gian chờ bổ sung": "supplement_days",
    "Đồng bộ": "synced",
    "Đã đồng bộ": "synced",
    "Đồng bộ DVCQG": "synced",
    "Lệ phí": "fee_due",
    "Phí, lệ phí": "fee_due",
    "Số tiền phí": "fee_due",
    "Thanh toán trực tuyến": "paid_online",
    "Đã thanh toán trực tuyến": "paid_online",
    "Kết quả điện tử": "e_result",
    "Có kết quả điện tử": "e_result",
    "Số hóa": "digitized",
    "Đã số hóa": "digitized",
    "Có thành phần số hóa": "digitized",
    "Tái sử dụng dữ liệu": "reused_data",
    "Tái sử dụng": "reused_data",
    "Kho dữ liệu cá nhân": "personal_store",
    "Sử dụng kho dữ liệu cá nhân": "personal_store",
    "Dữ liệu dân cư": "citizen_data",
    "Sử dụng dữ liệu dân cư": "citizen_data",
    "Đánh giá": "rating",
    "Mức độ hài lòng": "rating",
    "Kết quả đánh giá": "rating",
    "Khiếu nại": "complaint",
    "Có khiếu nại": "complaint",
    "Trả qua bưu chính": "postal_return",
    "Trả kết quả qua bưu chính": "postal_return",
    "Trả qua BCCI": "postal_return",
    # petitions
    "Mã phản ánh": "petition_id",
    "Mã PAKN": "petition_id",
    "Mã phản ánh kiến nghị": "petition_id",
    "Ngày trả lời": "resolved_at",
    "Ngày giải quyết": "resolved_at",
    "Lĩnh vực": "category",
    "Chủ đề": "category",
    "Phân loại": "category",
}

_TRAILING_PARENTHETICAL = re.compile(r"\s*\([^()]*\)$")
_NON_ALNUM = re.compile(r"[\W_]+")


def _compact(key: str) -> str:
    return _NON_ALNUM.sub("", strip_diacritics(key))


# How a header may be loosened to find its column, strictest first: as
# normalised; without diacritics ("Ma ho so"); without diacritics, spaces or
# punctuation ("MaHoSo", "ma_ho_so").
_LOOSENINGS: tuple[Callable[[str], str], ...] = (lambda key: key, strip_diacritics, _compact)


def _header_keys(header: str) -> list[tuple[int, int, str]]:
    """(rank, loosening, key) for a header, strictest first.

    Each loosening is tried on the header as written and then without a
    trailing unit in parentheses ("Lệ phí (VNĐ)", "Thời hạn giải quyết (ngày)").
    """
    exact = normalize_header(header)
    bases = [exact]
    bare = _TRAILING_PARENTHETICAL.sub("", exact)
    if bare and bare != exact:
        bases.append(bare)
    keys: list[tuple[int, int, str]] = []
    for level, loosen in enumerate(_LOOSENINGS):
        for is_bare, base in enumerate(bases):
            key = loosen(base)
            if key:
                keys.append((2 * level + is_bare, level, key))
    return keys


@dataclass(frozen=True)
class _Match:
    column: str
    rank: int  # lower is a stricter match


class HeaderMap:
    """Maps a file's column headers to model column names.

    ``mapping`` goes from a source header (any spelling) to a model column;
    every model column named in it also matches itself ("received_at").
    Matching tolerates case, spacing, punctuation, decomposed Unicode, a
    trailing unit in parentheses and missing diacritics. A key that two
    different columns would share after loosening is dropped, so loosening
    never picks a column by accident.
    """

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._mapping = dict(mapping)
        entries = list(self._mapping.items())
        entries += [(column, column) for column in sorted(set(self._mapping.values()))]
        self._indexes = _build_indexes(entries)

    @property
    def columns(self) -> frozenset[str]:
        """The model columns this map can produce."""
        return frozenset(self._mapping.values())

    def column_for(self, header: str) -> str | None:
        """The model column for one header, or None when it is not recognised."""
        match = self._match(header)
        return None if match is None else match.column

    def _match(self, header: str) -> _Match | None:
        for rank, level, key in _header_keys(header):
            column = self._indexes[level].get(key)
            if column is not None:
                return _Match(column, rank)
        return None

    def resolve(self, headers: Sequence[str]) -> dict[str, str]:
        """Map each recognised source header to its model column.

        Unrecognised headers are left out (adapters may keep them as extra
        columns). When several headers match one column the strictest match
        wins; a tie is a :class:`DataError` naming both headers.
        """
        best: dict[str, tuple[int, str]] = {}
        tied: dict[str, list[str]] = {}
        for header in headers:
            match = self._match(header)
            if match is None:
                continue
            current = best.get(match.column)
            if current is None or match.rank < current[0]:
                best[match.column] = (match.rank, header)
                tied.pop(match.column, None)
            elif match.rank == current[0]:
                tied.setdefault(match.column, [current[1]]).append(header)
        if tied:
            column, names = next(iter(tied.items()))
            if len(set(names)) == 1:
                raise DataError(f"header {names[0]!r} appears {len(names)} times; keep only one")
            quoted = ", ".join(repr(name) for name in names)
            raise DataError(f"headers {quoted} all map to column {column!r}; keep only one")
        chosen = {header: column for column, (_, header) in best.items()}
        return {header: chosen[header] for header in headers if header in chosen}


def _build_indexes(entries: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """One key -> column index per loosening, minus keys two columns would share."""
    indexes: list[dict[str, str]] = [{} for _ in _LOOSENINGS]
    ambiguous: list[set[str]] = [set() for _ in _LOOSENINGS]
    for header, column in entries:
        for _, level, key in _header_keys(header):
            if indexes[level].setdefault(key, column) != column:
                ambiguous[level].add(key)
    for index, keys in zip(indexes, ambiguous, strict=True):
        for key in keys:
            del index[key]
    return indexes
