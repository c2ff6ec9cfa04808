"""Progress on stderr for the long steps; silent with --quiet or when not a terminal.

Each step shows a spinner with its name and a running clock while it works and
leaves one line behind when it ends (``✓ counting 0:00:04``), so a user
scoring ten million dossiers sees which step the time goes to. Timings are
recorded whether or not anything is shown, for summaries such as ``synth``'s.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress as RichProgress
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

from dvc_score.cli.app import stderr


class Progress:
    """Steps of one command, each shown while it runs (when stderr is a terminal)."""

    def __init__(self, quiet: bool, console: Console | None = None) -> None:
        self.console = console or stderr
        self.enabled = not quiet and _is_terminal(self.console)
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Show ``name`` with a spinner and elapsed time until the block ends."""
        started = time.perf_counter()
        try:
            if not self.enabled:
                yield
            else:
                with self._display(name):
                    yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

    @property
    def total(self) -> float:
        return sum(self.timings.values())

    @contextmanager
    def _display(self, name: str) -> Iterator[None]:
        bar = RichProgress(
            SpinnerColumn(finished_text="[green]✓[/]"),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        with bar:
            task = bar.add_task(name, total=1)
            yield
            bar.update(task, completed=1)


def _is_terminal(console: Console) -> bool:
    if console is stderr:
        # Not Rich's guess: FORCE_COLOR (set by many CI services) would make a log a terminal.
        return sys.stderr.isatty()
    return console.is_terminal
