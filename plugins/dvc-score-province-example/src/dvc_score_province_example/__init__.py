"""An example provincial variant of dvc-score: ruleset ``province2026``.

A province ranks its own departments and communes with the national index's
indicators, changed where its internal emulation rules differ (see README).
It registers the ruleset file and the two scoring shapes the ruleset uses.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from dvc_score import hookimpl

if TYPE_CHECKING:
    from dvc_score.api import Scorer

__version__ = "0.1.0"
RULESET_FILES = ("province2026.toml",)


def ruleset_dir() -> Path:
    return Path(str(files("dvc_score_province_example")))


@hookimpl
def dvc_score_register_rulesets(register: Callable[[Path], None]) -> None:
    for name in RULESET_FILES:
        register(ruleset_dir() / name)


@hookimpl
def dvc_score_register_scorers(register: Callable[[str, Scorer], None]) -> None:
    from dvc_score_province_example.scorers import SCORERS

    for name, function in SCORERS.items():
        register(name, function)
