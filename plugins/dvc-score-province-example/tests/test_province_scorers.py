"""The province's scoring shapes, as pure functions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dvc_score_province_example.scorers import floor_target, stepped

D = Decimal
SIX = D(6)


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [("0", "0"), ("0.09", "0"), ("0.1", "1.2"), ("0.35", "3.6"), ("0.49", "4.8"), ("0.5", "6"),
     ("1", "6")],
)  # fmt: skip
def test_stepped_awards_a_fifth_per_tenth_up_to_the_target(ratio: str, expected: str) -> None:
    params = {"target": D("0.5"), "steps": D(5)}
    assert stepped(D(ratio), SIX, params) == D(expected)


def test_stepped_without_parameters_uses_five_steps_to_full_ratio() -> None:
    assert stepped(D("0.59"), D(10), {}) == D(4)


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [("0.5", "0"), ("0.7", "0"), ("0.85", "10"), ("1", "20"), ("0.8333", "8.887")],
)
def test_floor_target_is_linear_between_floor_and_target(ratio: str, expected: str) -> None:
    score = floor_target(D(ratio), D(20), {"floor": D("0.7"), "target": D(1)})
    assert score.quantize(D("0.001")) == D(expected).quantize(D("0.001"))


def test_floor_target_with_a_floor_at_the_target_is_all_or_nothing() -> None:
    params = {"floor": D("0.9"), "target": D("0.9")}
    assert (floor_target(D("0.89"), D(6), params), floor_target(D("0.9"), D(6), params)) == (
        D(0), D(6),
    )  # fmt: skip
