"""What every adversarial case must satisfy: exit 0 or 2, one line, no traceback, in time."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from typer.testing import Result

from dvc_score.testing import run_cli

SUBPROCESS_TIMEOUT = 20.0
EXIT_CODES = (0, 2)


def error_lines(stderr: str) -> list[str]:
    """stderr lines that are not progress or warnings."""
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not line.lstrip().lower().startswith("warning")
    ]


def check_output(code: int, stdout: str, stderr: str, what: str) -> None:
    assert code in EXIT_CODES, f"{what}: exit {code}\n{stderr[-2000:]}"
    assert "Traceback" not in stdout + stderr, f"{what}: traceback\n{stderr[-3000:]}"
    if code == 2:
        errors = error_lines(stderr)
        assert len(errors) == 1, f"{what}: expected one error line, got {errors[:5]}"
        assert errors[0].startswith("error:"), f"{what}: {errors[0][:300]}"


def run_clean(args: Sequence[str]) -> Result:
    """Run in-process and check the outcome; return the result for further checks."""
    result = run_cli(list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"dvc-score {' '.join(args)[:300]} raised") from result.exception
    check_output(result.exit_code, result.stdout, result.stderr, " ".join(args)[:300])
    return result


def run_process(
    args: Sequence[str], cwd: Path, timeout: float = SUBPROCESS_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess, with a timeout that catches hangs."""
    env = {**os.environ, "DVC_SCORE_NO_AUTOLOAD": "1", "NO_COLOR": "1"}
    process = subprocess.run(
        [sys.executable, "-m", "dvc_score.cli.main", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    check_output(process.returncode, process.stdout, process.stderr, " ".join(args)[:300])
    return process


def has_command(name: str) -> bool:
    """Whether this build of the CLI has a top-level command ``name`` (e.g. ``validate``)."""
    import typer.main

    from dvc_score.cli.main import build_app

    command = typer.main.get_command(build_app())
    return name in getattr(command, "commands", {})
