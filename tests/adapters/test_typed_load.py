"""Parsing cells into model types in SQL, and what load_table keeps or rejects.

The SQL parsers must agree with the Python ones in adapters/parsing.py on
every layout domain.md §4 lists; typed sources (Parquet, JSON, Excel numbers)
must never be re-read through a locale.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dvc_score.adapters import sql_parsing
from dvc_score.adapters.base import REJECTS_TABLE, RejectLog
from dvc_score.adapters.column_rules import parser_for
from dvc_score.adapters.parsing import parse_datetime
from dvc_score.adapters.typed_load import create_empty, load_table, reject_unknown_units
from dvc_score.errors import DataError
from dvc_score.model.schema import DOSSIERS, TABLES, UNITS

_SHARED = duckdb.connect()  # one session for the pure parsers: connecting costs more


def evaluate(sql: str, value: Any, sql_type: str = "VARCHAR") -> Any:
    query = f"SELECT {sql} FROM (SELECT CAST(? AS {sql_type}) AS v)"
    row = _SHARED.execute(query, [value]).fetchone()
    assert row is not None
    return row[0]


def column(name: str) -> Any:
    found = DOSSIERS.column(name) or UNITS.column(name) or TABLES["procedures"].column(name)
    assert found is not None
    return found


def parse(name: str, value: Any, source_type: str = "VARCHAR", locale: str = "vi") -> Any:
    sql = parser_for(column(name), source_type, locale).replace(f'"{name}"', "v")
    return evaluate(sql, value, source_type)


# --- Dates ----------------------------------------------------------------------------

DATES = [
    ("15/03/2026", datetime(2026, 3, 15)),
    ("15/03/2026 08:30", datetime(2026, 3, 15, 8, 30)),
    ("15/03/2026 08:30:45", datetime(2026, 3, 15, 8, 30, 45)),
    ("5/3/2026 8:05", datetime(2026, 3, 5, 8, 5)),
    ("15-03-2026 08:30", datetime(2026, 3, 15, 8, 30)),
    ("15.03.2026", datetime(2026, 3, 15)),
    ("08:30 15/03/2026", datetime(2026, 3, 15, 8, 30)),
    ("20260315083000", datetime(2026, 3, 15, 8, 30)),
    ("20260315", datetime(2026, 3, 15)),
    ("2026-03-15", datetime(2026, 3, 15)),
    ("2026-03-15T08:30:00", datetime(2026, 3, 15, 8, 30)),
    ("2026-03-15 08:30:00.123", datetime(2026, 3, 15, 8, 30, 0, 123000)),
    ("2026-03-15T01:30:00Z", datetime(2026, 3, 15, 8, 30)),
    ("2026-03-15T01:30:00 UTC", datetime(2026, 3, 15, 8, 30)),
    ("2026-03-15T08:30:00+07:00", datetime(2026, 3, 15, 8, 30)),
    ("2026-03-15T03:30:00+0200", datetime(2026, 3, 15, 8, 30)),
    ("2026-03-14T20:30:00-05", datetime(2026, 3, 15, 8, 30)),
    ("2026-03-15T06:00:00+05:30", datetime(2026, 3, 15, 7, 30)),
    ("2026-03-14T22:30:00-03:00", datetime(2026, 3, 15, 8, 30)),
    ("46096", datetime(2026, 3, 15)),
    ("46096.354166667", datetime(2026, 3, 15, 8, 30)),
    ("46096,5", datetime(2026, 3, 15, 12, 0)),
    ("1773538200000", datetime(2026, 3, 15, 8, 30)),  # epoch ms, UTC
    ("  15/03/2026  ", datetime(2026, 3, 15)),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_every_accepted_date_layout_parses_to_local_time(text: str, expected: datetime) -> None:
    assert parse("received_at", text) == expected


@pytest.mark.parametrize(("text", "expected"), [d for d in DATES if "UTC" not in d[0]])
def test_sql_and_python_parsers_agree(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(
    "text",
    ["31/02/2026", "15/13/2026", "2026-03-15T25:00", "12345", "99999", "hôm qua", "15/03/26",
     "03/15/2026", "2026-03-15T08:30:00+25:00x"],
)  # fmt: skip
def test_what_is_not_a_date_is_null(text: str) -> None:
    assert parse("received_at", text) is None


def test_typed_timestamps_pass_through_and_zoned_ones_become_local() -> None:
    assert parse("received_at", "2026-03-15 08:30:00", "TIMESTAMP") == datetime(2026, 3, 15, 8, 30)
    zoned = "2026-03-15 01:30:00+00"
    assert parse("received_at", zoned, "TIMESTAMPTZ") == datetime(2026, 3, 15, 8, 30)


def test_dates_in_number_columns_parse() -> None:
    assert parse("received_at", 20260315083000, "BIGINT") == datetime(2026, 3, 15, 8, 30)
    assert parse("received_at", 46096.5, "DOUBLE") == datetime(2026, 3, 15, 12, 0)


# --- Numbers ---------------------------------------------------------------------------

NUMBERS = [
    ("vi", "1.500.000", 1_500_000.0),
    ("vi", "70,06", 70.06),
    ("vi", "1.234,5", 1234.5),
    ("vi", "1.234", 1234.0),
    ("vi", "150.000 đ", 150_000.0),
    ("vi", "1 500 000", 1_500_000.0),
    ("vi", "-3,5", -3.5),
    ("en", "1,500,000", 1_500_000.0),
    ("en", "70.06", 70.06),
    ("en", "1.234", 1.234),
    ("en", "1e3", 1000.0),
    ("vi", "1,234.5", None),
    ("vi", "12.34", None),
    ("en", "1.234,5", None),
    ("vi", "abc", None),
]


@pytest.mark.parametrize(("locale", "text", "expected"), NUMBERS)
def test_numbers_follow_the_declared_locale(locale: str, text: str, expected: float | None) -> None:
    result = parse("fee_due", text, locale=locale)
    assert result == (pytest.approx(expected) if expected is not None else None)


def test_a_typed_number_is_never_read_through_the_locale() -> None:
    assert parse("fee_due", 1234.5, "DOUBLE", locale="vi") == 1234.5
    assert parse("fee_due", 1234, "BIGINT", locale="vi") == 1234.0


# --- Codes, flags and words -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "source_type", "expected"),
    [("9", "VARCHAR", 9), ("09", "VARCHAR", 9), ("9.0", "VARCHAR", 9), (9, "BIGINT", 9),
     (9.0, "DOUBLE", 9), (9.5, "DOUBLE", None), ("11", "VARCHAR", None), ("0", "VARCHAR", None),
     ("chín", "VARCHAR", None)],
)  # fmt: skip
def test_status_codes_as_text_or_numbers(value: Any, source_type: str, expected: int) -> None:
    assert parse("status", value, source_type) == expected


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [("channel", "2", "online"), ("channel", "2.0", "online"), ("channel", "Trực tiếp", "direct"),
     ("channel", "TRUC TUYEN", "online"), ("channel", "BCCI", "postal"), ("channel", "4", None),
     ("level", "Sở", "department"), ("level", "Xã", "commune"), ("level", "Huyện", "district"),
     ("level", "Tỉnh", "province"), ("level", "Phường", "commune"), ("level", "commune", "commune"),
     ("level", "thôn", None),
     ("online_level", "Toàn trình", "full"), ("online_level", "Một phần", "partial"),
     ("online_level", "Mức độ 4", "full"), ("online_level", "none", "none"),
     ("rating", "Hài lòng", "satisfied"), ("rating", "Không hài lòng", "unsatisfied"),
     ("rating", "KHONG HAI LONG", "unsatisfied"), ("rating", "unsatisfied", "unsatisfied"),
     ("rating", "tạm được", None)],
)  # fmt: skip
def test_words_map_to_model_values(name: str, value: str, expected: str | None) -> None:
    assert parse(name, value) == expected


def test_channel_codes_arrive_as_numbers_too() -> None:
    assert parse("channel", 3, "BIGINT") == "postal"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("có", True), ("Có", True), ("x", True), ("1", True), ("1.0", True), ("đã", True),
     ("không", False), ("KHÔNG", False), ("0", False), ("chưa", False), ("false", False),
     ("2", None), ("có lẽ", None)],
)  # fmt: skip
def test_yes_no_words(value: str, expected: bool | None) -> None:
    assert parse("paid_online", value) is expected


def test_yes_no_from_typed_sources() -> None:
    assert parse("paid_online", True, "BOOLEAN") is True
    assert parse("paid_online", 1, "BIGINT") is True
    assert parse("paid_online", 2, "BIGINT") is None  # not silently "true"


def test_text_is_trimmed_and_precomposed() -> None:
    assert parse("unit_name", "  Xa\u0303 A ") == "Xã A"
    assert parse("procedure_code", 2.000815, "DOUBLE") == "2.000815"
    assert parse("unit_code", 12345.0, "DOUBLE") == "12345"  # a code through a float column


def test_the_word_tables_use_the_same_key_in_sql_and_python() -> None:
    for word in ("Không hài lòng", "Sở, ban, ngành", "  Toàn   trình "):
        assert evaluate(sql_parsing.choice_key("v"), word) == sql_parsing.word_key(word)


# --- load_table ------------------------------------------------------------------------


def raw_dossiers(con: duckdb.DuckDBPyConnection, rows: list[tuple[Any, ...]]) -> str:
    con.execute(
        "CREATE TABLE raw (dossier_id VARCHAR, unit_code VARCHAR, procedure_code VARCHAR,"
        " received_at VARCHAR, status VARCHAR, __file VARCHAR, __row BIGINT)"
    )
    con.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?, 'd.csv', ?)", rows)
    return "raw"


def rejected(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return con.execute(
        f'SELECT row, "column", value, reason FROM {REJECTS_TABLE} ORDER BY row'
    ).fetchall()


def test_a_duplicate_key_keeps_the_first_valid_row() -> None:
    con = duckdb.connect()
    raw = raw_dossiers(con, [
        ("HS1", "P", "1.1", "not a date", "9", 2),
        ("HS1", "P", "1.1", "03/08/2026", "9", 3),
        (" HS1 ", "P", "1.1", "04/08/2026", "9", 4),
    ])  # fmt: skip
    rejects = RejectLog(con)
    load_table(con, raw, DOSSIERS, rejects, "vi")
    assert con.execute("SELECT __row, received_at FROM dossiers").fetchall() == [
        (3, datetime(2026, 8, 3))
    ]
    assert [(r, c) for r, c, _, _ in rejected(con)] == [(2, "received_at"), (4, "dossier_id")]
    assert rejected(con)[1][2] == " HS1 "  # the value as written
    assert (rejects.rows_read["dossiers"], rejects.rows_accepted["dossiers"]) == (3, 1)


def test_the_first_bad_column_names_the_reject() -> None:
    con = duckdb.connect()
    raw = raw_dossiers(con, [("HS1", "", "1.1", "bad", "99", 2)])
    load_table(con, raw, DOSSIERS, RejectLog(con), "vi")
    assert rejected(con) == [(2, "unit_code", "", "required unit_code is empty")]


def test_a_missing_required_column_names_the_file() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE raw AS SELECT 'HS1' AS dossier_id, 'x.csv' AS __file, 2 AS __row")
    with pytest.raises(DataError, match=r"x\.csv: missing required column\(s\) unit_code"):
        load_table(con, "raw", DOSSIERS, RejectLog(con), "vi")


def test_rows_the_reader_set_aside_count_as_read_and_rejected() -> None:
    con = duckdb.connect()
    raw = raw_dossiers(con, [("HS1", "P", "1.1", "03/08/2026", "9", 2)])
    rejects = RejectLog(con)
    reason = "unreadable CSV record: fewer fields than the header"
    rejects.add("dossiers", "d.csv", 3, "status", "HS2,P", reason)
    load_table(con, raw, DOSSIERS, rejects, "vi")
    assert (rejects.rows_read["dossiers"], rejects.rows_accepted["dossiers"]) == (2, 1)
    assert rejected(con)[0][3].startswith("unreadable CSV record")


def test_extra_source_columns_are_kept() -> None:
    con = duckdb.connect()
    raw = raw_dossiers(con, [("HS1", "P", "1.1", "03/08/2026", "9", 2)])
    con.execute("ALTER TABLE raw ADD COLUMN ghi_chu VARCHAR DEFAULT 'gấp'")
    load_table(con, raw, DOSSIERS, RejectLog(con), "vi")
    assert con.execute("SELECT ghi_chu FROM dossiers").fetchall() == [("gấp",)]


def test_unknown_units_are_rejected_from_loaded_and_plugin_built_tables() -> None:
    con = duckdb.connect()
    for table in TABLES.values():
        create_empty(con, table)
    con.execute("INSERT INTO units (unit_code, unit_name, level) VALUES ('P', 'Tỉnh', 'province')")
    con.execute(
        "INSERT INTO petitions (petition_id, unit_code, received_at) VALUES"
        " ('PA1', 'P', '2026-08-01'), ('PA2', 'Q', '2026-08-01')"
    )
    raw = raw_dossiers(con, [("HS1", "P", "1.1", "03/08/2026", "9", 2),
                             ("HS2", "Q", "1.1", "03/08/2026", "9", 3)])  # fmt: skip
    rejects = RejectLog(con)
    load_table(con, raw, DOSSIERS, rejects, "vi")
    assert reject_unknown_units(con, rejects) == 2
    assert con.execute("SELECT dossier_id FROM dossiers").fetchall() == [("HS1",)]
    assert con.execute("SELECT petition_id FROM petitions").fetchall() == [("PA1",)]
    found = con.execute(f"SELECT table_name, file, row, value FROM {REJECTS_TABLE} ORDER BY 1")
    assert found.fetchall() == [("dossiers", "d.csv", 3, "Q"), ("petitions", "<petitions>", 2, "Q")]
    assert rejects.rows_accepted["dossiers"] == 1


def test_unknown_units_drop_out_of_a_lazy_view_too() -> None:
    con = duckdb.connect()
    for table in TABLES.values():
        create_empty(con, table)
    con.execute("INSERT INTO units (unit_code, unit_name, level) VALUES ('P', 'Tỉnh', 'province')")
    raw_dossiers(con, [("HS1", "P", "1.1", "03/08/2026", "9", 2),
                       ("HS2", "Q", "1.1", "03/08/2026", "9", 3)])  # fmt: skip
    con.execute("CREATE VIEW raw_view AS SELECT * FROM raw")  # as Parquet sources are
    rejects = RejectLog(con)
    load_table(con, "raw_view", DOSSIERS, rejects, "vi")
    reject_unknown_units(con, rejects)
    assert con.execute("SELECT dossier_id FROM dossiers").fetchall() == [("HS1",)]


# --- Fast paths agree with the full parsers -------------------------------------------

NUMBERISH = st.text(alphabet="0123456789.,-+eE nai", min_size=1, max_size=9)
WRITTEN = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(2**40), 2**40).map(str),
)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(NUMBERISH, WRITTEN), locale=st.sampled_from(["vi", "en"]))
@example(text="inf", locale="en")
@example(text="nan", locale="en")
@example(text="1e+20", locale="en")
@example(text="1.5", locale="vi")
@example(text="-0", locale="en")
def test_the_number_shortcut_never_changes_a_value(text: str, locale: str) -> None:
    # parse_number tries the cell as DuckDB writes numbers before the rules.
    fast = sql_parsing.parse_number("v", locale)
    assert evaluate(fast, text) == evaluate(sql_parsing.number_by_rules("v", locale), text)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(NUMBERISH, WRITTEN))
def test_the_whole_number_shortcut_never_changes_a_value(text: str) -> None:
    expected = evaluate(sql_parsing.integer_by_rules("v"), text)
    assert evaluate(sql_parsing.parse_integer("v"), text) == expected
