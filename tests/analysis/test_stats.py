"""The quarterly statistics: hand-computed counts, roll-up invariants and the report's sentences."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import duckdb
import pytest

from dvc_score import registry
from dvc_score.analysis.stats import compute_stats
from dvc_score.analysis.stats_model import (
    COUNTS,
    Figures,
    StatsReport,
    UnitStats,
    complete,
    rank,
)
from dvc_score.analysis.stats_summary import sentences
from dvc_score.engine.duckdb_backend import count
from dvc_score.engine.periods import parse_period
from dvc_score.model.counts import UnitInfo
from dvc_score.model.ruleset import Ruleset
from tests.engine.dataset_builder import build as build_tiny
from tests.engine.dataset_builder import dossier

from . import province

AUGUST = parse_period("2026-08")
DUE = "2026-08-12 17:00"

# One dossier per situation of the report, all in commune P.D.A unless said otherwise.
HAND = [
    dossier("early", channel="online", due_at=DUE, finished_at="2026-08-10 10:00"),
    dossier("on-time-same-day", due_at=DUE, finished_at="2026-08-12 10:00"),
    dossier(
        "late-by-post",
        unit_code="P.D.B",
        channel="postal",
        postal_return=True,
        due_at=DUE,
        finished_at="2026-08-15 10:00",
    ),
    # Finished three days after its due day, but four supplement days stop the clock: on time.
    dossier(
        "supplement-on-time",
        due_at=DUE,
        finished_at="2026-08-15 10:00",
        supplement_requests=1,
        supplement_days=4,
    ),
    dossier(
        "carried-over-early",
        channel="online",
        received_at="2026-07-20 09:00",
        due_at="2026-08-10 17:00",
        finished_at="2026-08-05 10:00",
    ),
    dossier("carried-over-overdue", received_at="2026-07-01 09:00", status=4, due_at="2026-08-20"),
    dossier(
        "new-not-yet-due",
        channel=None,
        received_at="2026-08-25 09:00",
        status=4,
        due_at="2026-09-05",
    ),
    dossier("finished-before", received_at="2026-07-01 09:00", finished_at="2026-07-20 10:00"),
    dossier("refused", status=3),
    dossier(
        "department-online",
        unit_code="P.S",
        channel="online",
        due_at="2026-08-10 17:00",
        finished_at="2026-08-06 10:00",
    ),
]

PROVINCE_EXPECTED = {
    "received": 6,  # early, on-time-same-day, late-by-post, supplement-on-time, new, department
    "carried_over": 2,
    "to_process": 8,
    "online": 2,
    "direct": 3,  # a missing channel counts as direct
    "postal": 1,
    "resolved": 6,
    "early": 3,
    "on_time": 2,
    "late": 1,
    "in_progress": 2,
    "overdue": 1,
    "postal_received": 1,
    "postal_returned": 1,
    "postal_total": 2,
}


@pytest.fixture(scope="module")
def rules() -> Ruleset:
    return registry.load("national2026")


@pytest.fixture(scope="module")
def hand(rules: Ruleset) -> StatsReport:
    con = build_tiny(duckdb.connect(), dossiers=HAND)
    (report,) = compute_stats(con, rules, [AUGUST])
    return report


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = province.build(duckdb.connect())
    yield connection
    connection.close()


def test_hand_case_province_figures(hand: StatsReport) -> None:
    figures = hand.province.figures
    assert {name: figures[name] for name in COUNTS} == PROVINCE_EXPECTED
    assert figures.procedures == 1


def test_hand_case_levels(hand: StatsReport) -> None:
    received = {lv.level: lv.figures["received"] for lv in hand.levels}
    # The district includes its communes; departments + districts = province.
    assert received == {"department": 1, "district": 5, "commune": 5, "commune_group": 5}
    communes = hand.level("commune")
    assert communes is not None
    commune_b = next(u for u in communes.units if u.unit.unit_code == "P.D.B")
    assert (commune_b.figures["late"], commune_b.figures["postal_total"]) == (1, 2)


def test_shares_follow_the_report(hand: StatsReport) -> None:
    figures = hand.province.figures
    assert figures.share("online_share") == Decimal(2) / Decimal(6)
    assert figures.share("early_share") == Decimal("0.5")
    assert figures.share("resolved_share") == Decimal("0.75")


@pytest.fixture(scope="module")
def q2(con: duckdb.DuckDBPyConnection, rules: Ruleset) -> StatsReport:
    (report,) = compute_stats(con, rules, [parse_period("2026-Q2")])
    return report


def test_partitions_hold_for_every_unit(q2: StatsReport) -> None:
    for unit in q2.all_units():
        f = unit.figures
        assert f["received"] == f["online"] + f["direct"] + f["postal"], unit.unit
        assert f["resolved"] == f["early"] + f["on_time"] + f["late"], unit.unit
        assert f["to_process"] == f["resolved"] + f["in_progress"], unit.unit
        assert f["overdue"] <= f["in_progress"]


def test_roll_up_matches_the_report_layout(q2: StatsReport) -> None:
    report = q2
    levels = {lv.level: lv for lv in report.levels}
    for name in COUNTS:
        assert report.province.figures[name] == (
            levels["department"].figures[name] + levels["district"].figures[name]
        )
        assert levels["commune_group"].figures[name] == levels["commune"].figures[name]
    for group in levels["commune_group"].units:
        communes = [
            u for u in levels["commune"].units if u.unit.parent_code == group.unit.unit_code
        ]
        assert group.figures["received"] == sum(u.figures["received"] for u in communes)


def test_received_is_the_score_s_received(
    con: duckdb.DuckDBPyConnection, rules: Ruleset, q2: StatsReport
) -> None:
    counts = count(con, rules, [parse_period("2026-Q2")])[0]
    for unit in q2.all_units():
        online = counts.get(unit.unit.unit_code, "online.online_dossiers")
        assert (unit.figures["online"], unit.figures["received"]) == (
            online.numerator,
            online.denominator,
        )


def test_several_periods_in_one_pass(con: duckdb.DuckDBPyConnection, rules: Ruleset) -> None:
    quarters = [parse_period(f"2026-Q{q}") for q in (1, 2)]
    both = compute_stats(con, rules, quarters)
    alone = [compute_stats(con, rules, [q])[0] for q in quarters]
    assert [r.period["id"] for r in both] == ["2026-Q1", "2026-Q2"]
    for together, single in zip(both, alone, strict=True):
        assert together.province.figures == single.province.figures


def test_ranking_top_and_bottom_leave_out_units_without_a_denominator() -> None:
    def unit(code: str, online: int, received: int) -> UnitStats:
        info = UnitInfo(code, code, "district", "P")
        return UnitStats(info, Figures(complete({"online": online, "received": received})))

    units = [unit("a", 1, 4), unit("b", 3, 4), unit("c", 0, 0), unit("d", 2, 4)]
    ranking = rank(units, "online_share", 2)
    assert [u.unit.unit_code for u in ranking.top] == ["b", "d"]
    assert [u.unit.unit_code for u in ranking.bottom] == ["a", "d"]


def test_summary_sentences_in_the_report_s_words_and_number_format() -> None:
    # The figures of the reference report 000_… (Ninh Bình, Q1 2022).
    figures = Figures(
        complete(
            {
                "received": 99_854,
                "online": 69_967,
                "direct": 29_887,
                "carried_over": 1_989,
                "resolved": 99_610,
                "early": 51_474,
                "on_time": 48_096,
                "late": 40,
                "postal_received": 1_521,
                "postal_returned": 6_600,
            }
        ),
        procedures=4_747,
    )
    received, resolved, _, postal = sentences(figures, "province", "vi")
    assert received.startswith(
        "Toàn tỉnh đã tiếp nhận 99.854 hồ sơ với 4.747 TTHC. Trong đó, 69.967 hồ sơ tiếp nhận"
        " trực tuyến (chiếm 70,07%); 29.887 hồ sơ tiếp nhận trực tiếp (chiếm 29,93%)"
    )
    # Half-up rounding of the counts; the hand-written report shows 97,80% and 51,67%.
    assert resolved == (
        "Tổng số hồ sơ phải xử lý là 101.843 hồ sơ (bao gồm 1.989 hồ sơ kỳ trước). Trong đó,"
        " đã giải quyết được 99.610 hồ sơ (chiếm 97,81%); 51.474 hồ sơ trả trước hạn (chiếm"
        " 51,68%), 48.096 hồ sơ trả đúng hạn (chiếm 48,28%); trễ hạn 40 hồ sơ (chiếm 0,04%)."
    )
    assert postal == (
        "Toàn tỉnh đã tiếp nhận và trả 8.121 hồ sơ qua dịch vụ bưu chính công ích. Trong đó,"
        " tiếp nhận 1.521 hồ sơ; trả kết quả là 6.600 hồ sơ."
    )
    english = sentences(figures, "province", "en")[0]
    assert english.startswith("The province received 99,854 dossiers for 4,747 procedures")
    assert "69,967 online (70.07%)" in english
