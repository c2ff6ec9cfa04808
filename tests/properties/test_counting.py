"""Invariants of counting and scoring, over generated provinces and rulesets.

Counting runs on DuckDB directly (tests/properties/datasets.build), as the
pipeline does after an adapter has loaded the tables.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dvc_score import registry
from dvc_score.engine import duckdb_backend, reference
from dvc_score.engine.periods import Period
from dvc_score.engine.scorer import score_counts
from dvc_score.errors import DataError
from dvc_score.model.counts import Count, Counts, UnitInfo
from dvc_score.model.ruleset import Ruleset

from .datasets import build, describe_difference
from .harness import budget
from .strategies import PERIOD, Row, datasets, moments, national, period_choices, rulesets

ZERO = Decimal(0)
any_ruleset = st.one_of(st.builds(national), rulesets())


def duckdb_counts(tables: dict[str, list[Row]], ruleset: Ruleset, periods: Sequence[Period]) -> Any:
    return duckdb_backend.count(build(tables), ruleset, periods)


@budget(20)
@given(tables=datasets(), ruleset=any_ruleset, periods=period_choices())
def test_reference_backend_agrees_with_duckdb_and_scores_stay_within_maxima(
    tables: dict[str, list[Row]], ruleset: Ruleset, periods: list[Period]
) -> None:
    con = build(tables)
    try:
        expected = duckdb_backend.count(con, ruleset, periods)
    except DataError:
        with pytest.raises(reference.EvaluationError):
            reference.count(reference.fetch_tables(con), ruleset, periods)
        return
    actual = reference.count(reference.fetch_tables(con), ruleset, periods)
    assert actual == expected, describe_difference(expected, actual)
    for counts in expected:
        assert_within_maxima(counts, ruleset)


counts_values = st.one_of(
    st.just(Count(None, None)),
    st.builds(Count, st.integers(0, 10**6), st.integers(0, 10**6)),  # the portal's own counts
    st.builds(Count, st.none(), st.integers(0, 5)),
)


@budget(60)
@given(ruleset=any_ruleset, data=st.data())
def test_scores_stay_within_maxima_for_any_counts(ruleset: Ruleset, data: st.DataObject) -> None:
    unit = UnitInfo("P", "Tỉnh", "province", None)
    values = {("P", i): data.draw(counts_values, label=i) for i in ruleset.indicators}
    assert_within_maxima(Counts("p", [unit], values, list(ruleset.indicators)), ruleset)


def assert_within_maxima(counts: Counts, ruleset: Ruleset) -> None:
    for result in score_counts(counts, ruleset, registry.scorers()):
        for indicator in result.indicators.values():
            assert indicator.score is None or ZERO <= indicator.score <= indicator.max
        for group in result.groups.values():
            assert ZERO <= group.score <= group.max
        assert ZERO <= result.total <= ruleset.max_total


# --------------------------------------------------------------------- monotonicity


@st.composite
def on_time_dossier(draw: st.DrawFn, received: Any) -> dict[str, Any]:
    if draw(st.booleans()):  # finished by its due date (supplement time only helps)
        finished = received + timedelta(minutes=draw(st.integers(0, 60 * 24 * 10)))
        finished = min(finished, PERIOD.end_at - timedelta(seconds=1))
        due = finished + timedelta(minutes=draw(st.integers(0, 60 * 24 * 5)))
        return {"status": draw(st.sampled_from([9, 10])), "finished_at": finished, "due_at": due}
    due = PERIOD.end_at + timedelta(minutes=draw(st.integers(0, 60 * 24 * 30)))
    return {"status": draw(st.sampled_from([1, 2, 4, 5, 6])), "finished_at": None, "due_at": due}


ADDITIONS: dict[str, Callable[[Any], st.SearchStrategy[dict[str, Any]]]] = {
    "timeliness.on_time": on_time_dossier,
    "online.online_dossiers": lambda received: st.fixed_dictionaries(
        {"channel": st.just("online"), "status": st.sampled_from([1, 2, 4, 5, 6, 9, 10])}
    ),
    "payment.dossiers_paid_online": lambda received: st.fixed_dictionaries(
        {
            "fee_due": st.sampled_from([1.0, 20000.0, 50000.5]),
            "paid_online": st.just(True),
            "status": st.sampled_from([1, 2, 4, 5, 6, 9, 10]),
        }
    ),
}


@budget(10)
@given(
    tables=datasets(max_dossiers=40),
    indicator_id=st.sampled_from(sorted(ADDITIONS)),
    ruleset=st.builds(national),
    data=st.data(),
)
def test_adding_a_good_dossier_never_lowers_its_indicator(
    tables: dict[str, list[Row]], indicator_id: str, ruleset: Ruleset, data: st.DataObject
) -> None:
    ruleset = data.draw(reshaped(ruleset, indicator_id), label="ruleset")
    unit = data.draw(st.sampled_from([u["unit_code"] for u in tables["units"]]), label="unit")
    received = data.draw(moments.filter(lambda m: PERIOD.start_at <= m < PERIOD.end_at))
    fields = data.draw(ADDITIONS[indicator_id](received), label="dossier")
    dossier = {"dossier_id": "NEW", "unit_code": unit, "procedure_code": "1.000001"}
    dossier |= {"received_at": received, "supplement_requests": 0, **fields}
    grown = {**tables, "dossiers": [*tables["dossiers"], dossier]}
    before = duckdb_counts(tables, ruleset, [PERIOD])[0]
    after = duckdb_counts(grown, ruleset, [PERIOD])[0]
    chain = ancestors(before.units, unit)
    for info in before.units:
        old, new = before.get(info.unit_code, indicator_id), after.get(info.unit_code, indicator_id)
        if info.unit_code not in chain:
            assert new == old
            continue
        assert (new.numerator, new.denominator) == (old.numerator + 1, old.denominator + 1)
    scored_before = {r.unit.unit_code: r for r in score_counts(before, ruleset, registry.scorers())}
    for result in score_counts(after, ruleset, registry.scorers()):
        old_score = scored_before[result.unit.unit_code].indicators[indicator_id].score
        assert (result.indicators[indicator_id].score or ZERO) >= (old_score or ZERO)


@st.composite
def reshaped(draw: st.DrawFn, ruleset: Ruleset, indicator_id: str) -> Ruleset:
    """The ruleset with one indicator's points, shape and empty policy redrawn."""
    indicator = ruleset.indicators[indicator_id]
    scoring = draw(st.sampled_from(["linear", "target"]))
    changed = replace(
        indicator,
        points=Decimal(draw(st.integers(1, 20))),
        scoring=scoring,
        params={"target": Decimal(draw(st.integers(1, 10))) / 10} if scoring == "target" else {},
        empty=draw(st.sampled_from(["zero", "full", "null"])),
    )
    return replace(ruleset, indicators={indicator_id: changed})


def ancestors(units: list[UnitInfo], code: str) -> set[str]:
    parents = {u.unit_code: u.parent_code for u in units}
    chain = set()
    current: str | None = code
    while current:
        chain.add(current)
        current = parents.get(current)
    return chain


# --------------------------------------------------------------------- order and pooling


@budget(6)
@given(tables=datasets(), ruleset=any_ruleset, seed=st.integers(0, 2**32 - 1))
def test_row_order_never_changes_counts(
    tables: dict[str, list[Row]], ruleset: Ruleset, seed: int
) -> None:
    shuffler = random.Random(seed)
    shuffled = {name: shuffler.sample(rows, len(rows)) for name, rows in tables.items()}
    expected = duckdb_counts(tables, ruleset, [PERIOD])
    actual = duckdb_counts(shuffled, ruleset, [PERIOD])
    assert actual == expected, describe_difference(expected, actual)


@budget(6)
@given(tables=datasets(uniform=True), ruleset=any_ruleset, data=st.data())
def test_a_parent_counts_what_its_pooled_children_count(
    tables: dict[str, list[Row]], ruleset: Ruleset, data: st.DataObject
) -> None:
    parents = {u["parent_code"] for u in tables["units"] if u["level"] == "commune"}
    assume(parents)
    district = data.draw(st.sampled_from(sorted(parents)), label="district")
    pooled = pool_children(tables, district)
    before = duckdb_counts(tables, ruleset, [PERIOD])[0]
    after = duckdb_counts(pooled, ruleset, [PERIOD])[0]
    for indicator in ruleset.indicators.values():
        sides = (indicator.numerator, indicator.denominator)
        if any(s.table == "units" or s.count == "unit_code" for s in sides):
            continue  # these count the units themselves, which pooling removes
        for code in (district, "P"):
            assert after.get(code, indicator.id) == before.get(code, indicator.id), (
                f"{code} {indicator.id}"
            )


def pool_children(tables: dict[str, list[Row]], district: str) -> dict[str, list[Row]]:
    """Every commune of ``district`` removed, its rows moved onto the district itself."""
    communes = {u["unit_code"] for u in tables["units"] if u["parent_code"] == district}
    pooled: dict[str, list[Row]] = {
        "units": [u for u in tables["units"] if u["unit_code"] not in communes]
    }
    for name in ("procedures", "dossiers", "petitions"):
        pooled[name] = [
            {**row, "unit_code": district} if row["unit_code"] in communes else row
            for row in tables[name]
        ]
    return pooled
