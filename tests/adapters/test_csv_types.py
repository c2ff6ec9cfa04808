"""CSV columns typed by DuckDB's reader (adapters/csv_types.py) give what the rules give.

The reader types a timestamp or yes/no column itself only where the file's
first 64 KB allow it; a cell further down it refuses sends the file back to
the text path. So two things must hold: every cell the reader *accepts* means
the same to the rules (property tests, on cells built to probe the edges),
and a file that goes either way loads to the same tables and rejects.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dvc_score.adapters import csv_part, csv_types, normalized, synth
from dvc_score.adapters import sql_parsing as parse
from dvc_score.adapters.base import REJECTS_TABLE, Dataset, ReadOptions
from dvc_score.adapters.normalized import NormalizedFolderAdapter, read_raw
from dvc_score.model.schema import TABLES

# The dossier columns the reader may type (timestamps and yes/no words).
TYPED = {c.name for c in TABLES["dossiers"].columns if c.type in ("TIMESTAMP", "BOOLEAN")}

_PADDING = st.sampled_from(["", "", " ", "\t", "\v", "\f", "  "])
_DIGITS = st.integers(min_value=0, max_value=99999).map(str)


def _mostly(usual: list[str], odd: list[str]) -> st.SearchStrategy[str]:
    """Usually one of ``usual``; now and then one of ``odd``."""
    return st.sampled_from(usual * 4 + odd)


@st.composite
def stamps(draw: st.DrawFn) -> str:
    """Timestamp-like text: mostly right, often off by a digit, a sign or a separator."""
    year = draw(_mostly(["2026", "1999"], ["26", "026", "02026", "+2026", "-2026", "9999"]))
    fields = [
        draw(_mostly(["01", "12", "09", "1", "7"], ["00", "13", "31", "60", "99"])) for _ in "mdHMS"
    ]
    date_sep = draw(_mostly(["-"], ["/", "."]))
    time_sep = draw(_mostly(["T", " "], ["t", "  ", "\t", " \t "]))
    tail = draw(
        _mostly(["", "", ""], [".5", ".123", ".1234567", "Z", "+07:00", " UTC", "x", ":00"])
    )
    if draw(st.booleans()):  # ISO order, or day-first as Vietnamese exports write it
        date = f"{year}{date_sep}{fields[0]}{date_sep}{fields[1]}"
    else:
        date = (
            f"{fields[1]}{date_sep.replace('-', '/')}{fields[0]}{date_sep.replace('-', '/')}{year}"
        )
        time_sep = time_sep.replace("T", " ")
    text = f"{date}{time_sep}{fields[2]}:{fields[3]}"
    if draw(_mostly(["yes"], ["no"])) == "yes":
        text += f":{fields[4]}"
    if draw(_mostly(["time"], ["date alone"])) != "time":
        text = date
    return draw(_PADDING) + text + tail + draw(_PADDING)


LAYOUTS = list(csv_types._LAYOUTS)
_ODD = st.one_of(stamps(), stamps(), stamps(), _DIGITS, st.text(alphabet="0123456789-:T /"))


def _typed_and_text(
    tmp_path: Path, cells: list[str], kind: str, layout: str | None
) -> list[tuple[Any, Any]]:
    """(what the reader typed, what the rules parse) for each cell the reader accepts."""
    path = tmp_path / "cells.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(["i", "cell"])
        writer.writerows([[str(i), cell] for i, cell in enumerate(cells)])
    con = duckdb.connect()
    options = "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"'"
    fmt = f", timestampformat = '{layout}'" if layout else ""
    typed = dict(
        con.execute(
            f"SELECT i, cell FROM read_csv('{path}', columns = {{'i': 'VARCHAR', 'cell': '{kind}'}},"
            f" {options}{fmt}, store_rejects = true)"
        ).fetchall()
    )
    parser = parse.parse_timestamp if kind == "TIMESTAMP" else parse.parse_boolean
    found = []
    for index, value in typed.items():
        ruled = con.execute(f"SELECT {parser('$1')}", [cells[int(index)]]).fetchone()
        found.append((value, ruled[0] if ruled else None))
    return found


@settings(max_examples=120, deadline=None)
@given(cells=st.lists(_ODD, min_size=1, max_size=25), layout=st.sampled_from(LAYOUTS))
# What the reader is lenient about, in every layout: padding, a run of white
# space before the time, one-digit fields, a date alone.
@example(cells=["\t2026-03-02T08:15:00 ", "2026-3-2T8:5:0", "26-03-02T08:15:00"], layout=LAYOUTS[0])
@example(cells=["2026-03-02 \t 08:15:00", "\v2026-03-02 08:15:00"], layout=LAYOUTS[1])
@example(cells=["\t2026-03-02 08:15:00.5", "2026-03-02  08:15:00.123456"], layout=LAYOUTS[2])
@example(cells=["\t2026-03-02", "2026-3-2 ", "0026-03-02"], layout=LAYOUTS[3])
@example(cells=["\t02/03/2026 08:15:00", "2/3/2026\t8:5:0"], layout=LAYOUTS[4])
@example(cells=["02/03/2026  08:15:00.5\t", "\f02/03/2026 08:15:00.123"], layout=LAYOUTS[5])
@example(cells=["02/03/2026\t08:15", " 2/3/2026 8:5 "], layout=LAYOUTS[6])
@example(cells=["\t02/03/2026", "2/3/2026\v", "02/03/26"], layout=LAYOUTS[7])
def test_every_timestamp_the_reader_accepts_the_rules_read_the_same(
    tmp_path_factory: pytest.TempPathFactory, cells: list[str], layout: str
) -> None:
    for typed, ruled in _typed_and_text(tmp_path_factory.mktemp("t"), cells, "TIMESTAMP", layout):
        if typed is not None and not 1000 <= typed.year <= 9999:
            continue  # years_out_of_range sends such a column back to text
        assert typed == ruled


_HINTS = duckdb.connect()  # one session for the pure expressions below


@settings(max_examples=300, deadline=None)
@given(cell=_ODD, layout=st.sampled_from(LAYOUTS))
@example(cell="\t02/03/2026 08:15", layout="%d/%m/%Y %H:%M")
@example(cell="26-03-02", layout="%Y-%m-%d")
@example(cell="02/03/2026 08:15:00.1234567", layout="%d/%m/%Y %H:%M:%S.%f")
def test_a_layout_hint_never_changes_a_value(cell: str, layout: str) -> None:
    """parse_timestamp(cell, layout) == parse_timestamp(cell), whatever the hint."""
    hinted, plain = parse.parse_timestamp("$1", layout), parse.parse_timestamp("$1")
    row = _HINTS.execute(f"SELECT {hinted}, {plain}", [cell]).fetchone()
    assert row is not None and row[0] == row[1]


_WORDS = st.sampled_from(
    ["true", "false", "True", "FALSE", "t", "F", "yes", "No", "y", "N", "1", "0", "x", "có",
     "on", "off", " true", "2", "1.0", "", "TRUE "]
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(cells=st.lists(_WORDS, min_size=1, max_size=25))
def test_every_yes_no_word_the_reader_accepts_the_rules_read_the_same(
    tmp_path_factory: pytest.TempPathFactory, cells: list[str]
) -> None:
    for typed, ruled in _typed_and_text(tmp_path_factory.mktemp("b"), cells, "BOOLEAN", None):
        assert typed == ruled


def _choose(rows: list[list[str]], targets: list[str]) -> csv_types.NativeTypes:
    lines = [",".join(targets), *(",".join(r) for r in rows)]
    sample = ("\n".join(lines) + "\n").encode()
    return csv_types.choose(sample, ",", targets, "dossiers", complete=True)


def test_the_sample_decides_which_columns_the_reader_types() -> None:
    targets = ["dossier_id", "submitted_at", "due_at", "synced", "digitized", "fee_due"]
    chosen = _choose(
        [
            ["HS1", "2026-03-02T08:15:00", "2026-03-02 08:15:00", "true", "có", "1"],
            ["HS2", "2026-03-03T09:00:00", "", "false", "không", "0"],
        ],
        targets,
    )
    # submitted_at and due_at use different layouts: one layout per read, the first wins a tie.
    assert chosen.types == {"synced": "BOOLEAN", "submitted_at": "TIMESTAMP"}
    assert chosen.timestamp_format == "%Y-%m-%dT%H:%M:%S"
    day_first = _choose([["HS1", "02/03/2026 08:15", "", "1", "0", "1"]], targets)
    assert day_first.types == {
        "submitted_at": "TIMESTAMP",
        "synced": "BOOLEAN",
        "digitized": "BOOLEAN",
    }
    assert day_first.timestamp_format == "%d/%m/%Y %H:%M"
    assert (
        _choose([["HS1", "02/03/2026", "", "1", "0", "1"]], targets).timestamp_format == "%d/%m/%Y"
    )
    # A layout the reader is not offered, or two layouts in one column: left to the rules.
    for cells in (["2026/03/02 08:15"], ["02/03/2026 08:15", "2026-03-02T08:15:00"]):
        rows = [["HS1", cell, "", "1", "0", "1"] for cell in cells]
        assert "submitted_at" not in _choose(rows, targets).types
    assert _choose([], targets) == csv_types.NONE
    assert (
        csv_types.choose(b"a,b\n1,2\n", ",", ["a", "b"], "not_a_table", complete=True).types == {}
    )


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 synthetic dossiers as CSV with ISO timestamps (130 KB: twice the sample)."""
    con = duckdb.connect()
    synth.generate(con, dossiers=600, seed=7)
    folder = tmp_path_factory.mktemp("synthetic") / "csv"
    synth.write(con, folder, fmt="csv")
    return folder


def _folder(synthetic: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(synthetic, tmp_path / "csv"))


def _append(path: Path, edit: dict[str, str], source_row: int = 2) -> None:
    """Append a copy of data row ``source_row`` with a new id and the cells in ``edit``."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, row = rows[0], list(rows[source_row - 1])
    row[header.index("dossier_id")] += "-copy"
    for column, value in edit.items():
        row[header.index(column)] = value
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerow(row)


def _load(folder: Path, text_only: bool, monkeypatch: pytest.MonkeyPatch) -> Dataset:
    with monkeypatch.context() as patch:
        if text_only:
            patch.setattr(csv_types, "choose", lambda *a, **k: csv_types.NONE)
        dataset = NormalizedFolderAdapter().read(folder, duckdb.connect(), ReadOptions())
    assert isinstance(dataset, Dataset)
    return dataset


def _contents(dataset: Dataset) -> dict[str, Any]:
    con = dataset.con
    found: dict[str, Any] = {
        "rejects": sorted(con.execute(f"SELECT * FROM {REJECTS_TABLE}").fetchall()),
        "read": dataset.rejects.rows_read,
        "accepted": dataset.rejects.rows_accepted,
    }
    for name, table in TABLES.items():
        columns = ", ".join(table.column_names)
        found[name] = sorted(con.execute(f"SELECT {columns} FROM {name}").fetchall(), key=repr)
    return found


@pytest.mark.parametrize(
    ("edits", "lazy"),
    [
        pytest.param([], True, id="clean"),
        # Up to LAZY_TEXT_DATES date columns left as text: parsed lazily by the model view.
        pytest.param([{"submitted_at": "02/03/2026 08:15"}], True, id="a day-first date"),
        pytest.param([{"received_at": "26-03-02T08:15:00"}], True, id="a two-digit year"),
        pytest.param([{"synced": "có"}, {"due_at": "not a date"}], True, id="a word, a bad date"),
        pytest.param(
            [{"synced": "có", "due_at": "not a date", "returned_at": "26-03-02T08:15:00"}],
            True,
            id="three refused cells in one row",
        ),
        # More: staged once, every cell parsed by the rules.
        pytest.param(
            [{"submitted_at": "x"}, {"received_at": "02/03/2026"}, {"due_at": ""}, {"due_at": "y"}],
            False,
            id="three date columns refused",
        ),
        pytest.param(
            [{"finished_at": "\t2026-03-02T08:15:00 "}, {"dossier_id": ""}], True, id="padding"
        ),
        # Typed by the reader, then rejected by load_table: the lazy path's own rejects.
        pytest.param(
            [{"unit_code": "X99.99"}, {"fee_due": "1.234,5"}, {"received_at": ""}],
            True,
            id="unknown unit, bad number, missing date",
        ),
        pytest.param(
            [{"status": " 9"}, {"dossier_id": "HS-TWICE"}, {"dossier_id": "HS-TWICE"}],
            True,
            id="a padded status and a duplicate key",
        ),
    ],
)
def test_typed_and_text_reading_give_the_same_tables_and_rejects(
    synthetic: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edits: list[dict[str, str]],
    lazy: bool,
) -> None:
    folder = _folder(synthetic, tmp_path)
    dossiers = folder / "dossiers.csv"
    assert dossiers.stat().st_size > 64 * 1024  # the edits lie beyond the sample
    for edit in edits:
        _append(dossiers, edit)
    by_reader, as_text = _load(folder, False, monkeypatch), _load(folder, True, monkeypatch)
    assert _contents(by_reader) == _contents(as_text)
    assert by_reader.rejects.rows_read["dossiers"] == 600 + len(edits)
    # The typed parts stay behind the model view; a staged file was dropped once staged.
    views = by_reader.con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal")
    assert ("__raw_dossiers" in {v for (v,) in views.fetchall()}) is lazy


def test_a_clean_file_is_typed_by_the_reader_and_a_refused_cell_reads_its_column_as_text(
    synthetic: Path, tmp_path: Path
) -> None:
    folder = _folder(synthetic, tmp_path)
    paths = [folder / "dossiers.csv"]
    con = duckdb.connect()
    assert read_raw(con, "dossiers", paths, view=True).lazy
    kinds = dict(
        con.execute("SELECT column_name, column_type FROM (DESCRIBE __raw_dossiers)").fetchall()
    )
    assert kinds["submitted_at"] == "TIMESTAMP" and kinds["synced"] == "BOOLEAN"
    assert kinds["fee_due"] == "VARCHAR"  # numbers are never offered to the reader
    # Plugins get text, as they always did.
    assert not read_raw(duckdb.connect(), "dossiers", paths).lazy
    _append(paths[0], {"submitted_at": "02/03/2026 08:15"})
    _append(paths[0], {"synced": "có", "received_at": "03/03/2026 08:15"})
    con = duckdb.connect()
    raw = read_raw(con, "dossiers", paths, view=True)
    assert raw.lazy  # two dates left as text are parsed by the model view as it reads
    kinds = dict(
        con.execute("SELECT column_name, column_type FROM (DESCRIBE __raw_dossiers)").fetchall()
    )
    # Only the columns with a refused cell are read again as text, the rest stay typed.
    refused = {"submitted_at", "received_at", "synced"}
    assert {c for c, k in kinds.items() if k == "VARCHAR" and c in TYPED} == refused
    assert all(kinds[c] != "VARCHAR" for c in TYPED - refused)
    # Only the two lines with a refused cell were read again, on their own; the
    # part's typed cells in those columns read as the reader prints them, the
    # rules' layout hint.
    lines = con.execute("SELECT __line FROM __raw_dossiers_part0_lines ORDER BY 1").fetchall()
    assert lines == [(602,), (603,)]
    assert raw.layouts["submitted_at"] == "%Y-%m-%d %H:%M:%S"
    # A third date column as text: the table is staged, every date parsed once.
    _append(paths[0], {"due_at": "04/03/2026"})
    assert not read_raw(duckdb.connect(), "dossiers", paths, view=True).lazy


def _insert(path: Path, edit: dict[str, str], at_row: int) -> None:
    """Insert a copy of data row 2 with a new id and the cells in ``edit`` as row ``at_row``."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, row = rows[0], list(rows[1])
    row[header.index("dossier_id")] += f"-{at_row}"
    for column, value in edit.items():
        row[header.index(column)] = value
    rows.insert(at_row - 1, row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _spy_on_refused_lines(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """What each call of csv_part._read_refused_lines returned (None: the whole file again)."""
    returned: list[str | None] = []
    original = csv_part._read_refused_lines
    monkeypatch.setattr(
        csv_part,
        "_read_refused_lines",
        lambda *args: returned.append(original(*args)) or returned[-1],
    )
    return returned


@pytest.mark.parametrize("asof", [False, True], ids=["case", "asof"])
@pytest.mark.parametrize("whole_file", [False, True], ids=["lines again", "file again"])
def test_refused_lines_in_the_middle_keep_every_row_number(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole_file: bool, asof: bool
) -> None:
    """Rows after a line read again on its own are numbered as a person counts them."""
    if asof:  # row numbers by an ASOF join with the missing records, as for many of them
        monkeypatch.setattr(normalized, "_GAPS_AS_CASE", 0)
    folder = _folder(synthetic, tmp_path)
    dossiers = folder / "dossiers.csv"
    # Beyond the 64 KB sample (about row 290), one refused cell each, and
    # rows after them that are rejected (their row number is in the reject).
    _insert(dossiers, {"submitted_at": "02/03/2026 08:15"}, 400)
    _insert(dossiers, {"synced": "có", "unit_code": "X99.99"}, 450)
    _insert(dossiers, {"unit_code": "X99.98"}, 500)
    _insert(dossiers, {"fee_due": "1.234,5"}, 550)
    with dossiers.open("r+", encoding="utf-8") as handle:  # an unsplittable record at row 580
        text = handle.read().splitlines(keepends=True)
        text.insert(579, "one,two\n")
        handle.seek(0)
        handle.writelines(text)
    _append(dossiers, {"received_at": "not a date"})
    if whole_file:
        monkeypatch.setattr(csv_part, "MAX_REREAD_LINES", 0)
    read_again = _spy_on_refused_lines(monkeypatch)
    by_reader = _load(folder, False, monkeypatch)
    assert (read_again[-1] is not None) is not whole_file
    as_text = _load(folder, True, monkeypatch)
    assert _contents(by_reader) == _contents(as_text)
    rows = {row for _, _, row, *_ in _contents(by_reader)["rejects"]}
    assert {450, 500, 550, 580, 607} <= rows


def test_without_a_writable_temp_folder_the_whole_file_is_read_again(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(synthetic, tmp_path)
    _insert(folder / "dossiers.csv", {"submitted_at": "02/03/2026 08:15"}, 400)
    expected = _contents(_load(folder, True, monkeypatch))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no such folder"))
    read_again = _spy_on_refused_lines(monkeypatch)
    assert _contents(_load(folder, False, monkeypatch)) == expected
    assert read_again == [None]


def test_parts_typed_and_read_as_text_make_one_table(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(synthetic, tmp_path)
    lines = (folder / "dossiers.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "dossiers.csv").unlink()
    parts = folder / "dossiers"
    parts.mkdir()
    (parts / "1.csv").write_text("".join(lines[:301]), encoding="utf-8")
    (parts / "2.csv").write_text("".join([lines[0], *lines[301:]]), encoding="utf-8")
    _append(parts / "2.csv", {"submitted_at": "02/03/2026 08:15"})  # part 2 is read as text
    by_reader, as_text = _load(folder, False, monkeypatch), _load(folder, True, monkeypatch)
    assert _contents(by_reader) == _contents(as_text)
    assert by_reader.rejects.rows_read["dossiers"] == 601


@pytest.mark.parametrize("seconds", [True, False])
def test_day_first_exports_are_typed_by_the_reader_too(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seconds: bool
) -> None:
    """dd/MM/yyyy HH:mm[:ss], as Vietnamese one-stop systems export: same tables as ISO."""
    iso = _load(synthetic, False, monkeypatch)
    folder = _folder(synthetic, tmp_path)
    dossiers = folder / "dossiers.csv"
    stamp = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}:[0-9]{2})(:[0-9]{2})")
    day_first = r"\3/\2/\1 \4\5" if seconds else r"\3/\2/\1 \4"
    dossiers.write_text(stamp.sub(day_first, dossiers.read_text(encoding="utf-8")), "utf-8")
    by_reader, as_text = _load(folder, False, monkeypatch), _load(folder, True, monkeypatch)
    assert _contents(by_reader) == _contents(as_text)
    views = by_reader.con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal")
    assert "__raw_dossiers" in {v for (v,) in views.fetchall()}  # typed by the reader
    if seconds:  # the very same instants as the ISO file
        assert _contents(by_reader)["dossiers"] == _contents(iso)["dossiers"]
