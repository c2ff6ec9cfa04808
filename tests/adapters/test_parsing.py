"""Tests for dvc_score.adapters.parsing: cell values and headers from Vietnamese exports."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvc_score.adapters.parsing import (
    VIETNAMESE_HEADERS,
    HeaderMap,
    normalize_header,
    normalize_text,
    parse_bool,
    parse_channel,
    parse_datetime,
    parse_int_code,
    parse_number,
    strip_diacritics,
)
from dvc_score.errors import DataError
from dvc_score.model.schema import TABLES


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def value_in_message(value: object) -> str:
    """A regex matching ``repr(value)``: every error must quote the bad value."""
    return re.escape(repr(value))


# --- parse_number ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("99.854", 99854.0),
        ("70,06", 70.06),
        ("1.234.567,5", 1234567.5),
        ("-3,5", -3.5),
        ("+3,5", 3.5),
        ("- 3,5", -3.5),
        ("\u22123,5", -3.5),  # Unicode minus sign
        ("1.234", 1234.0),  # thousands, not one point two
        ("1234", 1234.0),
        ("1234,5", 1234.5),
        ("0,5", 0.5),
        (",5", 0.5),
        ("007", 7.0),
        ("  70,06  ", 70.06),
        ("\xa070,06\xa0", 70.06),  # non-breaking spaces around
        ("1\xa0234\xa0567,5", 1234567.5),  # non-breaking spaces as group separators
        ("1 234 567", 1234567.0),
        ("70,06%", 70.06),  # a percentage stays as written, not /100
        ("70,06 %", 70.06),
        ("100%", 100.0),
        ("1.500.000 đ", 1500000.0),
        ("1.500.000đ", 1500000.0),
        ("1.500.000 VND", 1500000.0),
        ("1.500.000 VNĐ", 1500000.0),
        ("1.500.000 vnđ", 1500000.0),
        ("1.500.000 ₫", 1500000.0),
        ("1.000 đồng", 1000.0),
        (nfd("1.000 đồng"), 1000.0),  # decomposed suffix
    ],
)
def test_parse_number_vi(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)
    assert parse_number(text, "vi") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.5", 1234.5),
        ("1,234,567.25", 1234567.25),
        ("1.234", 1.234),  # the same text as above, read the English way
        ("70.06", 70.06),
        ("1234", 1234.0),
        ("-0.5", -0.5),
        ("1.5e3", 1500.0),
        ("2E-2", 0.02),
        ("99.5%", 99.5),
        ("1,500,000 VND", 1500000.0),
    ],
)
def test_parse_number_en(text: str, expected: float) -> None:
    assert parse_number(text, "en") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "vi", "en"),
    [
        ("1.234", 1234.0, 1.234),
        ("1,234", 1.234, 1234.0),
        ("999.999", 999999.0, 999.999),
    ],
)
def test_parse_number_ambiguous_text_follows_the_locale(text: str, vi: float, en: float) -> None:
    assert parse_number(text, "vi") == pytest.approx(vi)
    assert parse_number(text, "en") == pytest.approx(en)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, 5.0), (-2, -2.0), (70.06, 70.06), (0, 0.0), (1e20, 1e20)],
)
def test_parse_number_passes_numbers_through(value: float, expected: float) -> None:
    assert parse_number(value) == expected
    assert parse_number(value, "en") == expected


@pytest.mark.parametrize("value", [None, "", "   ", "\xa0", "\t\n", float("nan")])
def test_parse_number_empty_is_none(value: str | float | None) -> None:
    assert parse_number(value) is None


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("1.23.4", "vi"),  # malformed grouping
        ("1.2345", "vi"),
        ("12.34", "vi"),  # a decimal point in a vi column
        ("1234.567", "vi"),
        ("1.234,5,6", "vi"),
        ("1,2,3", "vi"),
        ("1,23", "en"),
        ("70,06", "en"),
        ("1,234,5", "en"),
        ("abc", "vi"),
        ("12abc", "vi"),
        ("%", "vi"),
        ("đ", "vi"),
        ("1 23", "vi"),
        ("--1", "vi"),
        ("1-", "vi"),
        ("5,", "vi"),
        ("1e5", "vi"),  # exponents are for machine-written (en) columns
        ("١٢٣", "vi"),  # Arabic-Indic digits
        ("1.000 USD", "vi"),
        ("∞", "en"),
    ],
)
def test_parse_number_rejects_malformed_text(text: str, locale: str) -> None:
    with pytest.raises(ValueError, match=value_in_message(text)):
        parse_number(text, locale)  # type: ignore[arg-type]


def test_parse_number_error_explains_the_locale() -> None:
    with pytest.raises(ValueError, match=r"vi locale: '\.' groups thousands, ',' marks decimals"):
        parse_number("1.23.4")


@pytest.mark.parametrize("value", [True, False, float("inf"), float("-inf"), "1e999"])
def test_parse_number_rejects_booleans_and_infinities(value: object) -> None:
    locale = "en" if isinstance(value, str) else "vi"
    with pytest.raises(ValueError, match=value_in_message(value)):
        parse_number(value, locale)  # type: ignore[arg-type]


def test_parse_number_rejects_an_unknown_locale() -> None:
    with pytest.raises(TypeError, match="'fr'"):
        parse_number("1", "fr")  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_parse_number_reads_what_vietnamese_excel_writes(whole: int, cents: int) -> None:
    vi = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    en = f"{whole:,}.{cents:02d}"
    expected = whole + cents / 100
    assert parse_number(vi, "vi") == pytest.approx(expected)
    assert parse_number(en, "en") == pytest.approx(expected)


# --- parse_datetime -----------------------------------------------------------------

D = datetime


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # dd/MM/yyyy and its variants
        ("15/03/2023", D(2023, 3, 15)),
        ("15/03/2023 08:30", D(2023, 3, 15, 8, 30)),
        ("15/03/2023 08:30:15", D(2023, 3, 15, 8, 30, 15)),
        ("15/03/2023 8:30", D(2023, 3, 15, 8, 30)),
        ("5/3/2023", D(2023, 3, 5)),  # unpadded, day first
        ("5/3/2023 7:05", D(2023, 3, 5, 7, 5)),
        ("5/3/2023 07:05:09", D(2023, 3, 5, 7, 5, 9)),
        ("01/02/2023", D(2023, 2, 1)),  # day first, never US month first
        ("15-03-2023", D(2023, 3, 15)),
        ("15-03-2023 08:30", D(2023, 3, 15, 8, 30)),
        ("15-03-2023 08:30:15", D(2023, 3, 15, 8, 30, 15)),
        ("5-3-2023", D(2023, 3, 5)),
        ("15.03.2023", D(2023, 3, 15)),
        ("15/03/2023  08:30", D(2023, 3, 15, 8, 30)),
        ("15/03/2023\xa008:30", D(2023, 3, 15, 8, 30)),
        ("  15/03/2023  ", D(2023, 3, 15)),
        ("15/03/2023 08:30:15.250", D(2023, 3, 15, 8, 30, 15, 250000)),
        ("15/03/2023 08:30 SA", D(2023, 3, 15, 8, 30)),  # sáng
        ("15/03/2023 08:30 CH", D(2023, 3, 15, 20, 30)),  # chiều
        ("15/03/2023 12:10:00 SA", D(2023, 3, 15, 0, 10)),
        ("15/03/2023 12:10 CH", D(2023, 3, 15, 12, 10)),
        ("15/03/2023 8:30 PM", D(2023, 3, 15, 20, 30)),
        ("08:30 15/03/2023", D(2023, 3, 15, 8, 30)),  # time first, as some portals show
        ("08:30:15 5/3/2023", D(2023, 3, 5, 8, 30, 15)),
        # DVCQG and other compact forms
        ("20230315083015", D(2023, 3, 15, 8, 30, 15)),
        ("202303150830", D(2023, 3, 15, 8, 30)),
        ("20230315", D(2023, 3, 15)),
        (20230315083015, D(2023, 3, 15, 8, 30, 15)),
        (20230315, D(2023, 3, 15)),
        (20230315083015.0, D(2023, 3, 15, 8, 30, 15)),  # an int that went through a float
        # ISO 8601
        ("2023-03-15", D(2023, 3, 15)),
        ("2023-3-5", D(2023, 3, 5)),
        ("2023/03/15", D(2023, 3, 15)),
        ("2023-03-15T08:30", D(2023, 3, 15, 8, 30)),
        ("2023-03-15T08:30:15", D(2023, 3, 15, 8, 30, 15)),
        ("2023-03-15 08:30:15", D(2023, 3, 15, 8, 30, 15)),
        ("2023-03-15T08:30:15.5", D(2023, 3, 15, 8, 30, 15, 500000)),
        ("2023-03-15T08:30:15.123456", D(2023, 3, 15, 8, 30, 15, 123456)),
        ("2023-03-15T08:30:15.1234567", D(2023, 3, 15, 8, 30, 15, 123456)),  # .NET's 7 digits
        ("2023-03-15T01:30:15Z", D(2023, 3, 15, 8, 30, 15)),  # UTC -> UTC+7
        ("2023-03-15T01:30:15.5Z", D(2023, 3, 15, 8, 30, 15, 500000)),
        ("2023-03-15t01:30:15z", D(2023, 3, 15, 8, 30, 15)),
        ("2023-03-15T08:30:15+07:00", D(2023, 3, 15, 8, 30, 15)),
        ("2023-03-15T08:30:15+0700", D(2023, 3, 15, 8, 30, 15)),
        ("2023-03-15T08:30:15+07", D(2023, 3, 15, 8, 30, 15)),
        ("2023-03-15T08:30:15+00:00", D(2023, 3, 15, 15, 30, 15)),
        ("2023-03-15T20:30:00-05:00", D(2023, 3, 16, 8, 30)),  # crosses midnight
        ("2023-03-15T08:30:15+09:30", D(2023, 3, 15, 6, 0, 15)),
        # Excel serial numbers (1900 date system)
        (45000, D(2023, 3, 15)),
        (45000.0, D(2023, 3, 15)),
        (45000.5, D(2023, 3, 15, 12)),
        (45000 + 8.5 / 24, D(2023, 3, 15, 8, 30)),  # 0.3541666... rounds to 08:30:00
        (45000.75, D(2023, 3, 15, 18)),
        ("45000", D(2023, 3, 15)),
        ("45000.5", D(2023, 3, 15, 12)),
        ("45000,5", D(2023, 3, 15, 12)),
        (18264, D(1950, 1, 1)),
        (36526, D(2000, 1, 1)),
        # Epoch milliseconds (OpenCPS), read as UTC and shown in UTC+7
        (1678851015123, D(2023, 3, 15, 10, 30, 15, 123000)),
        (1678811400000, D(2023, 3, 14, 23, 30)),
        ("1678851015123", D(2023, 3, 15, 10, 30, 15, 123000)),
        (1678851015123.0, D(2023, 3, 15, 10, 30, 15, 123000)),
        # Python objects
        (D(2023, 3, 15, 8, 30), D(2023, 3, 15, 8, 30)),  # naive: already local
        (D(2023, 3, 15, 1, 30, tzinfo=UTC), D(2023, 3, 15, 8, 30)),
        (D(2023, 3, 15, 8, 30, tzinfo=timezone(timedelta(hours=7))), D(2023, 3, 15, 8, 30)),
        (D(2023, 3, 15, 10, 30, tzinfo=timezone(timedelta(hours=9))), D(2023, 3, 15, 8, 30)),
        (date(2023, 3, 15), D(2023, 3, 15)),
    ],
)
def test_parse_datetime(value: object, expected: datetime) -> None:
    result = parse_datetime(value)
    assert result == expected
    assert result is not None and result.tzinfo is None


@pytest.mark.parametrize("value", [None, "", "   ", "\xa0", float("nan")])
def test_parse_datetime_empty_is_none(value: object) -> None:
    assert parse_datetime(value) is None


def test_parse_datetime_uses_zoneinfo_equivalent_offset() -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        hcm = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no tz database")
    aware = D(2023, 3, 15, 8, 30, tzinfo=hcm)
    assert parse_datetime(aware) == D(2023, 3, 15, 8, 30)
    assert parse_datetime(aware.astimezone(UTC)) == D(2023, 3, 15, 8, 30)


@pytest.mark.parametrize(
    "value",
    [
        "31/02/2026",  # impossible dates
        "29/02/2023",
        "32/01/2023",
        "15/13/2023",
        "00/01/2023",
        "2026-02-31",
        "2023-13-01",
        "20260231000000",
        "20230315250000",
        "15/03/2023 24:00",
        "15/03/2023 08:60",
        "15/03/2023 13:00 CH",
        "15/03/2023 00:30 SA",
        # unrecognised forms
        "15/03/23",  # two-digit year: ambiguous century
        "15/03-2023",  # mixed separators
        "15 03 2023",
        "March 15, 2023",
        "15 tháng 3 năm 2023",
        "hôm qua",
        "2023-03-15T08:30:15+7",
        "abc",
        "-",
        # numbers that cannot be dates
        5,
        "5",
        2023,
        -45000,
        100000,
        "100000",
        1678851015,  # epoch seconds: not a supported form
        99999999999999,
        1.5,
        float("inf"),
        True,
        False,
        [2023, 3, 15],
    ],
)
def test_parse_datetime_rejects_bad_values(value: object) -> None:
    with pytest.raises(ValueError, match=value_in_message(value)):
        parse_datetime(value)


def test_parse_datetime_names_the_problem() -> None:
    with pytest.raises(ValueError, match=r"'31/02/2026' is not a valid date \(day is out of range"):
        parse_datetime("31/02/2026")
    with pytest.raises(ValueError, match="expected dd/MM/yyyy"):
        parse_datetime("March 15")
    with pytest.raises(ValueError, match="outside 1950-2100"):
        parse_datetime(5)


@pytest.mark.parametrize(
    ("value", "formats", "expected"),
    [
        ("03/15/2023", ["%m/%d/%Y"], D(2023, 3, 15)),
        ("15 03 2023", ["%d/%m/%Y", "%d %m %Y"], D(2023, 3, 15)),
        ("2023-03-15 08:30:00+0000", ["%Y-%m-%d %H:%M:%S%z"], D(2023, 3, 15, 15, 30)),
        (20230315, ["%Y%m%d"], D(2023, 3, 15)),
        (D(2023, 3, 15, 8), ["%m/%d/%Y"], D(2023, 3, 15, 8)),  # objects need no format
        (date(2023, 3, 15), ["%m/%d/%Y"], D(2023, 3, 15)),
        ("", ["%m/%d/%Y"], None),
        (None, ["%m/%d/%Y"], None),
        (float("nan"), ["%m/%d/%Y"], None),
    ],
)
def test_parse_datetime_with_formats(
    value: object, formats: list[str], expected: datetime | None
) -> None:
    assert parse_datetime(value, formats=formats) == expected


@pytest.mark.parametrize("value", ["25/12/2023", "2023-12-25", "45000", True])
def test_parse_datetime_with_formats_never_falls_back(value: object) -> None:
    # A column with a declared format is not second-guessed by the built-in forms.
    with pytest.raises(ValueError, match=value_in_message(value)):
        parse_datetime(value, formats=["%m/%d/%Y"])


# --- parse_bool ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        True, 1, 1.0, "1", " 1 ", "1.0", "true", "True", "TRUE", "t", "yes", "Yes", "y",
        "x", "X", "có", "Có", "CÓ", nfd("có"), "co", "Đ", "đ", "đã", "Đã", nfd("đã"),
        "đúng", "Đúng", "đạt", "✓",
    ],
)  # fmt: skip
def test_parse_bool_true(value: object) -> None:
    assert parse_bool(value) is True


@pytest.mark.parametrize(
    "value",
    [
        False, 0, 0.0, "0", " 0 ", "0.0", "false", "False", "FALSE", "f", "no", "NO", "n",
        "không", "Không", "KHÔNG", nfd("không"), "khong", "k", "ko", "sai", "chưa",
        "không  đạt", nfd("Không đạt"),
    ],
)  # fmt: skip
def test_parse_bool_false(value: object) -> None:
    assert parse_bool(value) is False


@pytest.mark.parametrize("value", [None, "", "  ", "\xa0", float("nan")])
def test_parse_bool_empty_is_none(value: object) -> None:
    assert parse_bool(value) is None


@pytest.mark.parametrize("value", [2, -1, 0.5, "2", "maybe", "có thể", "-", "oui", [1]])
def test_parse_bool_rejects_other_values(value: object) -> None:
    with pytest.raises(ValueError, match=value_in_message(value)):
        parse_bool(value)


# --- parse_int_code -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2, 2),
        (2.0, 2),
        ("2", 2),
        (" 02 ", 2),
        ("\xa010\xa0", 10),
        ("2.0", 2),
        ("2,0", 2),
        ("10", 10),
        (0, 0),
        ("+3", 3),
    ],
)
def test_parse_int_code(value: object, expected: int) -> None:
    assert parse_int_code(value) == expected


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_parse_int_code_empty_is_none(value: object) -> None:
    assert parse_int_code(value) is None


@pytest.mark.parametrize(
    "value", [2.5, "2.5", "abc", "2a", "٢", "1 0", "1.000", True, float("inf"), [2]]
)
def test_parse_int_code_rejects_other_values(value: object) -> None:
    with pytest.raises(ValueError, match=value_in_message(value)):
        parse_int_code(value)


# --- parse_channel ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "direct"),
        (2, "online"),
        (3, "postal"),
        (1.0, "direct"),
        ("1", "direct"),
        (" 02 ", "online"),
        ("3.0", "postal"),
        ("trực tiếp", "direct"),
        ("Trực tiếp", "direct"),
        ("TRỰC TIẾP", "direct"),
        (nfd("Trực tiếp"), "direct"),
        ("truc tiep", "direct"),
        ("Nộp trực tiếp", "direct"),
        ("direct", "direct"),
        ("Direct", "direct"),
        ("trực tuyến", "online"),
        ("Trực  tuyến", "online"),
        ("Nộp trực tuyến", "online"),
        ("online", "online"),
        ("ONLINE", "online"),
        ("bưu chính", "postal"),
        ("Bưu chính công ích", "postal"),
        ("Qua bưu chính", "postal"),
        ("BCCI", "postal"),
        ("bưu điện", "postal"),
        ("postal", "postal"),
    ],
)
def test_parse_channel(value: object, expected: str) -> None:
    assert parse_channel(value) == expected


@pytest.mark.parametrize("value", [None, "", "  ", float("nan")])
def test_parse_channel_empty_is_none(value: object) -> None:
    assert parse_channel(value) is None


@pytest.mark.parametrize("value", [0, 4, "4", "fax", "email", 2.5, True, "trực"])
def test_parse_channel_rejects_other_values(value: object) -> None:
    with pytest.raises(ValueError, match=value_in_message(value)):
        parse_channel(value)


# --- Text and headers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Mã hồ sơ  ", "Mã hồ sơ"),
        (nfd("Mã hồ sơ"), "Mã hồ sơ"),
        ("\xa0Ủy ban\n", "Ủy ban"),
        ("Hồ  sơ", "Hồ  sơ"),  # inner spacing is content
        ("", ""),
    ],
)
def test_normalize_text(value: str, expected: str) -> None:
    assert normalize_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mã hồ sơ", "mã hồ sơ"),
        ("MÃ HỒ SƠ", "mã hồ sơ"),
        (nfd("Mã hồ sơ"), "mã hồ sơ"),
        ("\ufeffMã hồ sơ", "mã hồ sơ"),
        ("  Mã   hồ\tsơ  ", "mã hồ sơ"),
        ("Ngày\ntiếp nhận", "ngày tiếp nhận"),  # wrapped Excel header
        ("Ngày\xa0tiếp\xa0nhận", "ngày tiếp nhận"),
        ("Mã hồ sơ:", "mã hồ sơ"),
        ("*Mã hồ sơ*", "mã hồ sơ"),
        ("- Trạng thái -", "trạng thái"),
        ("“Trạng thái”", "trạng thái"),
        ("[Mã hồ sơ]", "mã hồ sơ"),
        ("(Mã hồ sơ):", "mã hồ sơ"),
        ("Lệ phí (VNĐ)", "lệ phí (vnđ)"),  # a unit in brackets keeps its bracket
        ("Mã TTHC", "mã tthc"),
        ("MaHoSo", "mahoso"),
        ("", ""),
    ],
)
def test_normalize_header(value: str, expected: str) -> None:
    assert normalize_header(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mã hồ sơ", "Ma ho so"),
        (nfd("Mã hồ sơ"), "Ma ho so"),
        ("Đồng Tháp", "Dong Thap"),
        ("đường", "duong"),
        ("Ủy ban nhân dân", "Uy ban nhan dan"),
        ("ASCII", "ASCII"),
    ],
)
def test_strip_diacritics(value: str, expected: str) -> None:
    assert strip_diacritics(value) == expected


HEADER_CASES = [
    ("Mã hồ sơ", "dossier_id"),
    ("MÃ HỒ SƠ", "dossier_id"),
    (nfd("Mã hồ sơ"), "dossier_id"),
    ("\ufeffMã hồ sơ", "dossier_id"),
    ("Ma ho so", "dossier_id"),  # typed without diacritics
    ("ma_ho_so", "dossier_id"),
    ("MaHoSo", "dossier_id"),
    ("Số hồ sơ", "dossier_id"),
    ("Mã TTHC", "procedure_code"),
    ("Mã thủ tục", "procedure_code"),
    ("MaTTHC", "procedure_code"),
    ("Mã đơn vị", "unit_code"),
    ("Ma don vi", "unit_code"),
    ("Tên đơn vị", "unit_name"),
    ("Kênh thực hiện", "channel"),
    ("Hình thức nộp", "channel"),
    ("KenhThucHien", "channel"),
    ("Ngày tiếp nhận", "received_at"),
    ("Ngày\ntiếp nhận", "received_at"),
    ("NgayTiepNhan", "received_at"),
    ("Ngày hẹn trả", "due_at"),
    ("NgayHenTra", "due_at"),
    ("Ngày kết thúc xử lý", "finished_at"),
    ("NgayKetThucXuLy", "finished_at"),
    ("Ngày trả kết quả", "returned_at"),
    ("NgayTra", "returned_at"),
    ("Trạng thái", "status"),
    ("TrangThaiHoSo", "status"),
    ("Lệ phí", "fee_due"),
    ("Lệ phí (VNĐ)", "fee_due"),  # trailing unit ignored
    ("Thời hạn giải quyết (ngày)", "max_duration_days"),
    ("Số hóa", "digitized"),
    ("Số hoá", "digitized"),  # old-style tone placement
    ("Mã phản ánh", "petition_id"),
    ("received_at", "received_at"),  # model names match themselves
    ("Dossier_ID", "dossier_id"),
]


@pytest.mark.parametrize(("header", "column"), HEADER_CASES)
def test_header_map_column_for(header: str, column: str) -> None:
    assert HeaderMap(VIETNAMESE_HEADERS).column_for(header) == column


@pytest.mark.parametrize("header", ["STT", "Ghi chú", "Mã", "", "Ngày", "Số"])
def test_header_map_unknown_headers(header: str) -> None:
    assert HeaderMap(VIETNAMESE_HEADERS).column_for(header) is None


def test_header_map_resolve_keeps_source_order_and_skips_unknown() -> None:
    headers = ["STT", "Trạng thái", "\ufeffMã hồ sơ", "Ghi chú", "Ngay tiep nhan", "Ma TTHC"]
    assert HeaderMap(VIETNAMESE_HEADERS).resolve(headers) == {
        "Trạng thái": "status",
        "\ufeffMã hồ sơ": "dossier_id",
        "Ngay tiep nhan": "received_at",
        "Ma TTHC": "procedure_code",
    }
    assert list(HeaderMap(VIETNAMESE_HEADERS).resolve(headers)) == [
        "Trạng thái",
        "\ufeffMã hồ sơ",
        "Ngay tiep nhan",
        "Ma TTHC",
    ]


def test_header_map_resolve_prefers_the_stricter_match() -> None:
    resolved = HeaderMap(VIETNAMESE_HEADERS).resolve(["Ma ho so", "Mã hồ sơ"])
    assert resolved == {"Mã hồ sơ": "dossier_id"}


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (["Mã TTHC", "Mã thủ tục"], "headers 'Mã TTHC', 'Mã thủ tục' all map to column"),
        (["Mã hồ sơ", "Mã hồ sơ"], "header 'Mã hồ sơ' appears 2 times"),
    ],
)
def test_header_map_resolve_rejects_competing_headers(headers: list[str], message: str) -> None:
    with pytest.raises(DataError, match=re.escape(message)):
        HeaderMap(VIETNAMESE_HEADERS).resolve(headers)


def test_header_map_custom_mapping() -> None:
    header_map = HeaderMap({"Số biên nhận": "dossier_id", "Cơ quan": "unit_code"})
    assert header_map.columns == {"dossier_id", "unit_code"}
    assert header_map.resolve(["so bien nhan", "CƠ QUAN", "Mã hồ sơ"]) == {
        "so bien nhan": "dossier_id",
        "CƠ QUAN": "unit_code",
    }


def test_header_map_drops_keys_that_loosening_makes_ambiguous() -> None:
    # "Số" and "Sổ" differ only by a diacritic: each matches exactly, neither loosely.
    header_map = HeaderMap({"Số": "number", "Sổ": "book"})
    assert header_map.column_for("Số") == "number"
    assert header_map.column_for("sổ") == "book"
    assert header_map.column_for("So") is None


# --- VIETNAMESE_HEADERS covers the model -----------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column"),
    [(table.name, name) for table in TABLES.values() for name in table.column_names],
)
def test_vietnamese_headers_cover_every_model_column(table: str, column: str) -> None:
    assert column in VIETNAMESE_HEADERS.values(), f"{table}.{column} has no Vietnamese header"


def test_vietnamese_headers_only_name_model_columns() -> None:
    known = {name for table in TABLES.values() for name in table.column_names}
    assert set(VIETNAMESE_HEADERS.values()) <= known


@pytest.mark.parametrize(
    ("field", "column"),
    [
        ("MaHoSo", "dossier_id"),
        ("MaTTHC", "procedure_code"),
        ("KenhThucHien", "channel"),
        ("NgayTiepNhan", "received_at"),
        ("NgayHenTra", "due_at"),
        ("NgayKetThucXuLy", "finished_at"),
        ("NgayTra", "returned_at"),
        ("TrangThaiHoSo", "status"),
    ],
)
def test_vietnamese_headers_include_dvcqg_fields(field: str, column: str) -> None:
    assert VIETNAMESE_HEADERS[field] == column


@pytest.mark.parametrize(("header", "column"), sorted(VIETNAMESE_HEADERS.items()))
def test_every_default_header_resolves_in_every_spelling(header: str, column: str) -> None:
    header_map = HeaderMap(VIETNAMESE_HEADERS)
    for spelling in (header, header.upper(), nfd(header), strip_diacritics(header)):
        assert header_map.column_for(spelling) == column, spelling
