"""Progress on stderr for the long steps; silent with --quiet or when not a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from dvc_score.cli.app import stderr


class Progress:
    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        if not self.enabled:
            yield
            return
        started = time.perf_counter()
        with stderr.status(f"{name}…"):
            yield
        stderr.print(f"[dim]{name}: {time.perf_counter() - started:.1f}s[/]", markup=True)
