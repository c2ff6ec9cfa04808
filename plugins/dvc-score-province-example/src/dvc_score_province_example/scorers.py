"""Scoring shapes a province uses for internal emulation ranking.

Pure functions of (ratio, points, params), registered through
``dvc_score_register_scorers``; the engine bounds the result to [0, points]
and rounds it half-up to 2 decimals. Parameters a ruleset leaves out take the
defaults below rather than failing mid-run: ``dvc_score.api`` offers no hook to
check a scorer's parameters when the ruleset is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal

ONE = Decimal(1)
ZERO = Decimal(0)
DEFAULT_STEPS = Decimal(5)


def stepped(ratio: Decimal, points: Decimal, params: Mapping[str, Decimal]) -> Decimal:
    """Points in equal steps on the way to the target: ``points × ⌊steps × min(1, R/t)⌋ / steps``.

    With ``target = 0.5`` and ``steps = 5`` a unit earns a fifth of the points
    for every 10 percentage points of online dossiers. A commune with 20
    dossiers no longer moves in the ranking because one dossier more or less
    went online; the emulation table shows levels a unit can aim at.
    """
    target = params.get("target", ONE)
    steps = max(ONE, params.get("steps", DEFAULT_STEPS).to_integral_value(rounding=ROUND_FLOOR))
    progress = min(ONE, ratio / target) if target > ZERO else ONE
    reached = (progress * steps).to_integral_value(rounding=ROUND_FLOOR)
    return points * reached / steps


def floor_target(ratio: Decimal, points: Decimal, params: Mapping[str, Decimal]) -> Decimal:
    """Nothing up to ``floor``, full points from ``target``, linear in between.

    The national linear shape gives 16 of 20 points at 80 % on time, so units
    that all finish 90-100 % of their dossiers on time end up within a couple of
    points of each other. Starting the scale at the province's minimum
    acceptable rate spreads the scores where its units actually are.
    """
    floor = params.get("floor", ZERO)
    target = params.get("target", ONE)
    if ratio >= target:
        return points
    if ratio <= floor or target <= floor:
        return ZERO
    return points * (ratio - floor) / (target - floor)


SCORERS = {"stepped": stepped, "floor_target": floor_target}
