"""Hand-computed cases pinning national2026's on-time rules (domain.md §2)."""

from __future__ import annotations

import duckdb
import pytest

from dvc_score import registry
from dvc_score.engine.duckdb_backend import count
from dvc_score.engine.periods import parse_period

from .dataset_builder import build, dossier

AUGUST = parse_period("2026-08")

# (dossier, counted in the denominator, counted on time)
CASES = [
    (
        dossier("finished-before-due", due_at="2026-08-12 17:00", finished_at="2026-08-10 10:00"),
        True,
        True,
    ),
    (
        dossier(
            "supplement-time-subtracted",
            due_at="2026-08-12 17:00",
            finished_at="2026-08-15 10:00",
            supplement_requests=1,
            supplement_days=4,
        ),
        True,
        True,
    ),
    (
        dossier(
            "two-supplement-requests-overdue",
            due_at="2026-08-12 17:00",
            finished_at="2026-08-11 10:00",
            supplement_requests=2,
            supplement_days=1,
        ),
        True,
        False,
    ),
    (
        dossier("finished-late", due_at="2026-08-12 17:00", finished_at="2026-08-15 10:00"),
        True,
        False,
    ),
    (dossier("in-progress-not-yet-due", status=4, due_at="2026-09-05 17:00"), True, True),
    (
        dossier("in-progress-overdue-at-period-end", status=4, due_at="2026-08-20 17:00"),
        True,
        False,
    ),
    (dossier("in-progress-due-on-last-day", status=5, due_at="2026-08-31 17:00"), True, False),
    # No due date: judged against the procedure's 5 working days from reception
    # (Mon 3 Aug 09:00 → Mon 10 Aug 09:00).
    (dossier("no-due-date-within-duration", finished_at="2026-08-07 16:00"), True, True),
    (dossier("no-due-date-beyond-duration", finished_at="2026-08-10 10:00"), True, False),
    (
        dossier(
            "no-due-date-no-duration", procedure_code="1.000002", finished_at="2026-08-04 10:00"
        ),
        True,
        False,
    ),
    (
        dossier(
            "carried-over-finished-in-period",
            received_at="2026-07-20 09:00",
            due_at="2026-08-10 17:00",
            finished_at="2026-08-05 10:00",
        ),
        True,
        True,
    ),
    (
        dossier(
            "finished-before-period", received_at="2026-07-01 09:00", finished_at="2026-07-20 10:00"
        ),
        False,
        False,
    ),
    (dossier("received-after-period", received_at="2026-09-02 09:00", status=4), False, False),
    (dossier("refused-at-reception", status=3), False, False),
    (dossier("withdrawn", status=7), False, False),
]

PROCEDURES = [
    {"procedure_code": "1.000001", "unit_code": "P.D.A", "max_duration_days": 5},
    {"procedure_code": "1.000002", "unit_code": "P.D.A", "max_duration_days": None},
]


@pytest.fixture(scope="module")
def on_time_counts() -> dict[str, tuple[int | None, int | None]]:
    ruleset = registry.load("national2026")
    results: dict[str, tuple[int | None, int | None]] = {}
    for case, _, _ in CASES:
        con = build(duckdb.connect(), dossiers=[case], procedures=PROCEDURES)
        counts = count(con, ruleset, [AUGUST], ["timeliness.on_time"])[0]
        value = counts.get("P.D.A", "timeliness.on_time")
        results[case["dossier_id"]] = (value.numerator, value.denominator)
    return results


@pytest.mark.parametrize(
    ("case", "handled", "on_time"), CASES, ids=[c[0]["dossier_id"] for c in CASES]
)
def test_on_time_rule(
    on_time_counts: dict[str, tuple[int | None, int | None]],
    case: dict[str, object],
    handled: bool,
    on_time: bool,
) -> None:
    assert on_time_counts[str(case["dossier_id"])] == (int(on_time), int(handled))


def test_all_cases_together_roll_up_to_every_ancestor() -> None:
    ruleset = registry.load("national2026")
    con = build(duckdb.connect(), dossiers=[c for c, _, _ in CASES], procedures=PROCEDURES)
    counts = count(con, ruleset, [AUGUST], ["timeliness.on_time"])[0]
    expected = (sum(ok for _, _, ok in CASES), sum(h for _, h, _ in CASES))
    for unit in ("P.D.A", "P.D", "P"):
        value = counts.get(unit, "timeliness.on_time")
        assert (value.numerator, value.denominator) == expected
    untouched = counts.get("P.D.B", "timeliness.on_time")
    assert (untouched.numerator, untouched.denominator) == (0, 0)
