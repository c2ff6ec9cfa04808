"""A small, realistic province export, and writers for every input format.

The CSV files in tests/fixtures/province_vi are what a provincial one-stop
system exports: Vietnamese headers, day-first dates in several layouts,
``.``-grouped money, a BOM, decomposed Unicode, and the usual broken rows.
``EXPECTED_REJECTS`` says exactly which rows must be rejected and why; the
helpers below rewrite the same data as Parquet, JSON lines, split parts and an
Excel workbook, so every adapter is held to the same answers.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import unicodedata
from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PROVINCE = FIXTURES / "province_vi"
TABLE_FILES = {"units": "units.csv", "procedures": "procedures.csv", "dossiers": "dossiers.csv"}

# (table, file, row, column, reason) of every row the province's files must lose.
EXPECTED_REJECTS = {
    ("dossiers", "dossiers.csv", 9, "received_at", "received_at: not a date"),
    ("dossiers", "dossiers.csv", 10, "status", "status: not a DVCQG status code 1-10"),
    ("dossiers", "dossiers.csv", 11, "dossier_id", "duplicate dossier_id"),
    ("dossiers", "dossiers.csv", 12, "unit_code", "unknown unit_code"),
    ("dossiers", "dossiers.csv", 13, "due_at", "unreadable CSV record: fewer fields"),
    ("dossiers", "dossiers.csv", 14, "dossier_id", "required dossier_id is empty"),
    ("dossiers", "dossiers.csv", 15, "dossier_id", "duplicate dossier_id"),
    ("petitions", "petitions.jsonl", 3, "unit_code", "unknown unit_code"),
}
ROWS_READ = {"units": 5, "procedures": 4, "dossiers": 14, "petitions": 3}
ROWS_ACCEPTED = {"units": 5, "procedures": 4, "dossiers": 7, "petitions": 2}


def copy_province(target: Path) -> Path:
    """The CSV/JSON-lines province, in a folder of its own."""
    shutil.copytree(PROVINCE, target)
    return target


def csv_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def write_csv(path: Path, rows: list[list[str]], bom: bool = False, delimiter: str = ",") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8")


def split_dossiers(folder: Path) -> None:
    """Replace dossiers.csv by dossiers/part-1.csv and part-2.csv (header in each)."""
    header, *rows = (folder / "dossiers.csv").read_text(encoding="utf-8-sig").splitlines(True)
    (folder / "dossiers").mkdir()
    (folder / "dossiers" / "part-1.csv").write_text(header + "".join(rows[:5]), encoding="utf-8")
    (folder / "dossiers" / "part-2.csv").write_text(header + "".join(rows[5:]), encoding="utf-8")
    (folder / "dossiers.csv").unlink()


def as_parquet(source: Path, target: Path) -> Path:
    """The accepted rows of every table, typed, as Parquet (DuckDB COPY)."""
    from dvc_score.adapters.base import ReadOptions
    from dvc_score.adapters.normalized import NormalizedFolderAdapter
    from dvc_score.model.schema import TABLES

    con = duckdb.connect()
    NormalizedFolderAdapter().read(source, con, ReadOptions())
    target.mkdir()
    for name, table in TABLES.items():
        columns = ", ".join(f'"{c}"' for c in table.column_names)
        con.execute(f"COPY (SELECT {columns} FROM {name}) TO '{target / name}.parquet'")
    return target


def as_excel(source: Path, target: Path) -> Path:
    """The CSV tables as a workbook: Vietnamese sheet names, a title row above
    the dossiers' header, dates as date cells, money as number cells."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    names = {"units": "Đơn vị", "procedures": "Thủ tục", "dossiers": "Hồ sơ"}
    for table, sheet_name in names.items():
        sheet = workbook.create_sheet(sheet_name)
        rows = csv_rows(source / TABLE_FILES[table])
        if table == "dossiers":
            sheet.append(["DANH SÁCH HỒ SƠ THÁNG 8/2026"])
        for row in rows:
            sheet.append([_excel_cell(value) for value in row])
    workbook.create_sheet("Ghi chú").append(["Xuất từ hệ thống một cửa"])
    workbook.save(target)
    return target


def _excel_cell(value: str) -> object:
    # What Excel itself stores: real dates for dd/MM/yyyy HH:mm, numbers for money.
    try:
        return datetime.strptime(value, "%d/%m/%Y %H:%M")
    except ValueError:
        pass
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
        return int(value.replace(".", ""))  # "200.000" -> 200000
    return value


# TCVN3 (ABC) as converter tables publish it: each letter and its byte.
_TCVN3 = dict(
    zip(
        "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ",
        bytes.fromhex(
            "b5b6b7b8b9a8bbbcbdbec6a9c7c8c9cacbaecccecfd0d1aad2d3d4d5d6d7d8dcddde"
            "dfe1e2e3e4abe5e6e7e8e9aceaebecedeeeff1f2f3f4adf5f6f7f8f9fafbfcfdfe"
        ),
        strict=True,
    )
)


def tcvn3(text: str) -> bytes:
    """Encode as TCVN3; capitals use the lowercase code, as .VnTimeH fonts do."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        out += char.encode("ascii") if char.isascii() else bytes([_TCVN3[char.lower()]])
    return bytes(out)


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Encode as Windows-1258: vowels with their hats and horns, tones as combining marks."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258")
