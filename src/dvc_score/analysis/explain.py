"""Why a unit lost points on an indicator, and what it would take to gain them back.

This module is pure: it holds the explanation types and the arithmetic of
gains. Reading the rows behind a loss lives in :mod:`dvc_score.analysis.drill`.

Gains are found by asking the scorer itself (``score_indicator``) rather than by
inverting a formula, so they respect the 2-decimal half-up rounding and any
shape's cap exactly as ``run`` scores: the score is a non-decreasing function of
the numerator at a fixed denominator, so a binary search over the numerator
finds the smallest count that reaches a goal.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from dvc_score.engine.scorer import Scorer, score_indicator
from dvc_score.model.counts import Count, UnitInfo
from dvc_score.model.result import IndicatorScore
from dvc_score.model.ruleset import Indicator, Measure

GainStatus = Literal["ok", "max", "empty"]
ONE_POINT = Decimal(1)


@dataclass(frozen=True)
class Gain:
    """What raising the numerator at the current denominator is worth.

    Counts are *additional* numerator items (rows, or distinct procedures /
    services for a distinct-count indicator).
    """

    status: GainStatus
    """``ok``: points can be gained; ``max``: already at the maximum; ``empty``:
    no denominator, so the empty-denominator policy decides and no count helps."""
    per_item: Decimal | None = None
    """Points one more item is worth below any cap, before rounding."""
    one_point: int | None = None
    """More items for the rounded score to rise by at least one point; None when
    less than a point remains to gain (see ``to_max``)."""
    one_point_score: Decimal | None = None
    to_max: int | None = None
    """More items for the rounded score to reach the maximum (0 when already there)."""
    target_count: int | None = None
    """Target shape only: ``ceil(t × denominator)``, the numerator at which the
    ratio reaches the target; beyond it the score is capped and more items add nothing."""


@dataclass(frozen=True)
class ItemLoss:
    """One procedure (or service, unit) behind a loss."""

    code: str
    name: str
    lost: int
    """Rows in the denominator but not the numerator (1 for a missing distinct item)."""
    denominator: int
    """Rows of this item in the denominator (1 for a distinct item)."""


@dataclass(frozen=True)
class LossId:
    """One row or item behind a loss, as exported by ``--ids-output`` (ids only)."""

    kind: str
    """``dossier``, ``petition``, ``procedure``, ``service`` or ``unit``."""
    id: str
    unit_code: str = ""
    procedure_code: str = ""


@dataclass(frozen=True)
class Explanation:
    indicator: Indicator
    unit: UnitInfo
    counted_unit: str
    """The unit whose subtree was counted: the unit itself, or the root for a
    root-scope indicator (the province's figure shown on every unit)."""
    score: IndicatorScore
    gain: Gain
    drilled: bool
    """Whether rows were read (False when the input was counts only)."""
    losses: tuple[ItemLoss, ...] = ()
    """Row indicators: procedures costing most, top N. Distinct indicators: the
    denominator's items missing from the numerator, first N by code."""
    loss_total: int = 0
    """Rows (or distinct items) in the denominator but not the numerator."""
    ids: tuple[LossId, ...] = ()
    """The first ``limit`` rows or items behind the loss, by id."""
    all_ids: tuple[LossId, ...] = field(default=(), repr=False)
    """Every row or item behind the loss, when asked for (``--ids-output``)."""

    @property
    def lost(self) -> Decimal:
        return self.score.lost


def gain(indicator: Indicator, count: Count, scorer: Scorer) -> Gain:
    """How many more numerator items raise the score by a point, and reach the maximum."""
    if count.empty or count.denominator is None:
        return Gain("empty")
    denominator = count.denominator
    numerator = min(count.numerator or 0, denominator)

    def score_at(items: int) -> Decimal:
        scored = score_indicator(indicator, Count(items, denominator), scorer)
        return scored.score if scored.score is not None else Decimal(0)

    current = score_at(numerator)
    per_item = _per_item(indicator, denominator, scorer)
    target_count = _target_count(indicator, denominator)
    if current >= indicator.points:
        return Gain("max", per_item, None, None, 0, target_count)
    to_max = _smallest_reaching(score_at, numerator, denominator, indicator.points)
    goal = current + ONE_POINT
    one_point = (
        _smallest_reaching(score_at, numerator, denominator, goal)
        if goal <= indicator.points
        else None
    )
    return Gain(
        "ok",
        per_item,
        None if one_point is None else one_point - numerator,
        None if one_point is None else score_at(one_point),
        None if to_max is None else to_max - numerator,
        target_count,
    )


def _smallest_reaching(
    score_at: Callable[[int], Decimal], low: int, high: int, goal: Decimal
) -> int | None:
    """The smallest numerator in [low, high] whose rounded score is ≥ goal, else None."""
    if score_at(high) < goal:
        return None  # a shape that never reaches the goal at this denominator
    while low < high:
        middle = (low + high) // 2
        if score_at(middle) >= goal:
            high = middle
        else:
            low = middle + 1
    return low


def _per_item(indicator: Indicator, denominator: int, scorer: Scorer) -> Decimal:
    step = Decimal(1) / Decimal(denominator)
    zero = Decimal(0)
    return scorer(step, indicator.points, indicator.params) - scorer(
        zero, indicator.points, indicator.params
    )


def _target_count(indicator: Indicator, denominator: int) -> int | None:
    target = indicator.params.get("target")
    if target is None:
        return None
    # Fraction keeps 0.8 × 45 = 36 exact, so ceil does not round 36.000…01 up to 37.
    return math.ceil(Fraction(target) * denominator)


def measure_text(measure: Measure) -> str:
    """A filter as written in the ruleset: ``table: where [count DISTINCT col]``."""
    counted = "rows" if not measure.is_distinct else f"distinct {measure.count}"
    return f"{measure.table} ({counted}): {measure.where}"


def item_kind(measure: Measure, key: str) -> str:
    """What one counted item is, for labels and the ids export."""
    if measure.is_distinct:
        return measure.count.removesuffix("_code")
    return {"dossier_id": "dossier", "petition_id": "petition"}.get(key, key.removesuffix("_code"))
