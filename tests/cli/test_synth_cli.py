"""``dvc-score synth``: the synthetic province as files, its summary, its errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from dvc_score.cli import synth as synth_cli
from dvc_score.testing import run_cli

TABLES = ("units", "procedures", "dossiers", "petitions")


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_synth_writes_four_parquet_tables_and_says_what_it_wrote(tmp_path: Path) -> None:
    result = run_cli(["synth", "--dossiers", "2000", "--seed", "3", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    con = duckdb.connect()
    dossiers = con.execute(f"SELECT count(*) FROM '{tmp_path / 'dossiers.parquet'}'").fetchone()
    assert dossiers == (2000,)
    assert result.stdout == ""
    assert "wrote 4 files" in result.stderr and f"to {tmp_path} in " in result.stderr
    assert "dossiers.parquet" in result.stderr and "2,000 rows" in result.stderr
    assert "generating" in result.stderr and "writing" in result.stderr


def test_synth_csv_files_have_a_header_and_iso_timestamps(tmp_path: Path) -> None:
    result = run_cli(["synth", "-n", "500", "--format", "csv", "--out", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # --quiet
    header, first = (tmp_path / "dossiers.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert header.startswith("dossier_id,unit_code,procedure_code")
    assert "T" in first.split(",")[6]  # received_at, e.g. 2026-03-02T08:15:00


def test_the_same_seed_writes_the_same_bytes_in_memory_or_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["synth", "-n", "1500", "--seed", "9", "-q", "--out"]
    assert run_cli([*args, str(tmp_path / "a")]).exit_code == 0
    monkeypatch.setattr(synth_cli, "IN_MEMORY_MAX", 0)  # the large-province path
    assert run_cli([*args, str(tmp_path / "b")]).exit_code == 0
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    other = run_cli(["synth", "-n", "1500", "--seed", "10", "-q", "--out", str(tmp_path / "c")])
    assert other.exit_code == 0
    assert (
        _digest(tmp_path / "c")["dossiers.parquet"] != _digest(tmp_path / "a")["dossiers.parquet"]
    )


def test_synth_leaves_no_scratch_files_and_overwrites_old_tables(tmp_path: Path) -> None:
    (tmp_path / "dossiers.parquet").write_text("old")
    assert run_cli(["synth", "-n", "100", "-q", "--out", str(tmp_path)]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    assert (tmp_path / "dossiers.parquet").read_bytes()[:4] == b"PAR1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "1999"], "synth: year must be between"),
        (["--dossiers", "-1"], "--dossiers"),
        (["--format", "xlsx"], "--format"),
    ],
)
def test_bad_synth_arguments_exit_2_with_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = run_cli(["synth", "--out", str(tmp_path / "out"), "-n", "10", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_synth_refuses_an_output_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    result = run_cli(["synth", "-n", "10", "--out", str(target)])
    assert result.exit_code == 2
    assert "exists and is not a folder" in result.stderr
