"""Hand-computed gains: how many more numerator items raise a score by a point or to the maximum.

Each expected number is worked out in the comment above it from the portal's
rules: score = round_half_up(min(P, P × n / (d × t)), 2), t = 1 for linear.
A rounded score reaches a goal g once P × n / (d × t) ≥ g − 0.005.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dvc_score.analysis.explain import Gain, gain
from dvc_score.engine.scorer import BUILTIN_SCORERS
from dvc_score.model.counts import Count
from dvc_score.model.ruleset import Indicator, Measure

ROWS = Measure("dossiers", "TRUE")


def indicator(points: int, target: str | None = None) -> Indicator:
    params = {"target": Decimal(target)} if target else {}
    shape = "target" if target else "linear"
    return Indicator("g.x", "g", Decimal(points), "x", "x", ROWS, ROWS, shape, params)


def gain_of(ind: Indicator, numerator: int, denominator: int) -> Gain:
    return gain(ind, Count(numerator, denominator), BUILTIN_SCORERS[ind.scoring])


def test_linear_twenty_points_one_point_and_maximum() -> None:
    # 900/1000 → 18.00. +1 point: 20n/1000 ≥ 18.995 → n ≥ 949.75 → 950 (+50).
    # Max: 20n/1000 ≥ 19.995 → n ≥ 999.75 → 1000 (+100).
    result = gain_of(indicator(20), 900, 1000)
    assert result == Gain("ok", Decimal("0.02"), 50, Decimal("19.00"), 100, None)


def test_linear_rounding_half_up_needs_one_item_fewer_than_the_exact_ratio() -> None:
    # 500/1000 → 3.00. +1 point: 6n/1000 ≥ 3.995 → n ≥ 665.83 → 666 (3.996 rounds to 4.00),
    # one fewer than the 667 that 4/6 × 1000 would suggest. Max: n ≥ 999.17 → 1000.
    result = gain_of(indicator(6), 500, 1000)
    assert (result.one_point, result.one_point_score, result.to_max) == (166, Decimal("4.00"), 500)


def test_target_fifty_percent() -> None:
    # 300/1000 at t = 0.5, P = 6 → 6 × 0.3 / 0.5 = 3.60.
    # +1 point: 6n/500 ≥ 4.595 → n ≥ 382.9 → 383 (+83, score 4.596 → 4.60).
    # Max: 6n/500 ≥ 5.995 → n ≥ 499.58 → 500 (+200); the target itself: ceil(0.5 × 1000) = 500.
    result = gain_of(indicator(6, "0.5"), 300, 1000)
    assert result == Gain("ok", Decimal("0.012"), 83, Decimal("4.60"), 200, 500)


def test_target_maximum_shown_before_the_ratio_reaches_the_target() -> None:
    # 3000/10000 at t = 0.5: max when 6n/5000 ≥ 5.995 → n ≥ 4995.83 → 4996 (+1996), while
    # the ratio reaches 50% only at ceil(0.5 × 10000) = 5000: rounding shows 6.00 four dossiers early.
    result = gain_of(indicator(6, "0.5"), 3000, 10000)
    assert (result.to_max, result.target_count) == (1996, 5000)


def test_target_eighty_percent_less_than_a_point_to_gain() -> None:
    # 20/45 at t = 0.8, P = 2 → 2 × (20/45) / 0.8 = 1.111 → 1.11; +1 would exceed 2, so no
    # one-point figure. Max: n/18 ≥ 1.995 → n ≥ 35.91 → 36 (+16) = ceil(0.8 × 45) = 36.
    result = gain_of(indicator(2, "0.8"), 20, 45)
    assert (result.status, result.one_point, result.to_max, result.target_count) == (
        "ok",
        None,
        16,
        36,
    )


@pytest.mark.parametrize(
    ("numerator", "one_point", "one_point_score", "to_max"),
    [
        # 150/200 at t = 0.9, P = 6 → 6 × 0.75 / 0.9 = 5.00; +1 point is the maximum:
        # 6n/180 ≥ 5.995 → n ≥ 179.85 → 180 (+30).
        (150, 30, Decimal("6.00"), 30),
        # 100/200 → 3.33. +1 point: n/30 ≥ 4.325 → n ≥ 129.75 → 130 (+30); max at 180 (+80).
        (100, 30, Decimal("4.33"), 80),
    ],
)
def test_target_ninety_percent(
    numerator: int, one_point: int, one_point_score: Decimal, to_max: int
) -> None:
    result = gain_of(indicator(6, "0.9"), numerator, 200)
    assert (result.one_point, result.one_point_score, result.to_max) == (
        one_point,
        one_point_score,
        to_max,
    )
    assert result.target_count == 180  # ceil(0.9 × 200)


def test_already_at_the_maximum_beyond_the_target() -> None:
    # 60/100 at t = 0.5 → min(6, 6 × 0.6 / 0.5) = 6.00: nothing to gain; the target was 50.
    result = gain_of(indicator(6, "0.5"), 60, 100)
    assert (result.status, result.one_point, result.to_max, result.target_count) == (
        "max",
        None,
        0,
        50,
    )


def test_linear_at_full_ratio_is_at_the_maximum() -> None:
    assert gain_of(indicator(4), 37, 37).status == "max"


@pytest.mark.parametrize("count", [Count(0, 0), Count(None, None)])
def test_empty_denominator_has_no_gain(count: Count) -> None:
    result = gain(indicator(20), count, BUILTIN_SCORERS["linear"])
    assert result == Gain("empty")


def test_zero_numerator_linear() -> None:
    # 0/3 at P = 6: each dossier is worth 2 points; +1 point needs 1 (2.00), max needs 3.
    result = gain_of(indicator(6), 0, 3)
    assert (result.one_point, result.one_point_score, result.to_max) == (1, Decimal("2.00"), 3)
