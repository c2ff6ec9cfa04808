"""Results and statistics of a data folder, made the way ``run`` makes them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from dvc_score import pipeline, registry
from dvc_score.adapters.base import Dataset, ReadOptions
from dvc_score.analysis.stats import compute_stats
from dvc_score.analysis.stats_model import StatsReport
from dvc_score.engine.periods import parse_period
from dvc_score.model.result import Result
from dvc_score.model.ruleset import Ruleset


@cache
def load_results(
    data: str, periods: tuple[str, ...]
) -> tuple[list[Result], Ruleset, list[StatsReport]]:
    """Cached per process: several test modules render the same inputs."""
    rules = registry.load("national2026")
    source = pipeline.read_input(Path(data), None, ReadOptions(), pipeline.connect())
    assert isinstance(source, Dataset)
    chosen = [parse_period(p) for p in periods]
    counts = pipeline.count(source, rules, chosen)
    results = [
        pipeline.score(c, rules, p, source.source, source.fingerprint)
        for c, p in zip(counts, chosen, strict=True)
    ]
    stats = compute_stats(source.con, rules, chosen, {"source": source.source})
    return results, rules, stats
