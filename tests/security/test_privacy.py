"""Applicants' names, ID numbers, phone numbers and addresses never reach an output.

The policy (docs/security.md):

- No output format, summary, warning or error message shows a value from a
  column outside the model (``ho_ten``, ``so_cmnd``, ``so_dien_thoai``,
  ``dia_chi``…): adapters never read those columns into the model.
- A bad cell of a *model* column (a phone number typed into ``status``, a name
  in ``channel``) is the user's own data: the reject file they asked for
  records it (``value`` column) so the row can be fixed, but it is never echoed
  to stdout or stderr.
- The reject file holds model columns only, never the extra columns.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from dvc_score import registry
from dvc_score.testing import run_cli
from tests.fuzz.support import has_command
from tests.properties.files import cell, tiny_tables

NAME = "Nguyễn Văn Thử Nghiệm"
ID_NUMBER = "001099012345"
PHONE = "0912345678"
ADDRESS = "Số 7 ngõ Bí Mật, phường Thử Nghiệm"
PLANTED = {"ho_ten": NAME, "so_cmnd": ID_NUMBER, "so_dien_thoai": PHONE, "dia_chi": ADDRESS}
# How the values could surface once parsed or re-encoded.
FORMS = [
    NAME, ID_NUMBER, PHONE, ADDRESS, "912345678", "1099012345", "Thử Nghiệm", "Bí Mật",
    unicodedata.normalize("NFD", NAME), NAME.upper(), "Nguyen Van Thu Nghiem",
]  # fmt: skip
PERIOD = ["--period", "2026-08"]


def leaks(text: str) -> list[str]:
    folded = unicodedata.normalize("NFC", text)
    return [form for form in FORMS if form in text or unicodedata.normalize("NFC", form) in folded]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A normalized CSV folder whose dossiers carry personal data in extra columns,
    and in bad cells of model columns (phone in status, name in channel, ID in rating)."""
    folder = tmp_path_factory.mktemp("privacy") / "data"
    folder.mkdir()
    tables = tiny_tables()
    for row in tables["dossiers"]:
        row.update(PLANTED)
    tables["dossiers"][1]["status"] = PHONE
    tables["dossiers"][2]["channel"] = NAME
    tables["dossiers"][3]["rating"] = ID_NUMBER
    tables["dossiers"][4]["received_at"] = ADDRESS
    for name, rows in tables.items():
        columns = list(dict.fromkeys(key for row in rows for key in row))
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows([cell(row.get(c)) for c in columns] for row in rows)
    return folder


def clean_run(args: list[str]) -> str:
    result = run_cli(args)
    assert result.exit_code in (0, 2), result.output[-2000:]
    shown = result.stdout + result.stderr
    assert leaks(shown) == [], f"dvc-score {' '.join(args[:3])} shows {leaks(shown)}"
    return result.stdout


def binary_text(content: bytes) -> str:
    """Every text inside an output file (the XML parts of an xlsx, or the bytes as text)."""
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return content.decode("utf-8", "replace")


def formats() -> Iterator[str]:
    yield from sorted(registry.reporters())


@pytest.mark.parametrize("fmt", list(formats()))
def test_no_report_format_shows_personal_data(planted: Path, tmp_path: Path, fmt: str) -> None:
    reporter = registry.reporters()[fmt]
    args = ["run", "--data", str(planted), *PERIOD, "--format", fmt]
    args += ["--reject-file", str(tmp_path / "rejects.csv")]
    if reporter.binary:
        output = tmp_path / f"scores.{fmt}"
        clean_run([*args, "--output", str(output)])
        assert leaks(binary_text(output.read_bytes())) == []
    else:
        clean_run(args)


def test_count_and_score_show_no_personal_data(planted: Path, tmp_path: Path) -> None:
    counts = tmp_path / "counts.csv"
    rejects = ["--reject-file", str(tmp_path / "rejects.csv")]
    clean_run(["count", "--data", str(planted), *PERIOD, *rejects])
    clean_run(["count", "--data", str(planted), *PERIOD, "--output", str(counts), *rejects])
    assert leaks(counts.read_text(encoding="utf-8")) == []
    clean_run(["score", "--counts", str(counts), "--format", "json"])


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--format", "json"],
        ["validate"],
        ["explain", "--unit", "P", "--format", "json", *PERIOD],
        ["stats", "--format", "json", *PERIOD],
        ["run", "--strict", *PERIOD],
    ],
    ids=["validate-json", "validate-table", "explain", "stats", "strict-error"],
)
def test_other_commands_and_errors_show_no_personal_data(
    planted: Path, tmp_path: Path, args: list[str]
) -> None:
    if not has_command(args[0]):
        pytest.skip(f"this build has no `{args[0]}` command")
    clean_run([*args, "--data", str(planted), "--reject-file", str(tmp_path / "rejects.csv")])


def test_the_reject_file_holds_bad_model_cells_but_no_extra_column(
    planted: Path, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.csv"
    clean_run(["run", "--data", str(planted), *PERIOD, "--reject-file", str(rejects)])
    rows = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert rows, "the bad cells were rejected"
    text = rejects.read_text(encoding="utf-8")
    assert ADDRESS not in text or any(r["column"] == "received_at" for r in rows)
    for row in rows:
        for value in (NAME, PHONE, ID_NUMBER, ADDRESS):
            if value in row["value"]:
                assert row["column"] in ("channel", "status", "rating", "received_at"), row
    header = text.splitlines()[0]
    assert not any(column in header for column in PLANTED)


def test_a_failing_filter_does_not_echo_a_cell(planted: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for path in planted.iterdir():
        text = path.read_text(encoding="utf-8")
        if path.name == "dossiers.csv":
            text = text.replace("1.000001", NAME, 1)  # a name typed into procedure_code
        (data / path.name).write_text(text, encoding="utf-8")
    ruleset = tmp_path / "casting.toml"
    ruleset.write_text(
        '[ruleset]\nid = "casting"\nversion = "1"\nextends = "national2026"\n\n'
        '[indicators."timeliness.on_time"]\n'
        'numerator = "CAST(procedure_code AS DOUBLE) > 0"\n',
        encoding="utf-8",
    )
    result = run_cli(
        ["count", "--data", str(data), *PERIOD, "--ruleset", str(ruleset),
         "--reject-file", str(tmp_path / "r.csv")]
    )  # fmt: skip
    assert result.exit_code == 2
    assert leaks(result.stdout + result.stderr) == []
