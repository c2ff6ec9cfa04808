"""Explain reads the rows behind a loss with the engine's own filters, over the unit's subtree."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from dvc_score import registry
from dvc_score.analysis.drill import explain_counts, explain_dataset
from dvc_score.analysis.explain import Explanation
from dvc_score.engine.duckdb_backend import count
from dvc_score.engine.periods import parse_period
from dvc_score.errors import UserError
from dvc_score.model.counts import Counts
from dvc_score.model.ruleset import Ruleset
from tests.engine.dataset_builder import build as build_tiny
from tests.engine.dataset_builder import dossier

from . import province

Q1 = parse_period("2026-Q1")


@pytest.fixture(scope="module")
def rules() -> Ruleset:
    return registry.load("national2026")


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = province.build(duckdb.connect())
    yield connection
    connection.close()


def explain_all(
    con: duckdb.DuckDBPyConnection,
    rules: Ruleset,
    unit: str,
    limit: int = 20,
    only: tuple[str, ...] = (),
) -> dict[str, Explanation]:
    chosen = list(only or rules.indicators)
    found = explain_dataset(con, rules, Q1, unit, chosen, registry.scorers(), limit, every_id=True)
    return {e.indicator.id: e for e in found}


@pytest.fixture(scope="module")
def counts(con: duckdb.DuckDBPyConnection, rules: Ruleset) -> Counts:
    return count(con, rules, [Q1])[0]


@pytest.mark.parametrize("unit_code", ["P", "P.S2", "P.D1", "P.D2.X3"])
def test_counts_equal_the_engine_for_every_indicator_at_every_level(
    con: duckdb.DuckDBPyConnection, rules: Ruleset, counts: Counts, unit_code: str
) -> None:
    for indicator_id, explanation in explain_all(con, rules, unit_code).items():
        expected = counts.get(unit_code, indicator_id)
        got = (explanation.score.numerator, explanation.score.denominator)
        assert got == (expected.numerator, expected.denominator), (unit_code, indicator_id)


def test_a_district_counts_its_communes(con: duckdb.DuckDBPyConnection, rules: Ruleset) -> None:
    on_time = ("timeliness.on_time",)
    district = explain_all(con, rules, "P.D1", limit=10_000, only=on_time)["timeliness.on_time"]
    units = {loss.unit_code for loss in district.all_ids}
    assert {"P.D1", "P.D1.X1"} <= units
    assert all(u == "P.D1" or u.startswith("P.D1.") for u in units)
    communes = [
        explain_all(con, rules, f"P.D1.X{n}", only=on_time)["timeliness.on_time"] for n in (1, 2, 3)
    ]
    own = [loss for loss in district.all_ids if loss.unit_code == "P.D1"]
    assert len(district.all_ids) == len(own) + sum(len(c.all_ids) for c in communes)


def test_row_losses_are_denominator_rows_outside_the_numerator(
    con: duckdb.DuckDBPyConnection, rules: Ruleset
) -> None:
    explained = explain_all(con, rules, "P", limit=3)
    for indicator_id in ("timeliness.on_time", "online.online_dossiers", "publicity.dossier_sync"):
        explanation = explained[indicator_id]
        scored = explanation.score
        assert scored.numerator is not None and scored.denominator is not None
        lost = scored.denominator - scored.numerator
        assert explanation.loss_total == len(explanation.all_ids) == lost > 0
        assert len(explanation.ids) == 3 == len(explanation.losses)
        assert explanation.losses[0].lost >= explanation.losses[-1].lost
        assert all(loss.name.startswith("Thủ tục số") for loss in explanation.losses)


def test_only_the_shown_ids_are_read_unless_every_id_is_asked_for(
    con: duckdb.DuckDBPyConnection, rules: Ruleset
) -> None:
    chosen = ["timeliness.on_time"]
    (shown,) = explain_dataset(con, rules, Q1, "P", chosen, registry.scorers(), 4)
    (every,) = explain_dataset(con, rules, Q1, "P", chosen, registry.scorers(), 4, every_id=True)
    assert shown.ids == every.ids and len(shown.ids) == 4
    assert shown.all_ids == () and len(every.all_ids) == every.loss_total == shown.loss_total


def test_ids_are_ids_only(con: duckdb.DuckDBPyConnection, rules: Ruleset) -> None:
    explanation = explain_all(con, rules, "P", limit=5)["payment.dossiers_paid_online"]
    dossier_ids = {row["dossier_id"] for row in province.dossiers()}
    for loss in explanation.all_ids:
        assert loss.kind == "dossier" and loss.id in dossier_ids
        assert loss.procedure_code in province.PROCEDURES


def test_distinct_indicator_lists_missing_procedures(
    con: duckdb.DuckDBPyConnection, rules: Ruleset
) -> None:
    explanation = explain_all(con, rules, "P")["publicity.content_complete"]
    # Procedure 1.000006 is the only one published without complete content.
    assert [loss.code for loss in explanation.losses] == ["1.000006"]
    assert explanation.losses[0].name == "Thủ tục số 6"
    assert [x.kind for x in explanation.all_ids] == ["procedure"]


def test_root_scope_indicator_is_counted_for_the_province(
    con: duckdb.DuckDBPyConnection, rules: Ruleset
) -> None:
    commune = explain_all(con, rules, "P.D2.X3")["publicity.published_on_time"]
    province_wide = explain_all(con, rules, "P")["publicity.published_on_time"]
    assert commune.counted_unit == "P"
    assert commune.score == province_wide.score


@pytest.mark.parametrize(
    ("typed", "hint"), [("P.D9", r"did you mean P.D2, P.D1\?"), ("sở y tế", r"did you mean P.S2\?")]
)
def test_unknown_unit_is_a_usage_error_with_a_hint(
    con: duckdb.DuckDBPyConnection, rules: Ruleset, typed: str, hint: str
) -> None:
    with pytest.raises(UserError, match=f"--unit '{typed}': no such unit in the data; {hint}"):
        explain_all(con, rules, typed)


def test_hand_case_lists_exactly_the_late_dossiers(rules: Ruleset) -> None:
    august = parse_period("2026-08")
    con = build_tiny(
        duckdb.connect(),
        dossiers=[
            dossier("ok-1", due_at="2026-08-12 17:00", finished_at="2026-08-10 10:00"),
            dossier("late-1", due_at="2026-08-12 17:00", finished_at="2026-08-15 10:00"),
            dossier("late-2", unit_code="P.D.B", due_at="2026-08-05", finished_at="2026-08-06"),
            dossier("other-unit", unit_code="P.S", due_at="2026-08-05", finished_at="2026-08-06"),
        ],
    )
    found = explain_dataset(
        con, rules, august, "P.D", ["timeliness.on_time"], registry.scorers(), 20
    )
    (explanation,) = found
    assert (explanation.score.numerator, explanation.score.denominator) == (1, 3)
    assert [x.id for x in explanation.ids] == ["late-1", "late-2"]
    # 1/3 → 6.67 of 20; +1 point needs 20n/3 ≥ 7.665 → n ≥ 1.15 → 2 (+1); max needs all 3 (+2).
    assert (explanation.gain.one_point, explanation.gain.to_max) == (1, 2)


def test_counts_input_explains_numbers_without_rows(rules: Ruleset, counts: Counts) -> None:
    (explanation,) = explain_counts(
        counts, rules, "P.S1", ["timeliness.on_time"], registry.scorers()
    )
    assert not explanation.drilled and explanation.ids == ()
    scored = explanation.score
    assert scored.numerator is not None and scored.denominator is not None
    assert explanation.loss_total == scored.denominator - scored.numerator
