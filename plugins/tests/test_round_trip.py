"""The same dossiers as a DVCQG sync payload, an OpenCPS export and a normalized folder
give identical counts from ``dvc-score count``; broken rows are rejected by each, and
no planted personal value appears in any output."""

from __future__ import annotations

import csv
from dataclasses import dataclass

import pytest
from round_trip_samples import (
    BROKEN,
    GOOD,
    PERSONAL,
    write_dvcqg,
    write_normalized,
    write_opencps,
)

from dvc_score.testing import run_cli

WRITERS = {"normalized": write_normalized, "dvcqg": write_dvcqg, "opencps": write_opencps}
FIRST_ROW = {"normalized": 2, "dvcqg": 1, "opencps": 2}  # CSV files count the header as row 1


@dataclass(frozen=True)
class Run:
    adapter: str
    counts: str
    output: str
    rejects: list[dict[str, str]]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    found = {}
    for adapter, write in WRITERS.items():
        root = tmp_path_factory.mktemp(adapter)
        folder = write(root / "data")
        rejects = root / "rejects.csv"
        result = run_cli(
            ["count", "--data", str(folder), "--period", "2026-08", "--reject-file", str(rejects)]
        )  # no --adapter: each source must be recognised
        assert result.exit_code == 0, f"{adapter}: {result.output}"
        with rejects.open(encoding="utf-8") as handle:
            listed = list(csv.DictReader(handle))
        found[adapter] = Run(adapter, result.stdout, result.output, listed)
    return found


def test_the_three_sources_give_identical_counts(runs: dict[str, Run]) -> None:
    normalized = runs["normalized"].counts
    assert runs["dvcqg"].counts == normalized
    assert runs["opencps"].counts == normalized


def test_the_counts_are_not_trivial(runs: dict[str, Run]) -> None:
    rows = {
        (r["unit_code"], r["indicator"]): (r["numerator"], r["denominator"])
        for r in csv.DictReader(runs["normalized"].counts.splitlines())
    }
    on_time, handled = rows[("T01", "timeliness.on_time")]
    assert 0 < int(on_time) < int(handled) < len(GOOD)
    for indicator in ("online.online_dossiers", "payment.dossiers_paid_online", "online.services_with_dossiers",
                      "digitization.e_result", "digitization.personal_store"):  # fmt: skip
        numerator, denominator = rows[("T01", indicator)]
        assert 0 < int(numerator) < int(denominator), indicator


@pytest.mark.parametrize("adapter", list(WRITERS))
def test_every_broken_row_is_in_the_reject_file(runs: dict[str, Run], adapter: str) -> None:
    first_broken = FIRST_ROW[adapter] + len(GOOD)
    expected = list(range(first_broken, first_broken + len(BROKEN)))
    assert sorted(int(r["row"]) for r in runs[adapter].rejects) == expected
    assert {r["table_name"] for r in runs[adapter].rejects} == {"dossiers"}
    assert f"{len(BROKEN)} input row(s) rejected" in runs[adapter].output


@pytest.mark.parametrize("adapter", list(WRITERS))
def test_no_personal_value_reaches_any_output(runs: dict[str, Run], adapter: str) -> None:
    run = runs[adapter]
    written = run.output + "\n".join(",".join(r.values()) for r in run.rejects)
    for value in PERSONAL.values():
        assert value not in written, f"{adapter} leaked {value!r}"
