"""The dvcqg adapter through the real CLI: counts, rejects, personal data, options."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from dvc_score.testing import run_cli
from dvcqg_samples import BROKEN, GOOD, PERSONAL, record, write_folder


def count(folder: Path, tmp_path: Path, *extra: str) -> tuple[dict[tuple[str, str], str], str]:
    """(unit, indicator) -> 'numerator/denominator', and everything printed."""
    rejects = tmp_path / "rejects.csv"
    result = run_cli(
        ["count", "--data", str(folder), "--period", "2026-08", "--reject-file", str(rejects),
         *extra]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = csv.DictReader(io.StringIO(result.stdout))
    counts = {
        (r["unit_code"], r["indicator"]): f"{r['numerator']}/{r['denominator']}" for r in rows
    }
    return counts, result.output


def reject_rows(tmp_path: Path) -> list[dict[str, str]]:
    with (tmp_path / "rejects.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Sample:
    folder: Path
    counts: dict[tuple[str, str], str]
    output: str
    rejects: list[dict[str, str]]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    """The standard sample folder, counted once for the module (detected, no --adapter)."""
    root = tmp_path_factory.mktemp("sample")
    folder = write_folder(root / "data")
    counts, output = count(folder, root)
    return Sample(folder, counts, output, reject_rows(root))


def test_the_folder_is_detected_and_counted_per_unit(sample: Sample) -> None:
    counts = sample.counts
    assert counts[("T01.01", "timeliness.on_time")] == "1/2"
    assert counts[("T01.02", "timeliness.on_time")] == "1/1"  # supplement time subtracted
    assert counts[("T01.100", "timeliness.on_time")] == "1/1"  # in progress, not yet due
    assert counts[("T01", "timeliness.on_time")] == "3/4"
    assert counts[("T01", "online.online_dossiers")] == "2/4"
    assert counts[("T01.01", "payment.dossiers_paid_online")] == "1/2"  # code 2 is paid online
    assert counts[("T01.02", "payment.dossiers_paid_online")] == "0/0"  # an empty fee list is 0
    assert counts[("T01.01", "digitization.e_result")] == "1/2"
    assert counts[("T01.01", "digitization.reused")] == "1/2"  # DuocTaiSuDung = 2 counts
    assert counts[("T01", "digitization.personal_store")] == "1/4"
    assert counts[("T01", "digitization.citizen_data_dossiers")] == "1/4"
    assert counts[("T01", "publicity.dossier_sync")] == "4/4"  # every synced record is synced
    # The payload names no online service: the procedure catalog supplies it.
    assert counts[("T01.01", "online.services_with_dossiers")] == "1/1"


def test_every_unusable_record_is_listed_with_its_row_column_and_reason(sample: Sample) -> None:
    assert f"{len(BROKEN)} input row(s) rejected" in sample.output
    first = len(GOOD) + 1
    assert [(int(r["row"]), r["column"], r["value"]) for r in sample.rejects] == [
        (first, "received_at", "20261345000000"),
        (first + 1, "TrangThaiHoSo", "12"),
        (first + 2, "dossier_id", ""),
        (first + 3, "DonViXuLy", "Sở Không Có"),
        (first + 4, "DanhSachLePhi[0].Gia", "hai trăm"),
    ]
    reasons = [r["reason"] for r in sample.rejects]
    assert reasons[1] == "unknown status (DVCQG statuses are 1-10)"
    assert reasons[3] == "unit not in units.csv (by code or name)"
    assert reasons[4] == "DanhSachLePhi[0].Gia: 'hai trăm' is not an amount"
    assert all(r["file"].endswith("sync.json") and r["table_name"] == "dossiers"
               for r in sample.rejects)  # fmt: skip


@pytest.mark.parametrize("layout", ["array", "jsonl"])
def test_arrays_and_json_lines_read_like_the_envelope(
    tmp_path: Path, layout: str, sample: Sample
) -> None:
    other, _ = count(write_folder(tmp_path / layout, layout), tmp_path)
    assert other == sample.counts


def test_personal_fields_never_reach_outputs_or_rejects(tmp_path: Path) -> None:
    broken = [*BROKEN, "not an object", record("X-1", NgayHenTra={"bad": "shape"})]
    folder = write_folder(tmp_path / "data", "jsonl", [*GOOD, *broken])
    with (folder / "sync.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"MaHoSo": "X-2", "ChuHoSo": "Phạm Văn Đồng" oops}\n')
    _, output = count(folder, tmp_path)
    written = (tmp_path / "rejects.csv").read_text(encoding="utf-8") + output
    for value in [*PERSONAL.values(), "Phạm Văn Đồng"]:
        assert value not in written
    assert "not valid JSON" in written


def test_a_later_sync_supersedes_an_earlier_record_unless_told_otherwise(tmp_path: Path) -> None:
    first = record("HS-1", TrangThaiHoSo=4, NgayHenTra="20260905170000")
    later = record("HS-1", TrangThaiHoSo=10, NgayKetThucXuLy="20260812080000")  # finished late
    folder = write_folder(tmp_path / "data", records=[first, later])
    counts, _ = count(folder, tmp_path)
    assert counts[("T01.01", "timeliness.on_time")] == "0/1"
    assert [r["reason"].split(" (")[0] for r in reject_rows(tmp_path)] == [
        "superseded by a later sync of the same MaHoSo"
    ]
    kept_first, _ = count(folder, tmp_path, "--option", "duplicates=first")
    assert kept_first[("T01.01", "timeliness.on_time")] == "1/1"  # in progress, not due
    assert reject_rows(tmp_path)[0]["reason"].startswith("duplicate")


def test_the_unit_field_and_a_default_unit_can_be_chosen(tmp_path: Path) -> None:
    nameless = record("HS-2", DonViXuLy=None)
    by_name = record("HS-3", CoQuanThucHien="UBND xã Hòa Bình")  # DonViXuLy is ignored now
    folder = write_folder(tmp_path / "data", records=[nameless, by_name])
    options = ["--option", "unit=T01.02", "--option", "unit-field=CoQuanThucHien"]
    counts, _ = count(folder, tmp_path, *options)
    assert counts[("T01.02", "publicity.dossier_sync")] == "1/1"
    assert counts[("T01.100", "publicity.dossier_sync")] == "1/1"
    assert counts[("T01.01", "publicity.dossier_sync")] == "0/0"


@pytest.mark.parametrize(
    ("setting", "message"),
    [("colour=blue", "unknown for dvcqg"), ("unit=Z9", "no such unit_code"),
     ("duplicates=all", "expected first or last")],
)  # fmt: skip
def test_bad_options_are_usage_errors(tmp_path: Path, setting: str, message: str) -> None:
    folder = write_folder(tmp_path / "data")
    result = run_cli(["count", "--data", str(folder), "--option", setting])
    assert result.exit_code == 2
    assert message in result.output


def test_a_folder_without_units_or_with_broken_json_is_a_data_error(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "data")
    (folder / "sync.json").write_text('[{"MaHoSo": "A", "ChuHoSo": "Lê Thị Mai",}]', "utf-8")
    result = run_cli(["count", "--data", str(folder), "--adapter", "dvcqg"])
    assert result.exit_code == 2
    assert "not valid JSON (line 1, column" in result.output
    assert "Lê Thị Mai" not in result.output
    (folder / "units.csv").unlink()
    result = run_cli(["count", "--data", str(folder), "--adapter", "dvcqg"])
    assert result.exit_code == 2
    assert "no units.csv beside the sync files" in result.output


def test_one_sync_file_can_be_named_directly(tmp_path: Path, sample: Sample) -> None:
    body = json.loads((sample.folder / "sync.json").read_text("utf-8"))
    assert body["service"] == "DongBoHoSoMC"
    from_file, _ = count(sample.folder / "sync.json", tmp_path, "--adapter", "dvcqg")
    assert from_file == sample.counts
