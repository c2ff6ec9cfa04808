"""What a reporter is: a named output format for results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from dvc_score.analysis.stats_model import StatsReport
from dvc_score.model.result import Result
from dvc_score.model.ruleset import Ruleset

Lang = Literal["vi", "en"]


@dataclass(frozen=True)
class ReportOptions:
    lang: Lang = "vi"
    width: int = 100
    color: bool = False
    top: int = 10
    stats: tuple[StatsReport, ...] = ()
    """Dossier statistics of the same periods, for the reporters that show them
    (html, xlsx, markdown). Empty when the input held counts, not dossiers."""


@runtime_checkable
class Reporter(Protocol):
    """An output format, registered through ``dvc_score_register_reporters``.

    ``render`` receives one result per period (in period order) and returns
    text, or bytes when ``binary`` is true (e.g. xlsx).
    """

    name: str
    description: str
    binary: bool

    def render(
        self, results: Sequence[Result], ruleset: Ruleset, options: ReportOptions
    ) -> str | bytes: ...
