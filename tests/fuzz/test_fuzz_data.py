"""Adversarial data files: every one ends with exit 0 or 2 and one line, never a traceback."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvc_score.model.schema import TABLES
from tests.properties.files import tiny_tables, write_folder
from tests.properties.harness import budget

from .support import has_command, run_clean, run_process

PERIOD = ["--period", "2026-08"]


@pytest.fixture(scope="module")
def pristine() -> Iterator[Path]:
    """A valid CSV folder and a valid Parquet folder, copied by each case."""
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        write_folder(tiny_tables(), root / "csv", "csv", 1)
        write_folder(tiny_tables(), root / "parquet", "parquet", 1)
        yield root


def fresh(pristine: Path, kind: str, into: Path) -> Path:
    target = into / kind
    shutil.copytree(pristine / kind, target)
    return target


def check_data(data: Path, workdir: Path) -> None:
    """``run`` and ``validate`` on the input, and nothing half-written on failure."""
    rejects = workdir / "rejects.csv"
    run_clean(
        ["run", "--data", str(data), *PERIOD, "--format", "json", "--reject-file", str(rejects)]
    )
    run_clean(["validate", "--data", str(data), "--reject-file", str(rejects)])


def truncate(path: Path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def _xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "units"
    for row in ([*TABLES["units"].column_names], ["P", "Tỉnh", "province", None]):
        sheet.append(row)
    dossiers = book.create_sheet("dossiers")
    dossiers.append(["dossier_id", "unit_code", "procedure_code", "received_at", "status"])
    dossiers.append(["D1", "P", "1.000001", "03/08/2026 09:00", 9])
    book.save(path)
    return path


Case = Callable[[Path, Path], Path]  # (pristine root, scratch folder) -> the input to read


def _csv_mutation(mutate: Callable[[Path], None]) -> Case:
    def case(pristine: Path, scratch: Path) -> Path:
        folder = fresh(pristine, "csv", scratch)
        mutate(folder)
        return folder

    return case


def _write(name: str, content: bytes) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        (folder / name).write_bytes(content)

    return mutate


def _enormous_cell(size: int) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        text = (folder / "dossiers.csv").read_text(encoding="utf-8")
        (folder / "dossiers.csv").write_text(
            text.replace("online", "o" * size, 1), encoding="utf-8"
        )

    return mutate


def _header_only(folder: Path) -> None:
    for path in folder.glob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def _reencode(codec: str) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        for path in folder.glob("*.csv"):
            path.write_bytes(path.read_text(encoding="utf-8").encode(codec, errors="replace"))

    return mutate


def _parquet_truncated(pristine: Path, scratch: Path) -> Path:
    folder = fresh(pristine, "parquet", scratch)
    truncate(folder / "dossiers.parquet", 0.5)
    return folder


def _parquet_garbage(pristine: Path, scratch: Path) -> Path:
    folder = fresh(pristine, "parquet", scratch)
    (folder / "dossiers.parquet").write_bytes(b"PAR1" + bytes(range(256)) * 4)
    return folder


def _mixed_formats(pristine: Path, scratch: Path) -> Path:
    folder = fresh(pristine, "csv", scratch)
    shutil.copy(pristine / "parquet" / "dossiers.parquet", folder / "dossiers.parquet")
    return folder


def _xlsx_truncated(pristine: Path, scratch: Path) -> Path:
    path = _xlsx(scratch / "book.xlsx")
    truncate(path, 0.6)
    return path


def _xlsx_random(pristine: Path, scratch: Path) -> Path:
    path = scratch / "book.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    return path


def _json_truncated(pristine: Path, scratch: Path) -> Path:
    folder = fresh(pristine, "csv", scratch)
    (folder / "dossiers.csv").unlink()
    (folder / "dossiers.json").write_text(
        '[{"dossier_id": "D1", "unit_code": "P", "procedure_code": "1", "received_at": "2026-0',
        encoding="utf-8",
    )
    return folder


def _empty_folder(pristine: Path, scratch: Path) -> Path:
    (scratch / "empty").mkdir()
    return scratch / "empty"


def _missing(pristine: Path, scratch: Path) -> Path:
    return scratch / "does-not-exist"


CASES: dict[str, Case] = {
    "empty dossiers.csv": _csv_mutation(_write("dossiers.csv", b"")),
    "empty units.csv": _csv_mutation(_write("units.csv", b"")),
    "header-only tables": _csv_mutation(_header_only),
    "utf-16 csv": _csv_mutation(_reencode("utf-16")),
    "cp1258 csv": _csv_mutation(_reencode("cp1258")),
    "latin-1 csv": _csv_mutation(_reencode("latin-1")),
    "NUL bytes": _csv_mutation(_write("dossiers.csv", b"dossier_id,unit_code\x00\nD1,\x00P\n")),
    "unbalanced quote": _csv_mutation(_write("dossiers.csv", b'dossier_id,unit_code\n"D1,P\n')),
    "1 MB cell": _csv_mutation(_enormous_cell(1_000_000)),
    "5 MB cell": _csv_mutation(_enormous_cell(5_000_000)),
    "truncated parquet": _parquet_truncated,
    "garbage parquet": _parquet_garbage,
    "mixed formats": _mixed_formats,
    "truncated xlsx": _xlsx_truncated,
    "random xlsx": _xlsx_random,
    "truncated json": _json_truncated,
    "empty folder": _empty_folder,
    "missing path": _missing,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_broken_input(pristine: Path, tmp_path: Path, name: str) -> None:
    check_data(CASES[name](pristine, tmp_path), tmp_path)


@budget(4)
@given(blob=st.binary(max_size=2000), table=st.sampled_from(["dossiers", "units"]))
def test_random_bytes_as_a_table(pristine: Path, blob: bytes, table: str) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        scratch = Path(temporary)
        folder = fresh(pristine, "csv", scratch)
        (folder / f"{table}.csv").write_bytes(blob)
        check_data(folder, scratch)


@budget(3)
@given(keep=st.floats(0.01, 0.99))
def test_a_truncated_csv(pristine: Path, keep: float) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        scratch = Path(temporary)
        folder = fresh(pristine, "csv", scratch)
        truncate(folder / "dossiers.csv", keep)
        check_data(folder, scratch)


# ------------------------------------------------------------------ counts CSV (score)

COUNTS_HEADER = "unit_code,unit_name,level,parent_code,indicator,numerator,denominator\n"
COUNTS: dict[str, str | bytes] = {
    "empty": "",
    "header only": COUNTS_HEADER,
    "missing columns": "unit_code,indicator\nP,timeliness.on_time\n",
    "negative": COUNTS_HEADER + "P,T,province,,timeliness.on_time,-1,5\n",
    "huge": COUNTS_HEADER + "P,T,province,,timeliness.on_time,1" + "0" * 400 + ",5\n",
    "nan and inf": COUNTS_HEADER
    + "P,T,province,,timeliness.on_time,nan,inf\nP,T,province,,online.online_dossiers,1e5,1e6\n",
    "numerator above denominator": COUNTS_HEADER + "P,T,province,,timeliness.on_time,9,3\n",
    "unknown indicator": COUNTS_HEADER + "P,T,province,,x.y,1,2\n",
    "duplicate rows": COUNTS_HEADER + "P,T,province,,timeliness.on_time,1,2\n" * 2,
    "parent cycle": COUNTS_HEADER
    + "A,a,district,B,timeliness.on_time,1,2\nB,b,district,A,timeliness.on_time,1,2\n",
    "not utf-8": COUNTS_HEADER.encode() + b"P,T\xff\xfe,province,,timeliness.on_time,1,2\n",
    "utf-16": (COUNTS_HEADER + "P,T,province,,timeliness.on_time,1,2\n").encode("utf-16"),
    "NUL": COUNTS_HEADER + "P\x00,T,province,,timeliness.on_time,1,2\n",
    "100k columns": ",".join(f"c{i}" for i in range(100_000)) + "\n",
}


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_a_broken_counts_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / "counts.csv"
    content = COUNTS[name]
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    run_clean(
        [
            "score",
            "--counts",
            str(path),
            "--format",
            "json",
            "--reject-file",
            str(tmp_path / "r.csv"),
        ]
    )


@budget(10)
@given(blob=st.binary(max_size=1000))
def test_random_bytes_as_counts(blob: bytes) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        path = Path(temporary) / "counts.csv"
        path.write_bytes(blob)
        run_clean(["score", "--counts", str(path), "--reject-file", str(Path(temporary) / "r.csv")])


# ------------------------------------------------------------------ real processes


def test_hostile_inputs_in_a_real_process(pristine: Path, tmp_path: Path) -> None:
    """Garbage Parquet and random CSV bytes, with a timeout that catches hangs."""
    rejects = str(tmp_path / "rejects.csv")
    garbage = _parquet_garbage(pristine, tmp_path / "first")
    command = "validate" if has_command("validate") else "run"
    run_process([command, "--data", str(garbage), "--reject-file", rejects], tmp_path)
    noise = fresh(pristine, "csv", tmp_path / "second")
    (noise / "dossiers.csv").write_bytes(bytes(range(256)) * 64)
    run_process(["run", "--data", str(noise), *PERIOD, "--reject-file", rejects], tmp_path)


def test_a_100000_column_csv_is_refused_quickly(pristine: Path, tmp_path: Path) -> None:
    wide = fresh(pristine, "csv", tmp_path)
    (wide / "dossiers.csv").write_text(
        ",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("x" * 100_000) + "\n",
        encoding="utf-8",
    )
    rejects = str(tmp_path / "rejects.csv")
    run_process(["run", "--data", str(wide), *PERIOD, "--reject-file", rejects], tmp_path, 6.0)


# ------------------------------------------------------------------ hostile paths

LONG = "a" * 5000


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["run", "--ruleset", LONG], id="long ruleset id"),
        pytest.param(["run", "--ruleset", LONG + ".toml"], id="long ruleset file"),
        pytest.param(["rulesets", "validate", LONG + ".toml"], id="long file to validate"),
        pytest.param(
            ["score", "--counts", LONG],
            id="long counts file",
        ),
        pytest.param(["run", "--ruleset", "x\x00.toml"], id="NUL in ruleset"),
        pytest.param(
            ["run", "--data", LONG],
            id="long data path",
        ),
        pytest.param(
            ["score", "--counts", "{counts}", "--format", "json", "--output", LONG],
            id="long output path",
        ),
    ],
)
def test_a_hostile_path_is_one_clean_line(args: list[str], tmp_path: Path) -> None:
    counts = tmp_path / "counts.csv"
    counts.write_text(COUNTS_HEADER + "P,T,province,,timeliness.on_time,1,2\n", encoding="utf-8")
    args = [str(counts) if a == "{counts}" else a for a in args]
    run_clean([*args, "--reject-file", str(tmp_path / "r.csv")] if args[0] != "rulesets" else args)
