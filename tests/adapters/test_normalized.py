"""The normalized-folder adapter on a realistic Vietnamese export, in every format.

tests/fixtures/province_vi holds what a one-stop system exports (see
samples.py); each test pins one thing a user relies on: values parsed exactly,
every lost row accounted for, the same answers from CSV, Parquet, JSON lines
and split files, and one clear line for a file that cannot be read.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dvc_score.adapters.base import REJECTS_TABLE, Dataset, ReadOptions
from dvc_score.adapters.normalized import NormalizedFolderAdapter, raw_relation, table_files
from dvc_score.errors import DataError
from dvc_score.testing import run_cli
from tests.adapters import samples


def read(folder: Path, locale: str | None = None) -> Dataset:
    result = NormalizedFolderAdapter().read(
        folder,
        duckdb.connect(),
        ReadOptions(locale=locale),  # type: ignore[arg-type]
    )
    assert isinstance(result, Dataset)
    return result


def rows(dataset: Dataset, sql: str) -> list[tuple[Any, ...]]:
    return dataset.con.execute(sql).fetchall()


def rejects(dataset: Dataset) -> set[tuple[str, str, int, str, str]]:
    """(table, file name, row, column, reason up to its first ':' or '(' detail)."""
    found = rows(dataset, f'SELECT table_name, file, row, "column", reason FROM {REJECTS_TABLE}')
    return {(t, Path(f).name, r, c, _short(reason)) for t, f, r, c, reason in found}


def _short(reason: str) -> str:
    for expected in {e[4] for e in samples.EXPECTED_REJECTS}:
        if reason.startswith(expected):
            return expected
    return reason


@pytest.fixture(scope="module")
def province() -> Dataset:
    return read(samples.PROVINCE)


def dossier(dataset: Dataset, suffix: str) -> dict[str, Any]:
    cursor = dataset.con.execute(
        "SELECT * EXCLUDE (__file) FROM dossiers WHERE dossier_id LIKE '%' || ?", [suffix]
    )
    names = [d[0] for d in cursor.description]
    found = cursor.fetchall()
    assert len(found) == 1, found
    return dict(zip(names, found[0], strict=True))


# --- Values ---------------------------------------------------------------------------


def test_day_first_dates_in_every_layout_become_local_times(province: Dataset) -> None:
    assert dossier(province, "0001")["received_at"] == datetime(2026, 8, 3, 8, 30)
    assert dossier(province, "0002")["received_at"] == datetime(2026, 8, 4, 9, 5)  # 4/8/2026 9:05
    assert dossier(province, "0002")["due_at"] == datetime(2026, 8, 18)
    assert dossier(province, "0003")["received_at"] == datetime(2026, 8, 5, 9, 0)  # Excel serial
    assert dossier(province, "0006")["received_at"] == datetime(2026, 8, 7, 14, 0)  # dd-MM-yyyy
    assert dossier(province, "0001")["finished_at"] == datetime(2026, 8, 10, 15, 30)  # yyyyMMdd…


def test_iso_times_with_an_offset_are_converted_to_utc_plus_7(province: Dataset) -> None:
    assert dossier(province, "0001")["returned_at"] == datetime(2026, 8, 11, 9, 0)  # …T02:00Z
    assert dossier(province, "0003")["finished_at"] == datetime(2026, 8, 5, 16, 0)  # +07:00
    assert dossier(province, "0007")["finished_at"] == datetime(2026, 8, 8, 10, 0)  # T03:00Z


def test_vietnamese_headers_read_money_with_the_vi_locale(province: Dataset) -> None:
    assert dossier(province, "0001")["fee_due"] == 200_000.0  # "200.000"
    assert dossier(province, "0003")["fee_due"] == 15_000.5  # "15.000,5"
    durations = rows(province, "SELECT DISTINCT max_duration_days FROM procedures ORDER BY 1")
    assert durations == [(0.5,), (1.0,), (10.0,)]  # "0,5"


def test_codes_and_words_map_to_model_values(province: Dataset) -> None:
    assert [dossier(province, f"000{i}")["channel"] for i in range(1, 8)] == [
        "online", "online", "direct", "postal", "postal", "direct", "online",
    ]  # fmt: skip
    assert dossier(province, "0003")["status"] == 9  # "9.0"
    assert dossier(province, "0001")["paid_online"] is True  # "có"
    assert dossier(province, "0002")["paid_online"] is False  # "không"
    levels = rows(province, "SELECT unit_code, level FROM units ORDER BY unit_code")
    assert [level for _, level in levels] == [
        "province", "department", "district", "commune", "commune",
    ]  # fmt: skip
    online = rows(province, "SELECT DISTINCT online_level FROM procedures ORDER BY 1")
    assert online == [("full",), ("partial",)]


def test_decomposed_vietnamese_is_stored_precomposed(province: Dataset) -> None:
    assert dossier(province, "0003")["rating"] == "unsatisfied"  # NFD "Không hài lòng"
    name = rows(province, "SELECT unit_name FROM units WHERE unit_code = 'H99.20.1'")[0][0]
    assert name == "UBND xã Ân Nghĩa" and unicodedata.is_normalized("NFC", name)


def test_semicolon_csv_and_json_lines_load(province: Dataset) -> None:
    assert province.rejects.rows_accepted["procedures"] == 4  # procedures.csv uses ";"
    petition = rows(province, "SELECT received_at, resolved_at, category FROM petitions"
                              " WHERE petition_id = 'PA-002'")  # fmt: skip
    assert petition == [(datetime(2026, 8, 6, 8, 0), None, "Hộ tịch")]


# --- Rejects --------------------------------------------------------------------------


def test_every_lost_row_is_in_the_reject_log_with_file_row_column_reason(
    province: Dataset,
) -> None:
    assert rejects(province) == samples.EXPECTED_REJECTS


def test_rows_read_and_accepted_add_up(province: Dataset) -> None:
    assert province.rejects.rows_read == samples.ROWS_READ
    assert province.rejects.rows_accepted == samples.ROWS_ACCEPTED
    for table, accepted in samples.ROWS_ACCEPTED.items():
        assert rows(province, f"SELECT count(*) FROM {table}") == [(accepted,)]


def test_the_first_valid_row_of_a_duplicate_key_is_kept(province: Dataset) -> None:
    kept = dossier(province, "0001")
    assert (kept["status"], kept["__row"]) == (10, 2)  # row 11 repeats it with status 4


# --- Locale -----------------------------------------------------------------------------


def _model_header_folder(tmp_path: Path, fee: str) -> Path:
    folder = tmp_path / "en"
    folder.mkdir()
    samples.write_csv(folder / "units.csv", [["unit_code", "unit_name", "level", "parent_code"],
                                             ["P", "Tỉnh", "province", ""]])  # fmt: skip
    samples.write_csv(folder / "dossiers.csv", [
        ["dossier_id", "unit_code", "procedure_code", "received_at", "status", "fee_due"],
        ["D1", "P", "1.1", "2026-08-03 08:00", "9", fee],
    ])  # fmt: skip
    return folder


def test_model_headers_read_numbers_with_the_en_locale(tmp_path: Path) -> None:
    dataset = read(_model_header_folder(tmp_path, "1,500.25"))
    assert rows(dataset, "SELECT fee_due FROM dossiers") == [(1500.25,)]


def test_the_locale_option_overrides_the_headers(tmp_path: Path) -> None:
    dataset = read(_model_header_folder(tmp_path, "1.500,25"), locale="vi")
    assert rows(dataset, "SELECT fee_due FROM dossiers") == [(1500.25,)]
    vi_file_read_as_en = read(samples.PROVINCE, locale="en")
    assert dossier(vi_file_read_as_en, "0001")["fee_due"] == 200.0  # "200.000" the en way


# --- Formats -----------------------------------------------------------------------------


def contents(dataset: Dataset) -> dict[str, list[tuple[Any, ...]]]:
    """Every model table's rows, typed and sorted, without where they came from."""
    from dvc_score.model.schema import TABLES

    found = {}
    for name, table in TABLES.items():
        columns = ", ".join(f'"{c}"' for c in table.column_names)
        found[name] = rows(dataset, f"SELECT {columns} FROM {name} ORDER BY ALL")
    return found


@pytest.fixture(scope="module")
def csv_contents(province: Dataset) -> dict[str, list[tuple[Any, ...]]]:
    return contents(province)


def test_split_parts_give_the_same_tables_and_counts_as_one_file(
    tmp_path: Path, csv_contents: Any
) -> None:
    folder = samples.copy_province(tmp_path / "split")
    samples.split_dossiers(folder)
    dataset = read(folder)
    assert dataset.rejects.rows_read == samples.ROWS_READ
    assert dataset.rejects.rows_accepted == samples.ROWS_ACCEPTED
    assert contents(dataset) == csv_contents
    parts = {(Path(f).name, r) for f, r in rows(dataset, f"SELECT file, row FROM {REJECTS_TABLE}")}
    assert ("part-2.csv", 5) in parts  # rows are numbered within their own part


def test_parquet_gives_the_same_tables_as_csv(tmp_path: Path, csv_contents: Any) -> None:
    folder = samples.as_parquet(samples.PROVINCE, tmp_path / "parquet")
    dataset = read(folder)
    assert dataset.rejects.rows_read == samples.ROWS_ACCEPTED  # only accepted rows were written
    assert len(dataset.rejects) == 0
    assert contents(dataset) == csv_contents


def test_json_lines_give_the_same_tables_as_csv(tmp_path: Path, csv_contents: Any) -> None:
    folder = samples.copy_province(tmp_path / "jsonl")
    for table in ("units", "procedures", "dossiers"):
        path = folder / samples.TABLE_FILES[table]
        header, *body = samples.csv_rows(path)
        lines = [json.dumps(dict(zip(header, row, strict=False)), ensure_ascii=False)
                 for row in body if len(row) == len(header) and any(row)]  # fmt: skip
        (folder / f"{table}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        path.unlink()
    assert contents(read(folder)) == csv_contents


def test_typed_parquet_timestamps_with_a_zone_become_local(tmp_path: Path) -> None:
    folder = tmp_path / "tz"
    folder.mkdir()
    con = duckdb.connect()
    con.execute(f"COPY (SELECT 'P' AS unit_code, 'Tỉnh' AS unit_name, 'province' AS level)"
                f" TO '{folder / 'units.parquet'}'")  # fmt: skip
    con.execute(
        "COPY (SELECT 'D1' AS dossier_id, 'P' AS unit_code, '1.1' AS procedure_code,"
        " TIMESTAMPTZ '2026-08-03 01:00:00+00' AS received_at, 9 AS status,"
        " TIMESTAMP '2026-08-04 17:00:00' AS due_at)"
        f" TO '{folder / 'dossiers.parquet'}'"
    )
    dataset = read(folder)
    assert rows(dataset, "SELECT received_at, due_at FROM dossiers") == [
        (datetime(2026, 8, 3, 8, 0), datetime(2026, 8, 4, 17, 0))
    ]


def test_tables_may_be_named_in_vietnamese(tmp_path: Path) -> None:
    folder = samples.copy_province(tmp_path / "vi-names")
    (folder / "units.csv").rename(folder / "Đơn vị.csv")
    (folder / "dossiers.csv").rename(folder / "ho_so.csv")
    assert table_files(folder, "units") == [folder / "Đơn vị.csv"]
    assert read(folder).rejects.rows_accepted == samples.ROWS_ACCEPTED


def test_a_header_only_file_is_an_empty_table(tmp_path: Path) -> None:
    folder = samples.copy_province(tmp_path / "empty-petitions")
    (folder / "petitions.jsonl").unlink()
    (folder / "procedures.csv").write_text("Mã TTHC;Mã đơn vị\n", encoding="utf-8")
    dataset = read(folder)
    assert dataset.rejects.rows_read["procedures"] == 0
    assert rows(dataset, "SELECT count(*) FROM petitions") == [(0,)]


def test_raw_relation_keeps_unknown_headers_as_snake_case(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    samples.write_csv(path, [["Mã hồ sơ", "Ghi chú nội bộ"], ["HS1", "gấp"]], bom=True)
    con = duckdb.connect()
    raw = raw_relation(con, "dossiers", [path])
    assert con.execute(f"SELECT dossier_id, ghi_chú_nội_bộ, __row FROM {raw}").fetchall() == [
        ("HS1", "gấp", 2)
    ]


# --- Files that cannot be read: one line naming the file -------------------------------


def _with_dossiers(tmp_path: Path, content: bytes) -> Path:
    folder = samples.copy_province(tmp_path / "broken")
    (folder / "dossiers.csv").write_bytes(content)
    return folder


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "dossiers.csv: the file is empty (0 bytes)"),
        ("Mã hồ sơ,Mã đơn vị\nHS1,H99\n".encode(), "dossiers.csv: missing required column(s)"),
        (samples.tcvn3("Mã hồ sơ,Tên thủ tục\nHS1,Đăng ký khai sinh cho người dân\n"),
         "looks TCVN3 (ABC)-encoded"),
        (samples.cp1258("Mã hồ sơ,Tên thủ tục\nHS1,Đăng ký khai sinh cho người dân\n"),
         "looks Windows-1258 (CP1258)-encoded"),
        ("Mã hồ sơ,Ngày tiếp nhận\n".encode("utf-16"), "UTF-16"),
    ],
    ids=["empty", "missing-column", "tcvn3", "cp1258", "utf-16"],
)  # fmt: skip
def test_an_unreadable_file_is_one_line_naming_it(
    tmp_path: Path, content: bytes, message: str
) -> None:
    folder = _with_dossiers(tmp_path, content)
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read(folder)
    result = run_cli(["validate", "--data", str(folder)])
    assert result.exit_code == 2
    assert "dossiers.csv" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_table_in_two_formats_is_refused(tmp_path: Path) -> None:
    folder = samples.copy_province(tmp_path / "twice")
    (folder / "dossiers.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(DataError, match="dossiers is given in several formats"):
        read(folder)


def test_a_folder_without_dossiers_lists_what_it_found(tmp_path: Path) -> None:
    folder = samples.copy_province(tmp_path / "no-dossiers")
    (folder / "dossiers.csv").rename(folder / "hoso_thang8.csv")
    with pytest.raises(DataError, match=r"no dossiers table .*found: .*hoso_thang8.csv"):
        read(folder)


def test_an_unsplittable_line_is_logged_even_if_a_plugin_reshapes_the_relation(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("so,don_vi\nHS1,P\nHS2,P,thừa\n", encoding="utf-8")
    con = duckdb.connect()
    raw = raw_relation(con, "dossiers", [path])
    logged = con.execute(f"SELECT table_name, row, reason FROM {REJECTS_TABLE}").fetchall()
    assert logged == [("dossiers", 3, "unreadable CSV record: more fields than the header")]
    assert con.execute(f"SELECT so FROM {raw}").fetchall() == [("HS1",)]
