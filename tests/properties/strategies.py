"""Hypothesis strategies: tiny provinces, their dossiers, and rulesets to count them with.

Datasets are small (≤ 60 dossiers) and concentrated around one period so that
every boundary (received just before the period, finished on its last second,
due exactly at its end) turns up often. NULLs appear in every nullable column.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import strategies as st

from dvc_score import registry
from dvc_score.engine.periods import Period, parse_period
from dvc_score.model.ruleset import Group, Indicator, Measure, Ruleset

PERIOD = parse_period("2026-08")
PERIODS = [PERIOD, parse_period("2026-07-15..2026-09-14")]
CODES = ("1.000001", "1.000002", "2.000003", "2.000004")
UNCATALOGUED = "9.999999"
SERVICES = ("S1", "S2", "S3")
CHANNELS = ("direct", "online", "postal")
Row = dict[str, Any]

_EDGES = [
    datetime(2026, 8, 1),
    datetime(2026, 9, 1),
    datetime(2026, 8, 31, 23, 59, 59),
    datetime(2026, 7, 31, 23, 59, 59),
    datetime(2026, 8, 3, 9),
]
moments = st.one_of(
    st.sampled_from(_EDGES),
    st.builds(
        lambda minutes: datetime(2026, 6, 20) + timedelta(minutes=minutes),
        st.integers(0, 110 * 24 * 60),
    ),
)
optional_moments = st.one_of(st.none(), moments)
flags = st.sampled_from([True, False, None])


def later(start: datetime | None, days: st.SearchStrategy[float]) -> st.SearchStrategy[Any]:
    """A moment some (possibly negative) number of days after ``start``, or NULL."""
    if start is None:
        return optional_moments
    return st.one_of(st.none(), days.map(lambda d: start + timedelta(days=d)))


@st.composite
def unit_rows(draw: st.DrawFn) -> list[Row]:
    """Province P → 1–3 districts/departments → 0–3 communes (under districts)."""
    units: list[Row] = [_unit("P", "province", None, draw(flags))]
    for k in range(draw(st.integers(1, 3))):
        level = draw(st.sampled_from(["district", "department"]))
        code = f"P.{k}"
        units.append(_unit(code, level, "P", draw(flags)))
        if level == "district":
            for j in range(draw(st.integers(0, 3))):
                units.append(_unit(f"{code}.{j}", "commune", code, draw(flags)))
    return units


def _unit(code: str, level: str, parent: str | None, certified: bool | None) -> Row:
    return {
        "unit_code": code,
        "unit_name": f"Đơn vị {code}",
        "level": level,
        "parent_code": parent,
        "e_certified_copy": certified,
    }


def procedure_attributes(draw: st.DrawFn) -> Row:
    decision = draw(optional_moments)
    effective = draw(later(decision, st.integers(-3, 20).map(float))) if decision else None
    published = draw(later(decision, st.integers(-1, 12).map(float))) if decision else None
    return {
        "procedure_name": "Thủ tục",
        "online_level": draw(st.sampled_from(["none", "partial", "full", None])),
        "service_code": draw(st.sampled_from([*SERVICES, None])),
        "has_fee": draw(flags),
        "payment_integrated": draw(flags),
        "paper_result": draw(flags),
        "for_citizens": draw(flags),
        "max_duration_days": draw(st.sampled_from([None, 1.0, 3.0, 5.0, 2.5, 15.0])),
        "decision_date": decision.date() if decision else None,
        "legal_effective_date": effective.date() if effective else None,
        "published_date": published.date() if published else None,
        "content_complete": draw(flags),
    }


@st.composite
def procedure_rows(draw: st.DrawFn, units: list[Row], uniform: bool = False) -> list[Row]:
    """A catalog per unit; some (code, unit) pairs appear twice with different values.

    ``uniform``: every row of a code carries the same attributes (so that moving
    rows between units cannot change what ``procedure.<col>`` finds).
    """
    shared = {code: procedure_attributes(draw) for code in CODES}
    rows: list[Row] = []
    for unit in units:
        for code in draw(st.sets(st.sampled_from(CODES), max_size=len(CODES))):
            copies = 1 + draw(st.integers(0, 1)) * draw(st.integers(0, 1))
            for _ in range(copies):
                attributes = shared[code] if uniform else procedure_attributes(draw)
                rows.append({"procedure_code": code, "unit_code": unit["unit_code"], **attributes})
    return rows


@st.composite
def dossier_row(draw: st.DrawFn, unit_code: str, codes: list[str], index: int) -> Row:
    received = draw(moments) if draw(st.integers(0, 30)) else None
    status = draw(st.one_of(st.integers(1, 10), st.none())) if draw(st.booleans()) else 9
    return {
        "dossier_id": f"D{index:03d}",
        "unit_code": unit_code,
        "procedure_code": draw(st.sampled_from(codes)),
        "service_code": draw(st.sampled_from([*SERVICES, None])),
        "channel": draw(st.sampled_from([*CHANNELS, None])),
        "submitted_at": None,
        "received_at": received,
        "due_at": draw(later(received, st.integers(-2, 20).map(float))),
        "finished_at": draw(later(received, st.floats(0, 25).map(lambda d: round(d, 2)))),
        "returned_at": draw(later(received, st.integers(0, 26).map(float))),
        "status": status,
        "supplement_requests": draw(st.sampled_from([None, 0, 1, 2])),
        "supplement_days": draw(st.sampled_from([None, 0.0, 0.5, 1.0, 4.0])),
        "synced": draw(flags),
        "fee_due": draw(st.sampled_from([None, 0.0, 20000.0, 50000.5])),
        "paid_online": draw(flags),
        "e_result": draw(flags),
        "digitized": draw(flags),
        "reused_data": draw(flags),
        "personal_store": draw(flags),
        "citizen_data": draw(flags),
        "rating": draw(st.sampled_from(["satisfied", "unsatisfied", None])),
        "complaint": draw(flags),
        "postal_return": draw(flags),
    }


@st.composite
def petition_rows(draw: st.DrawFn, units: list[Row]) -> list[Row]:
    rows = []
    for index in range(draw(st.integers(0, 8))):
        received = draw(moments)
        rows.append(
            {
                "petition_id": f"K{index}",
                "unit_code": draw(st.sampled_from([u["unit_code"] for u in units])),
                "received_at": received,
                "due_at": draw(later(received, st.integers(-1, 20).map(float))),
                "resolved_at": draw(later(received, st.integers(0, 25).map(float))),
                "rating": draw(st.sampled_from(["satisfied", "unsatisfied", None])),
                "category": draw(st.sampled_from(["A", "B", None])),
            }
        )
    return rows


@st.composite
def datasets(
    draw: st.DrawFn, max_dossiers: int = 60, uniform: bool = False
) -> dict[str, list[Row]]:
    """units, procedures, dossiers, petitions for one small province.

    ``uniform``: a code's catalog attributes do not depend on the unit, and a
    unit's dossiers use only codes of its own catalog (or a code in no catalog).
    """
    units = draw(unit_rows())
    procedures = draw(procedure_rows(units, uniform))
    dossiers = []
    for index in range(draw(st.integers(0, max_dossiers))):
        unit_code = draw(st.sampled_from([u["unit_code"] for u in units]))
        codes = [*CODES, UNCATALOGUED]
        if uniform:
            codes = [p["procedure_code"] for p in procedures if p["unit_code"] == unit_code]
            codes.append(UNCATALOGUED)
        dossiers.append(draw(dossier_row(unit_code, sorted(set(codes)), index)))
    return {
        "units": units,
        "procedures": procedures,
        "dossiers": dossiers,
        "petitions": draw(petition_rows(units)),
    }


# ------------------------------------------------------------------ rulesets

_NUMBERS = st.sampled_from([0, 1, 2, 5, 9])
_DOSSIER_BOOLEANS = ("synced", "paid_online", "e_result", "digitized", "reused_data", "complaint")


def _dossier_atoms(n: int, b: str, b2: str) -> list[str]:
    return [
        "status IN (9, 10)",
        f"status = {n}",
        f"status BETWEEN {n} AND {n + 3}",
        "channel = 'online'",
        "channel IS NULL",
        "channel IN ('direct', 'postal')",
        "channel LIKE 'o%'",
        "COALESCE(channel, 'direct') <> 'online'",
        b,
        f"NOT {b}",
        f"{b} IS NULL",
        f"COALESCE({b}, FALSE)",
        f"{b} IS NOT DISTINCT FROM {b2}",
        "received_at >= period_start",
        "received_at < period_end",
        "COALESCE(finished_at, returned_at) >= period_start",
        "due_at IS NULL",
        f"date_diff('day', received_at, COALESCE(finished_at, period_end)) <= {n}",
        "date_diff('second', due_at, finished_at) <= COALESCE(supplement_days, 0) * 86400",
        f"working_days(received_at, finished_at) <= {n}",
        f"add_working_days(received_at, {n}) >= due_at",
        "add_working_days(received_at, procedure.max_duration_days) >= finished_at",
        "procedure.has_fee",
        "COALESCE(procedure.paper_result, TRUE)",
        "procedure.online_level IN ('partial', 'full')",
        "procedure.for_citizens IS NULL",
        f"COALESCE(fee_due, 0) > {n * 10000}",
        f"fee_due / 1000 >= {n}",
        f"round(COALESCE(supplement_days, 0) * 1.5, 1) > {n / 2}",
        "COALESCE(supplement_requests, 0) <= 1",
        "extract(month FROM received_at) = 8",
        "dayofweek(received_at) IN (0, 6)",
        f"day(received_at) <= {n + 10}",
        "received_at + INTERVAL 3 DAY < COALESCE(due_at, period_end)",
        "CAST(received_at AS DATE) = CAST(finished_at AS DATE)",
        "CASE WHEN status IN (9, 10) THEN finished_at ELSE period_end END <= due_at",
        "IF(channel = 'online', TRUE, synced)",
        "GREATEST(received_at, due_at) < period_end",
        "LEAST(finished_at, returned_at) >= period_start",
        "rating = 'unsatisfied' OR COALESCE(complaint, FALSE)",
        "received_in_period",
        "finished_in_period",
        "on_time",
        "fee_bearing",
        "handled_in_period",
        "NOT dropped",
    ]


def _procedure_atoms(n: int) -> list[str]:
    return [
        "has_fee",
        "COALESCE(for_citizens, TRUE)",
        "online_level IN ('partial', 'full')",
        "decision_date >= CAST(period_start AS DATE)",
        "published_date < CAST(period_end AS DATE)",
        f"working_days(decision_date, legal_effective_date) >= {n}",
        f"max_duration_days > {n}",
        "content_complete IS NOT NULL",
        "service_code IS NOT NULL",
        "online",
        "decided_in_period",
    ]


def _petition_atoms(n: int) -> list[str]:
    return [
        "received_at < period_end",
        "resolved_at IS NULL",
        "resolved_at <= due_at",
        "rating = 'unsatisfied'",
        "category = 'A'",
        f"date_diff('hour', received_at, resolved_at) < {n * 24}",
        "handled",
        "on_time",
    ]


def _unit_atoms(n: int) -> list[str]:
    return [
        "level = 'commune'",
        "e_certified_copy",
        "e_certified_copy IS NOT NULL",
        "parent_code IS NULL",
        "unit_code LIKE 'P._'",
    ]


_ATOMS = {"units": _unit_atoms, "procedures": _procedure_atoms, "petitions": _petition_atoms}


@st.composite
def atoms(draw: st.DrawFn, table: str) -> str:
    n = draw(_NUMBERS)
    if table == "dossiers":
        b, b2 = draw(st.sampled_from(_DOSSIER_BOOLEANS)), draw(st.sampled_from(_DOSSIER_BOOLEANS))
        return draw(st.sampled_from(_dossier_atoms(n, b, b2)))
    return draw(st.sampled_from(_ATOMS[table](n)))


def filters(table: str) -> st.SearchStrategy[str]:
    """Filters from a small grammar: atoms combined with AND, OR, NOT and IS NULL."""
    return st.recursive(
        atoms(table),
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda p: f"({p[0]}) AND ({p[1]})"),
            st.tuples(inner, inner).map(lambda p: f"({p[0]}) OR ({p[1]})"),
            inner.map(lambda f: f"NOT ({f})"),
            inner.map(lambda f: f"({f}) IS NULL"),
        ),
        max_leaves=4,
    )


@cache
def national() -> Ruleset:
    return registry.load("national2026")


@st.composite
def measures(draw: st.DrawFn, measure: Measure) -> Measure:
    if draw(st.integers(0, 2)):
        return measure  # most sides keep the national definition
    countable = {
        "dossiers": ["rows", "procedure_code", "service_code", "unit_code"],
        "procedures": ["rows", "procedure_code", "service_code"],
        "petitions": ["rows", "unit_code"],
        "units": ["rows", "unit_code"],
    }[measure.table]
    count = draw(st.sampled_from(countable)) if draw(st.booleans()) else measure.count
    return Measure(measure.table, draw(filters(measure.table)), count)


@st.composite
def indicators(draw: st.DrawFn, indicator: Indicator) -> Indicator:
    scoring = draw(st.sampled_from(["linear", "target"]))
    params = {"target": Decimal(draw(st.integers(1, 20))) / 20} if scoring == "target" else {}
    return replace(
        indicator,
        points=Decimal(draw(st.integers(0, 20))) / draw(st.sampled_from([1, 2, 4])),
        scoring=scoring,
        params=params,
        empty=draw(st.sampled_from(["zero", "full", "null"])),
        scope=draw(st.sampled_from(["unit", "unit", "root"])),
        numerator=draw(measures(indicator.numerator)),
        denominator=draw(measures(indicator.denominator)),
    )


@st.composite
def rulesets(draw: st.DrawFn) -> Ruleset:
    """national2026 with random points, shapes, policies, scopes and filters.

    A group's points are at least the sum of its indicators' points, as in
    every real ruleset, so a group score can be checked against its maximum.
    """
    base = national()
    chosen = draw(st.sets(st.sampled_from(list(base.indicators)), min_size=1))
    mutated = {i: draw(indicators(base.indicators[i])) for i in base.indicators if i in chosen}
    groups = {}
    for group_id, group in base.groups.items():
        total = sum((i.points for i in mutated.values() if i.group == group_id), Decimal(0))
        groups[group_id] = Group(group.id, max(total, group.points), group.name_vi, group.name_en)
    return replace(base, groups=groups, indicators=mutated)


def period_choices() -> st.SearchStrategy[list[Period]]:
    return st.sampled_from([[PERIOD], PERIODS])


def ruleset_toml(ruleset: Ruleset) -> str:
    """A ruleset file that extends national2026 and yields ``ruleset`` (for CLI tests)."""
    import tomli_w

    indicators: dict[str, Any] = {}
    for indicator_id in national().indicators:
        indicator = ruleset.indicators.get(indicator_id)
        if indicator is None:
            indicators[indicator_id] = {"enabled": False}
            continue
        entry: dict[str, Any] = {
            "points": float(indicator.points),
            "scoring": indicator.scoring,
            "empty": indicator.empty,
            "scope": indicator.scope,
        }
        entry |= {k: float(v) for k, v in indicator.params.items()}
        for side in ("numerator", "denominator"):
            measure: Measure = getattr(indicator, side)
            entry[side] = {"table": measure.table, "where": measure.where, "count": measure.count}
        indicators[indicator_id] = entry
    return tomli_w.dumps(
        {
            "ruleset": {"id": "generated", "version": "1", "extends": "national2026"},
            "groups": {g.id: {"points": float(g.points)} for g in ruleset.groups.values()},
            "indicators": indicators,
        }
    )
