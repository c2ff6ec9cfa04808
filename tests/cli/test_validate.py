"""``dvc-score validate`` and the data-error paths of ``run``, as a user meets them.

Exit codes: 0 the data can be scored, 2 it cannot (or ``--strict`` and a row
was rejected). Every failure is one line on stderr naming the file and the
problem, never a traceback.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from dvc_score.adapters.base import REJECT_COLUMNS
from dvc_score.testing import run_cli
from tests.adapters import samples


@pytest.fixture
def province(tmp_path: Path) -> Path:
    return samples.copy_province(tmp_path / "province")


def one_line_error(stderr: str, *words: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error:"), stderr
    for word in words:
        assert word in lines[0], (word, stderr)


def test_the_table_report_counts_every_row_and_says_where_the_rejects_are(
    province: Path, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.csv"
    result = run_cli(["validate", "--data", str(province), "--reject-file", str(rejects)])
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "units 5 5 0 0 0" in lines
    assert "dossiers 14 7 7 2 1" in lines
    assert "petitions 3 2 1 0 1" in lines
    assert (
        f"8 row(s) rejected; every one is listed in {rejects}. 2 warning(s), 0 error(s)." in lines
    )
    assert any(
        line.startswith("warning dossiers 1 finished_at is before received_at") for line in lines
    )
    with rejects.open(encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    assert tuple(written[0]) == REJECT_COLUMNS
    assert len(written) == 1 + 8


def test_the_json_report_is_machine_readable(province: Path, tmp_path: Path) -> None:
    result = run_cli(["validate", "--data", str(province), "--format", "json",
                      "--reject-file", str(tmp_path / "r.csv")])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["report_version"] == 1
    assert (report["adapter"], report["rejected_rows"], report["errors"]) == ("normalized", 8, 0)
    dossiers = next(t for t in report["tables"] if t["table"] == "dossiers")
    assert (dossiers["read"], dossiers["accepted"], dossiers["duplicates"]) == (14, 7, 2)
    assert dossiers["reasons"]["required dossier_id is empty"] == 1
    checks = {c["check"]: c for c in report["checks"]}
    assert set(checks) == {"finished_before_received", "unknown_procedure"}
    assert checks["unknown_procedure"]["example"].startswith("000.00.01.H99-260807-0006 (")
    assert "8 row(s) rejected" in result.stderr  # the summary goes to stderr


def test_strict_makes_a_rejected_row_exit_2_after_writing_the_reject_file(
    province: Path, tmp_path: Path
) -> None:
    rejects = tmp_path / "r.csv"
    result = run_cli(["validate", "--data", str(province), "--strict",
                      "--reject-file", str(rejects)])  # fmt: skip
    assert result.exit_code == 2
    one_line_error(result.stderr, "--strict", "8 input row(s) rejected", str(rejects))
    assert rejects.is_file()


def test_clean_data_exits_0_and_an_asked_for_reject_file_has_only_its_header(
    tmp_path: Path,
) -> None:
    folder = samples.as_parquet(samples.PROVINCE, tmp_path / "clean")
    rejects = tmp_path / "r.csv"
    result = run_cli(["validate", "--data", str(folder), "--strict",
                      "--reject-file", str(rejects)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "0 row(s) rejected. 2 warning(s), 0 error(s)." in result.stdout
    assert rejects.read_text(encoding="utf-8").splitlines() == [",".join(REJECT_COLUMNS)]


def _units(folder: Path, rows: list[list[str]]) -> None:
    samples.write_csv(folder / "units.csv", [["unit_code", "unit_name", "level", "parent_code"],
                                             *rows])  # fmt: skip


@pytest.mark.parametrize(
    ("units", "message"),
    [([["H99", "Tỉnh", "province", ""], ["H99.01", "Sở", "department", "H98"]],
      "parent_code is not a unit"),
     ([["H99", "Tỉnh", "province", "H99.01"], ["H99.01", "Sở", "department", "H99"]],
      "cycle")],
    ids=["missing-parent", "cycle"],
)  # fmt: skip
def test_a_unit_tree_that_cannot_be_scored_exits_2(
    tmp_path: Path, units: list[list[str]], message: str
) -> None:
    folder = tmp_path / "tree"
    folder.mkdir()
    _units(folder, units)
    samples.write_csv(folder / "dossiers.csv", [
        ["dossier_id", "unit_code", "procedure_code", "received_at", "status"],
        ["D1", "H99.01", "1.1", "2026-08-03", "9"],
    ])  # fmt: skip
    result = run_cli(["validate", "--data", str(folder), "--reject-file", str(tmp_path / "r.csv")])
    assert result.exit_code == 2
    assert "error" in result.stdout and message in result.stdout  # the report is still shown
    one_line_error(result.stderr, "would stop scoring")
    scored = run_cli(["run", "--data", str(folder), "-p", "2026-08"])
    assert scored.exit_code == 2  # validate agrees with run


@pytest.mark.parametrize(
    ("args", "words"),
    [(["--adapter", "counts"], ["province"]),
     (["--adapter", "excel"], ["province", "excel adapter reads one .xlsx workbook"]),
     (["--adapter", "nope"], ["--adapter 'nope'", "available"]),
     (["--locale", "fr"], ["--locale 'fr'"])],
    ids=["counts-on-folder", "excel-on-folder", "unknown-adapter", "bad-locale"],
)  # fmt: skip
def test_a_wrong_adapter_or_option_is_one_line(
    province: Path, args: list[str], words: list[str]
) -> None:
    result = run_cli(["validate", "--data", str(province), *args])
    assert result.exit_code == 2
    one_line_error(result.stderr, *words)
    assert "Traceback" not in result.output


def test_a_missing_path_is_one_line(tmp_path: Path) -> None:
    result = run_cli(["validate", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    one_line_error(result.stderr, "nowhere", "no such file or folder")


def test_a_counts_csv_reports_its_rejects(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    samples.write_csv(path, [
        ["unit_code", "unit_name", "level", "parent_code", "indicator", "numerator", "denominator"],
        ["P", "Tỉnh", "province", "", "timeliness.on_time", "5", "10"],
        ["P", "Tỉnh", "province", "", "online.online_dossiers", "x", "10"],
    ])  # fmt: skip
    result = run_cli(["validate", "--data", str(path), "--format", "json",
                      "--reject-file", str(tmp_path / "r.csv")])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["adapter"], report["rejected_rows"], report["checks"]) == ("counts", 1, [])


# --- run: the same rejects, the same exit codes --------------------------------------------


def test_run_warns_about_rejects_and_scores_the_rest(province: Path, tmp_path: Path) -> None:
    rejects = tmp_path / "r.csv"
    result = run_cli(["run", "--data", str(province), "-p", "2026-08", "-f", "json",
                      "--reject-file", str(rejects)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "8 input row(s) rejected" in result.stderr and str(rejects) in result.stderr
    scored = {unit["unit_code"] for unit in json.loads(result.stdout)["units"]}
    assert "H99.99" not in scored  # its dossier is in the reject file, not silently dropped
    assert "H99.99" in rejects.read_text(encoding="utf-8")


def test_run_strict_exits_2_when_a_row_is_rejected(province: Path, tmp_path: Path) -> None:
    result = run_cli(["run", "--data", str(province), "-p", "2026-08", "--strict",
                      "--reject-file", str(tmp_path / "r.csv")])  # fmt: skip
    assert result.exit_code == 2
    one_line_error(result.stderr, "--strict", "rejected")
    assert result.stdout == ""


def test_an_unwritable_reject_file_is_one_line(province: Path, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "r.csv"
    result = run_cli(["validate", "--data", str(province), "--reject-file", str(target)])
    assert result.exit_code == 2
    one_line_error(result.stderr, "--reject-file", "cannot write it")
