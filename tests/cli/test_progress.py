"""Progress on stderr: a spinner and clock per step on a terminal, nothing otherwise."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from dvc_score.cli.progress import Progress


def _terminal() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=80), buffer


def test_each_step_leaves_a_line_with_its_name_and_elapsed_time() -> None:
    console, buffer = _terminal()
    progress = Progress(quiet=False, console=console)
    with progress.step("reading"):
        pass
    with progress.step("counting"):
        pass
    shown = buffer.getvalue()
    assert "reading" in shown and "counting" in shown and "0:00:00" in shown
    assert list(progress.timings) == ["reading", "counting"]


def test_quiet_shows_nothing_but_still_times_the_steps() -> None:
    console, buffer = _terminal()
    progress = Progress(quiet=True, console=console)
    with progress.step("scoring"):
        pass
    assert buffer.getvalue() == ""
    assert progress.timings["scoring"] >= 0 and progress.total == progress.timings["scoring"]


def test_not_a_terminal_shows_nothing() -> None:
    buffer = io.StringIO()
    progress = Progress(quiet=False, console=Console(file=buffer, force_terminal=False))
    with progress.step("reading"):
        pass
    assert buffer.getvalue() == "" and not progress.enabled


def test_a_failing_step_is_timed_and_the_error_goes_through() -> None:
    console, _ = _terminal()
    progress = Progress(quiet=False, console=console)
    with pytest.raises(RuntimeError), progress.step("counting"):
        raise RuntimeError("boom")
    assert "counting" in progress.timings
