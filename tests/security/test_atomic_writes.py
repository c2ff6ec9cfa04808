"""Nothing half-written: an output file is complete, or absent, or the old one untouched."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from dvc_score import registry
from dvc_score.cli import common
from dvc_score.errors import UserError
from dvc_score.testing import run_cli

OLD = b'{"old": true}\n'
REAL_FDOPEN = os.fdopen
COUNTS = (
    "unit_code,unit_name,level,parent_code,indicator,numerator,denominator\n"
    "P,Tinh,province,,timeliness.on_time,3,4\n"
)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


class HalfWriter(io.RawIOBase):
    """A stream that writes half of what it is given, then is interrupted."""

    def __init__(self, handle: int, error: BaseException) -> None:
        self.real = REAL_FDOPEN(handle, "wb")
        self.error = error

    def write(self, data: Any) -> int:
        self.real.write(bytes(data)[: len(data) // 2])
        self.real.flush()
        raise self.error

    def close(self) -> None:
        self.real.close()
        super().close()


@pytest.mark.parametrize("error", [KeyboardInterrupt(), OSError(28, "No space left on device")])
@pytest.mark.parametrize("existing", [True, False])
def test_an_interrupted_write_leaves_no_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException, existing: bool
) -> None:
    target = tmp_path / "report.json"
    if existing:
        target.write_bytes(OLD)
    monkeypatch.setattr(os, "fdopen", lambda handle, mode: HalfWriter(handle, error))
    # A full disk is the user's problem to fix: one line (UserError), not a traceback.
    expected = UserError if isinstance(error, OSError) else type(error)
    with pytest.raises(expected):
        common.write_atomically(target, json.dumps({"units": list(range(10_000))}))
    assert (target.read_bytes() == OLD) if existing else not target.exists()
    assert leftovers(tmp_path) == []


def test_a_failing_rename_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(OLD)

    def refuse(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(KeyboardInterrupt):
        common.write_atomically(target, "new")
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_a_complete_write_replaces_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(OLD)
    common.write_atomically(target, '{"new": true}')
    assert json.loads(target.read_text(encoding="utf-8")) == {"new": True}
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("failure", [UserError("the reporter gave up"), KeyboardInterrupt()])
@pytest.mark.parametrize("existing", [True, False])
def test_a_failing_render_leaves_the_target_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException, existing: bool
) -> None:
    counts = tmp_path / "counts.csv"
    counts.write_text(COUNTS, encoding="utf-8")
    target = tmp_path / "scores.json"
    if existing:
        target.write_bytes(OLD)
    reporter = registry.reporters()["json"]

    def broken(*args: Any, **kwargs: Any) -> str:
        raise failure

    monkeypatch.setattr(reporter, "render", broken)
    result = run_cli(
        ["score", "--counts", str(counts), "--format", "json", "--output", str(target)]
    )
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert (target.read_bytes() == OLD) if existing else not target.exists()
    assert leftovers(tmp_path) == []


def test_an_interrupted_count_output_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.properties.files import tiny_tables, write_folder

    data = write_folder(tiny_tables(), tmp_path / "data", "csv", 1)
    target = tmp_path / "counts.csv"
    target.write_bytes(OLD)
    monkeypatch.setattr(os, "fdopen", lambda handle, mode: HalfWriter(handle, KeyboardInterrupt()))
    result = run_cli(
        ["count", "--data", str(data), "--period", "2026-08", "--output", str(target),
         "--reject-file", str(tmp_path / "r.csv")]
    )  # fmt: skip
    assert result.exit_code == 130 and isinstance(result.exception, SystemExit)  # typer: Aborted!
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


# The real entry point, started once every import is done (a signal during the
# imports would test Python, not dvc-score).
MAIN_WHEN_READY = (
    "import sys; from dvc_score import registry; from dvc_score.cli import main; "
    "registry.adapters(); registry.reporters(); main.build_app(); "
    "print('ready', file=sys.stderr, flush=True); main.main()"
)


def _interrupt_a_run(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``dvc-score run`` on a large bundled province, sent SIGINT while it works."""
    target = tmp_path / "scores.json"
    process = subprocess.Popen(
        [sys.executable, "-c", MAIN_WHEN_READY, "run", "--format", "json",
         "--output", str(target), "--option", "dossiers=1000000"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "DVC_SCORE_NO_AUTOLOAD": "1"},
    )  # fmt: skip
    assert process.stderr is not None
    assert process.stderr.readline().strip() == "ready"
    time.sleep(1.5)  # inside a DuckDB query now: generating a million dossiers takes seconds
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.fixture(scope="module")
def interrupted(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("sigint")
    return folder, _interrupt_a_run(folder)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is a POSIX signal")
def test_an_interrupted_run_exits_non_zero_and_writes_nothing(
    interrupted: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, process = interrupted
    # Observed: 1 when the signal lands inside a DuckDB query (it raises RuntimeError
    # "Query interrupted"), 130 when it lands between queries (cli/app.py); never 0.
    assert process.returncode in (1, 130), process.stderr[-500:]
    assert not (folder / "scores.json").exists()
    assert leftovers(folder) == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is a POSIX signal")
def test_an_interrupted_run_says_so_in_one_line(
    interrupted: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    _, process = interrupted
    assert "Traceback" not in process.stderr
    assert len(process.stderr.strip().splitlines()) <= 1
