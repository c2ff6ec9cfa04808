"""A tiny run of benchmarks/run.py: the hand-written query and pandas count what dvc-score counts.

This is the real correctness check of benchmarks/handwritten.sql and
benchmarks/pandas_impl.py: on a 5,000-dossier province their counts must equal
``dvc-score count`` for every unit and indicator. No timing is asserted.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
DOSSIERS = 5_000
SEED = 766


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load("run")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench-data")


@pytest.fixture(scope="module")
def province(root: Path) -> Iterator[Path]:
    folder, made = bench.dataset(root, DOSSIERS, SEED, "parquet")
    assert made is not None and made.seconds > 0
    yield folder


def _handwritten(province: Path, period: str) -> dict[tuple[str, str], tuple[int, int]]:
    return {(u, i): (n, d) for u, i, n, d in bench.handwritten(province, period)}


@pytest.mark.parametrize("period", ["2026", "2026-08"])
def test_handwritten_sql_counts_equal_dvc_score_count(
    province: Path, tmp_path: Path, period: str
) -> None:
    expected = bench.dvc_count(province, period, tmp_path / "counts.csv")
    assert len(expected) == 151 * 21  # every unit and indicator
    bench.compare(expected, _handwritten(province, period), "hand-written SQL")


def test_pandas_counts_equal_dvc_score_count(province: Path, tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    expected = bench.dvc_count(province, "2026", tmp_path / "counts.csv")
    bench.compare(expected, bench.pandas_counts(province, "2026"), "pandas")


def test_a_second_dataset_call_reuses_the_generated_files(root: Path, province: Path) -> None:
    folder, made = bench.dataset(root, DOSSIERS, SEED, "parquet")
    assert folder == province and made is None


def test_compare_names_the_counts_that_differ() -> None:
    expected = {("H99", "timeliness.on_time"): (9, 10), ("H99", "online.online_dossiers"): (1, 2)}
    actual = {("H99", "timeliness.on_time"): (8, 10), ("H99", "online.online_dossiers"): (1, 2)}
    with pytest.raises(bench.Mismatch, match=r"1 of 2 counts differ: H99 timeliness.on_time"):
        bench.compare(expected, actual, "other")
    with pytest.raises(bench.Mismatch, match="None"):
        bench.compare(expected, {("H99", "timeliness.on_time"): (9, 10)}, "other")


def test_measure_reports_the_child_process_peak_memory() -> None:
    run = bench.measure(
        [sys.executable, "-c", "b = bytearray(80_000_000); b[::4096] = b'x' * len(b[::4096])"]
    )
    assert run.max_rss_mb > 80 and run.seconds > 0


def test_one_round_checks_every_contestant_and_writes_results(
    root: Path, province: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--dossiers", str(DOSSIERS), "--repeat", "1", "--no-csv", "--pandas-dossiers", "0",
            "--data-root", str(root), "--results", str(tmp_path)]  # fmt: skip
    assert bench.main(argv) == 0
    out = capsys.readouterr().out
    assert "✓ hand-written SQL: 3171 counts equal" in out
    assert "dvc-score run / hand-written" in out
    (written,) = tmp_path.glob("*.json")
    results = json.loads(written.read_text())
    names = [c["name"] for c in results["contestants"]]
    assert names[:3] == ["dvc-score run", "dvc-score count", "hand-written SQL"]
    assert results["machine"]["cores"] and results["ratios"]["dvc-score run / hand-written"] > 0
