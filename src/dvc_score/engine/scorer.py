"""Scoring: pure arithmetic from counts to scores, no I/O.

The portal's rules (verified on its published figures): each indicator score
is rounded half-up to 2 decimals; a group score is the sum of its rounded
indicator scores; the total is the sum of the groups. An empty denominator
follows the indicator's policy: ``zero``, ``full`` points, or ``null`` (not
applicable: contributes 0 and is shown as n/a).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from dvc_score.model.counts import Count, Counts
from dvc_score.model.result import GroupScore, IndicatorScore, UnitResult
from dvc_score.model.ruleset import Indicator, Ruleset

# A scoring shape: (ratio, points, params) → unrounded score.
Scorer = Callable[[Decimal, Decimal, Mapping[str, Decimal]], Decimal]

CENT = Decimal("0.01")
ZERO = Decimal(0)


def linear(ratio: Decimal, points: Decimal, params: Mapping[str, Decimal]) -> Decimal:
    """``points × R``."""
    return points * ratio


def target(ratio: Decimal, points: Decimal, params: Mapping[str, Decimal]) -> Decimal:
    """``min(points, points × R / t)``: full points from the target ratio ``t`` up."""
    return min(points, points * ratio / params["target"])


BUILTIN_SCORERS: dict[str, Scorer] = {"linear": linear, "target": target}


def round_score(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def score_indicator(indicator: Indicator, count: Count, scorer: Scorer) -> IndicatorScore:
    if count.empty:
        return _empty(indicator, count)
    assert count.denominator is not None  # not empty
    ratio = Decimal(count.numerator or 0) / Decimal(count.denominator)
    raw = scorer(ratio, indicator.points, indicator.params)
    bounded = min(max(raw, ZERO), indicator.points)  # a shape may never leave [0, points]
    return IndicatorScore(
        indicator.id,
        count.numerator,
        count.denominator,
        ratio,
        round_score(bounded),
        indicator.points,
        "scored",
        indicator.provenance,
    )


def _empty(indicator: Indicator, count: Count) -> IndicatorScore:
    policy = {"zero": ZERO, "full": indicator.points, "null": None}[indicator.empty]
    status = "n/a" if policy is None else "empty"
    return IndicatorScore(
        indicator.id,
        count.numerator,
        count.denominator,
        None,
        policy,
        indicator.points,
        status,
        indicator.provenance,
    )


def score_counts(
    counts: Counts, ruleset: Ruleset, scorers: Mapping[str, Scorer]
) -> list[UnitResult]:
    """Score every unit of ``counts`` under ``ruleset``."""
    results = []
    for unit in counts.units:
        indicators = {
            ind.id: score_indicator(ind, counts.get(unit.unit_code, ind.id), scorers[ind.scoring])
            for ind in ruleset.indicators.values()
        }
        groups = {
            group.id: GroupScore(
                group.id,
                sum(
                    (indicators[i.id].score or ZERO for i in ruleset.indicators_of(group.id)),
                    ZERO,
                ),
                group.points,
            )
            for group in ruleset.groups.values()
        }
        total = sum((g.score for g in groups.values()), ZERO)
        band = ruleset.classify(total)
        results.append(
            UnitResult(
                unit,
                total,
                band.id if band else None,
                band.name_vi if band else None,
                groups,
                indicators,
            )
        )
    return results
