"""Built-in scoring shapes: ``linear`` and ``target``."""

from __future__ import annotations

from collections.abc import Callable

from dvc_score.engine.scorer import BUILTIN_SCORERS, Scorer
from dvc_score.hookspecs import hookimpl


@hookimpl
def dvc_score_register_scorers(register: Callable[[str, Scorer], None]) -> None:
    for name, function in BUILTIN_SCORERS.items():
        register(name, function)
