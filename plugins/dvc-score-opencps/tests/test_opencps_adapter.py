"""The opencps adapter through the real CLI: dates, status map, service map, rejects, privacy."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from dvc_score.testing import run_cli
from opencps_samples import BROKEN, PERSONAL, ROWS, dossier, write_folder

Counts = dict[tuple[str, str], str]


def count(data: Path, tmp_path: Path, *extra: str) -> tuple[Counts, str, list[dict[str, str]]]:
    """Counts as 'numerator/denominator', everything printed, and the reject rows."""
    rejects = tmp_path / "rejects.csv"
    rejects.unlink(missing_ok=True)
    args = ["count", "--data", str(data), "--period", "2026-08", "--reject-file", str(rejects)]
    result = run_cli([*args, *extra])
    assert result.exit_code == 0, result.output
    rows = csv.DictReader(io.StringIO(result.stdout))
    counts = {
        (r["unit_code"], r["indicator"]): f"{r['numerator']}/{r['denominator']}" for r in rows
    }
    listed = list(csv.DictReader(rejects.open(encoding="utf-8"))) if rejects.exists() else []
    return counts, result.output, listed


@dataclass(frozen=True)
class Sample:
    folder: Path
    counts: Counts
    output: str
    rejects: list[dict[str, str]]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    root = tmp_path_factory.mktemp("sample")
    folder = write_folder(root / "data")
    return Sample(folder, *count(folder, root))  # detected: no --adapter


def test_mixed_date_formats_and_statuses_are_counted(sample: Sample) -> None:
    counts = sample.counts
    assert counts[("T01.01", "timeliness.on_time")] == "1/2"  # releasing after the due date
    assert counts[("T01.100", "timeliness.on_time")] == "1/1"  # waiting (5), not yet due
    # HS-0003 was received on 1 September, local time: epoch milliseconds are UTC.
    assert counts[("T01", "timeliness.on_time")] == "2/3"
    assert counts[("T01.01", "online.online_dossiers")] == "1/2"
    assert counts[("T01.01", "payment.dossiers_paid_online")] == "1/1"  # model columns pass through
    assert counts[("T01.01", "online.services_with_dossiers")] == "1/1"  # service from the catalog


def test_every_broken_row_is_rejected_with_a_reason(sample: Sample) -> None:
    assert f"{len(BROKEN)} input row(s) rejected" in sample.output
    first = len(ROWS) + 2  # the header is row 1
    found = [(int(r["row"]), r["column"], r["value"]) for r in sample.rejects]
    assert sorted(found) == [
        (first, "dossierStatus", "expired"),
        (first + 1, "govAgencyCode", "T99.99"),
        (first + 2, "channel", "có lẽ"),
        (first + 3, "received_at", "31/02/2026"),
        (first + 4, "dossier_id", ""),
    ]
    status = next(r["reason"] for r in sample.rejects if r["column"] == "dossierStatus")
    assert "default status map (status_map.csv)" in status and "status-map=FILE" in status


def test_personal_columns_never_reach_outputs(sample: Sample) -> None:
    written = sample.output + (sample.folder.parent / "rejects.csv").read_text(encoding="utf-8")
    for value in PERSONAL.values():
        assert value not in written


def test_a_status_map_file_replaces_the_default_and_substatus_wins(tmp_path: Path) -> None:
    rows = [
        dossier("HS-1", dossierStatus="expired"),
        dossier(
            "HS-2",
            dossierStatus="denied",
            dossierSubStatus="after_processing",
            releaseDate="2026-08-05 10:00:00",
        ),
        dossier("HS-3", dossierStatus="denied"),
        dossier("HS-4", dossierStatus="done"),  # not in this map
    ]
    folder = write_folder(tmp_path / "data", rows)
    status_map = tmp_path / "trang-thai.csv"
    status_map.write_text(
        "status,substatus,dvcqg_status,comment\n"
        "expired,,4,quá hạn nhưng vẫn đang xử lý\n"
        "denied,,3,từ chối tiếp nhận\n"
        "denied,after_processing,9,từ chối sau khi xử lý: đã có kết quả\n",
        encoding="utf-8",
    )
    counts, _, rejects = count(folder, tmp_path, "--option", f"status-map={status_map}")
    # HS-1 in progress and overdue, HS-2 finished on time, HS-3 refused (not judged).
    assert counts[("T01.01", "timeliness.on_time")] == "1/2"
    assert [(r["value"], str(status_map) in r["reason"]) for r in rejects] == [("done", True)]


def test_a_service_map_names_the_national_procedure(tmp_path: Path) -> None:
    rows = [dossier("HS-1", serviceCode="LLTP-01"), dossier("HS-2", serviceCode="LLTP-02")]
    folder = write_folder(tmp_path / "data", rows)
    service_map = tmp_path / "dich-vu.csv"
    service_map.write_text("service_code,procedure_code\nLLTP-01,1.001\n", encoding="utf-8")
    counts, _, _ = count(folder, tmp_path, "--option", f"service-map={service_map}")
    # Only the mapped dossier meets its catalog row (and the online service code there).
    assert counts[("T01.01", "online.services_with_dossiers")] == "1/1"
    assert counts[("T01.01", "online.online_dossiers")] == "2/2"  # both are still counted


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("colour=blue", "unknown for opencps"),
        ("status-map=/no/such/map.csv", "cannot read"),
    ],
)
def test_bad_options_are_usage_errors(sample: Sample, setting: str, message: str) -> None:
    result = run_cli(["count", "--data", str(sample.folder), "--option", setting])
    assert result.exit_code == 2
    assert message in result.output


def test_an_export_without_a_required_column_is_a_data_error(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "data", [])
    export = folder / "opencps_dossier.csv"
    export.write_text("dossierNo,govAgencyCode,receiveDate\nHS-1,T01.01,2026-08-03\n", "utf-8")
    result = run_cli(["count", "--data", str(export), "--adapter", "opencps"])
    assert result.exit_code == 2
    assert "missing column(s) serviceCode, dossierStatus" in result.output
