"""The Excel adapter: a province's workbook, one sheet per table.

The workbook is the CSV province of samples.py as Excel writes it: sheets
named in Vietnamese, a title row above a header, date cells and number cells.
It must give the same tables as the CSV folder, and say in one line why a
workbook cannot be read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest

from dvc_score.adapters.base import REJECTS_TABLE, Dataset, ReadOptions
from dvc_score.adapters.excel import ExcelAdapter, cell_text
from dvc_score.adapters.normalized import NormalizedFolderAdapter
from dvc_score.errors import DataError
from dvc_score.testing import run_cli
from tests.adapters import samples

TABLES_COMPARED = ("units", "procedures", "dossiers")


def read(path: Path) -> Dataset:
    result = ExcelAdapter().read(path, duckdb.connect(), ReadOptions())
    assert isinstance(result, Dataset)
    return result


def samples_workbook(dataset: Dataset) -> Path:
    return Path(dataset.source)


def table(dataset: Dataset, name: str) -> list[tuple[Any, ...]]:
    from dvc_score.model.schema import TABLES

    columns = ", ".join(f'"{c}"' for c in TABLES[name].column_names)
    return dataset.con.execute(f"SELECT {columns} FROM {name} ORDER BY ALL").fetchall()


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return samples.as_excel(samples.PROVINCE, tmp_path_factory.mktemp("xlsx") / "tinh.xlsx")


@pytest.fixture(scope="module")
def from_excel(workbook: Path) -> Dataset:
    return read(workbook)


def test_the_workbook_gives_the_same_tables_as_the_csv_folder(from_excel: Dataset) -> None:
    from_csv = NormalizedFolderAdapter().read(samples.PROVINCE, duckdb.connect(), ReadOptions())
    assert isinstance(from_csv, Dataset)
    for name in TABLES_COMPARED:
        assert table(from_excel, name) == table(from_csv, name), name


def test_the_same_rows_are_rejected_one_sheet_row_lower(from_excel: Dataset) -> None:
    found = from_excel.con.execute(
        f'SELECT table_name, file, row, "column" FROM {REJECTS_TABLE}'
    ).fetchall()
    # The title row pushes every row down by one. The CSV's short line is, in a
    # sheet, a row whose last cells are empty: it lacks its required status.
    expected = {
        (r + 1, "status" if r == 13 else c)
        for t, _, r, c, _ in samples.EXPECTED_REJECTS
        if t == "dossiers"
    }
    assert {(row, column) for _, _, row, column in found} == expected
    assert all(file.endswith("tinh.xlsx:Hồ sơ") for _, file, _, _ in found)


def test_date_cells_and_number_cells_are_read_as_such(from_excel: Dataset) -> None:
    row = from_excel.con.execute(
        "SELECT received_at, due_at, fee_due, __row FROM dossiers"
        " WHERE dossier_id = '000.00.01.H99-260803-0001'"
    ).fetchone()
    assert row == (datetime(2026, 8, 3, 8, 30), datetime(2026, 8, 17, 17, 0), 200_000.0, 3)
    cells = openpyxl.load_workbook(samples_workbook(from_excel), read_only=True)["Hồ sơ"]
    assert isinstance(next(cells.iter_rows(min_row=3, values_only=True))[4], datetime)


def test_rows_read_count_data_rows_only(from_excel: Dataset) -> None:
    expected = {t: n for t, n in samples.ROWS_READ.items() if t != "petitions"}
    assert from_excel.rejects.rows_read == expected
    accepted = {t: n for t, n in samples.ROWS_ACCEPTED.items() if t != "petitions"}
    assert from_excel.rejects.rows_accepted == accepted


def test_run_detects_the_workbook_and_scores_it(workbook: Path, tmp_path: Path) -> None:
    result = run_cli(["run", "--data", str(workbook), "-p", "2026-08", "-f", "json",
                      "--reject-file", str(tmp_path / "r.csv")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"unit_code": "H99.20.1"' in result.stdout
    assert "tinh.xlsx:Hồ sơ" in (tmp_path / "r.csv").read_text(encoding="utf-8")


def _book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


UNITS = [["unit_code", "unit_name", "level", "parent_code"], ["P", "Tỉnh", "Tỉnh", None]]


def test_a_value_without_a_header_rejects_its_row_and_blank_rows_are_skipped(
    tmp_path: Path,
) -> None:
    dossiers = [
        ["Mã hồ sơ", "Mã TTHC", "Mã đơn vị", "Ngày tiếp nhận", "Trạng thái"],
        ["HS1", "1.1", "P", datetime(2026, 8, 3, 8, 0), 9],
        [None, None, None, None, None],
        ["HS2", "1.1", "P", "04/08/2026", "9", "ghi chú lạc chỗ"],
    ]
    dataset = read(_book(tmp_path / "b.xlsx", {"Đơn vị": UNITS, "ho so": dossiers}))
    assert dataset.rejects.rows_read["dossiers"] == 2
    found = dataset.con.execute(f'SELECT row, "column", value, reason FROM {REJECTS_TABLE}')
    assert found.fetchall() == [(4, "F", "ghi chú lạc chỗ", "a value in a column without a header")]


def test_numbers_in_text_cells_follow_the_locale_and_number_cells_do_not(tmp_path: Path) -> None:
    dossiers = [
        ["Mã hồ sơ", "Mã TTHC", "Mã đơn vị", "Ngày tiếp nhận", "Trạng thái", "Lệ phí"],
        ["HS1", "1.1", "P", "03/08/2026", 9, "1.500,5"],
        ["HS2", "1.1", "P", "03/08/2026", 9, 1500.5],
        ["HS3", 2.000815, "P", "03/08/2026", 9.0, 1500],
    ]
    dataset = read(_book(tmp_path / "b.xlsx", {"units": UNITS, "dossiers": dossiers}))
    fees = dataset.con.execute("SELECT dossier_id, procedure_code, status, fee_due FROM dossiers")
    assert sorted(fees.fetchall()) == [
        ("HS1", "1.1", 9, 1500.5), ("HS2", "1.1", 9, 1500.5), ("HS3", "2.000815", 9, 1500.0),
    ]  # fmt: skip


def test_cell_text_writes_what_the_loader_parses() -> None:
    assert cell_text(datetime(2026, 8, 3, 8, 30)) == "2026-08-03T08:30:00"
    assert cell_text(datetime(2026, 8, 3, 1, 30, tzinfo=UTC)) == "2026-08-03T08:30:00"
    assert cell_text(1500.0) == "1500"
    assert cell_text(0.00001) == "0.00001"
    assert cell_text(1500.25, decimal_comma=True) == "1500,25"
    assert cell_text(True) == "true"


@pytest.mark.parametrize(
    ("sheets", "message"),
    [
        ({"units": UNITS}, "no sheet for dossiers"),
        ({"units": UNITS, "dossiers": [], "Hồ sơ": []}, "both hold dossiers"),
        ({"units": UNITS, "dossiers": [[None], [None]]}, "the sheet is empty"),
        ({"units": UNITS, "dossiers": [["dossier_id", "unit_code"], ["HS1", "P"]]},
         "missing required column"),
    ],
    ids=["no-dossiers", "two-sheets", "empty-sheet", "missing-column"],
)  # fmt: skip
def test_a_workbook_that_cannot_be_scored_is_one_line(
    tmp_path: Path, sheets: dict[str, list[list[Any]]], message: str
) -> None:
    path = _book(tmp_path / "b.xlsx", sheets)
    with pytest.raises(DataError, match=message):
        read(path)
    result = run_cli(["validate", "--data", str(path)])
    assert result.exit_code == 2 and "b.xlsx" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("old.xls", b"\xd0\xcf\x11\xe0", "save the workbook as .xlsx"),
     ("empty.xlsx", b"", "the file is empty"),
     ("broken.xlsx", b"PK\x03\x04 not really a zip", "cannot open the workbook")],
)  # fmt: skip
def test_a_file_that_is_not_a_workbook_is_one_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli(["validate", "--data", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr and name in result.stderr
    assert "Traceback" not in result.output
