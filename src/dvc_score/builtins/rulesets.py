"""Built-in rulesets: the national editions shipped with dvc-score."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from dvc_score.hookspecs import hookimpl

BUILTIN_RULESETS = ("national2026.toml", "national2023.toml")


def builtin_ruleset_dir() -> Path:
    return Path(str(files("dvc_score.rulesets")))


@hookimpl
def dvc_score_register_rulesets(register: Callable[[Path], None]) -> None:
    for name in BUILTIN_RULESETS:
        register(builtin_ruleset_dir() / name)
