"""The quarterly statistics report's figures (received, online share, early / on time / late …).

Each count is a SQL filter over the dossiers, checked and run through the
engine's ``row_query``, so it reads the ruleset's own derived columns
(``received_in_period``, ``finished_in_period``, ``finished_on_time``,
``effective_due``, ``in_progress_at_end``, ``pending_not_due``): "received" or
"on time" means here what it means in the score. docs/reports.md defines each.

Counts are taken per unit *subtree* (a district includes its communes, as in
the provincial report where departments + districts = province), once per
period, in one pass over the dossiers.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from dvc_score.analysis.stats_model import (
    Figures,
    LevelStats,
    StatsReport,
    UnitStats,
    add,
    complete,
)
from dvc_score.engine.duckdb_backend import prepare
from dvc_score.engine.periods import Period
from dvc_score.engine.planner import row_query
from dvc_score.errors import RulesetError
from dvc_score.model.counts import UnitInfo
from dvc_score.model.ruleset import Ruleset
from dvc_score.rules.expressions import ExpressionError

_BEFORE_DUE_DAY = "COALESCE(CAST(finish_time AS DATE) < CAST(effective_due AS DATE), FALSE)"

# What is counted, as SQL over the dossiers and the ruleset's derived columns.
DEFINITIONS: dict[str, str] = {
    "received": "received_in_period",
    "carried_over": (
        "NOT dropped AND received_at < period_start"
        " AND NOT COALESCE(status IN (9, 10) AND finish_time < period_start, FALSE)"
    ),
    "online": "received_in_period AND channel = 'online'",
    "direct": "received_in_period AND COALESCE(channel, 'direct') NOT IN ('online', 'postal')",
    "postal": "received_in_period AND channel = 'postal'",
    "resolved": "finished_in_period",
    "early": f"finished_in_period AND COALESCE(finished_on_time, FALSE) AND {_BEFORE_DUE_DAY}",
    "on_time": (
        f"finished_in_period AND COALESCE(finished_on_time, FALSE) AND NOT {_BEFORE_DUE_DAY}"
    ),
    "late": "finished_in_period AND NOT COALESCE(finished_on_time, FALSE)",
    "in_progress": "in_progress_at_end",
    "overdue": "in_progress_at_end AND NOT COALESCE(pending_not_due, FALSE)",
    "postal_received": "received_in_period AND channel = 'postal'",
    "postal_returned": "finished_in_period AND COALESCE(postal_return, FALSE)",
}

ROWS = "dvc_stats_rows"
ANCESTORS = "dvc_stats_ancestors"
LEVEL_ORDER = ("department", "district", "commune")


def compute_stats(
    con: duckdb.DuckDBPyConnection,
    ruleset: Ruleset,
    periods: Sequence[Period],
    data: dict[str, str] | None = None,
) -> list[StatsReport]:
    """One :class:`StatsReport` per period, in the order given."""
    units, paths, depth = prepare(con, periods)
    _materialise(con, ruleset, depth)
    per_unit = _per_unit(con)
    per_level = _distinct_by(con, "u.level", "TRUE")
    per_group = _distinct_by(con, "u.parent_code", "u.level = 'commune'")
    meta = {"id": ruleset.id, "version": ruleset.version}
    return [
        _report(str(index), period, units, paths, per_unit, per_level, per_group, meta, data or {})
        for index, period in enumerate(periods)
    ]


def _materialise(con: duckdb.DuckDBPyConnection, ruleset: Ruleset, depth: int) -> None:
    try:
        rows = row_query(ruleset, "dossiers", DEFINITIONS, ["procedure_code"], depth)
    except ExpressionError as error:
        raise RulesetError(
            f"stats: ruleset {ruleset.id} cannot express the statistics ({error.message}:"
            f" {error.offending!r}); they need the dossier derived columns of national2026"
            " (received_in_period, finished_in_period, finished_on_time, effective_due, …)"
        ) from None
    con.execute(f"CREATE OR REPLACE TEMP TABLE {ROWS} AS {rows}")
    flags = ", ".join(DEFINITIONS)
    union = " UNION ALL ".join(
        f"SELECT period_id, a{k} AS unit_code, procedure_code, {flags} FROM {ROWS}"
        f" WHERE a{k} IS NOT NULL"
        for k in range(depth)
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {ANCESTORS} AS {union}")


def _per_unit(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], Figures]:
    sums = ", ".join(f"sum(CAST({name} AS INTEGER)) AS {name}" for name in DEFINITIONS)
    cursor = con.execute(
        f"SELECT period_id, unit_code, {sums},"
        " count(DISTINCT procedure_code) FILTER (WHERE received) AS procedures"
        f" FROM {ANCESTORS} GROUP BY 1, 2"
    )
    names = [d[0] for d in cursor.description or ()]
    figures = {}
    for row in cursor.fetchall():
        record = dict(zip(names, row, strict=True))
        counts = {name: int(record[name] or 0) for name in DEFINITIONS}
        key = (str(record["period_id"]), str(record["unit_code"]))
        figures[key] = Figures(complete(counts), int(record["procedures"]))
    return figures


def _distinct_by(
    con: duckdb.DuckDBPyConnection, key: str, where: str
) -> dict[tuple[str, str], int]:
    """Distinct procedures received, by (period, ``key`` of the counting unit)."""
    rows = con.execute(
        f"SELECT a.period_id, CAST({key} AS VARCHAR),"
        " count(DISTINCT a.procedure_code) FILTER (WHERE a.received)"
        f" FROM {ANCESTORS} a JOIN units u ON CAST(u.unit_code AS VARCHAR) = a.unit_code"
        f" WHERE {where} GROUP BY 1, 2"
    ).fetchall()
    return {(str(p), str(k)): int(n) for p, k, n in rows}


def _report(
    period_id: str,
    period: Period,
    units: list[UnitInfo],
    paths: dict[str, list[str]],
    per_unit: dict[tuple[str, str], Figures],
    per_level: dict[tuple[str, str], int],
    per_group: dict[tuple[str, str], int],
    ruleset: dict[str, str],
    data: dict[str, str],
) -> StatsReport:
    def stats(unit: UnitInfo) -> UnitStats:
        zero = Figures(complete({}), 0)
        return UnitStats(unit, per_unit.get((period_id, unit.unit_code), zero))

    roots = tuple(stats(u) for u in units if not u.parent_code)
    levels: list[LevelStats] = []
    by_code = {u.unit_code: u for u in units}
    for level in LEVEL_ORDER:
        members = [stats(u) for u in units if u.level == level and u.parent_code]
        if members:
            outermost = [m.figures for m in members if not _nested(m.unit, level, paths, by_code)]
            distinct = per_level.get((period_id, level), 0)
            levels.append(LevelStats(level, add(outermost, distinct), tuple(members)))
    groups = _commune_groups(period_id, units, per_unit, per_group)
    if groups:
        total = add([g.figures for g in groups], per_level.get((period_id, "commune"), 0))
        levels.append(LevelStats("commune_group", total, tuple(groups)))
    return StatsReport(
        period.to_json(), roots, tuple(levels), dict(DEFINITIONS), dict(data), ruleset
    )


def _nested(
    unit: UnitInfo, level: str, paths: dict[str, list[str]], by_code: dict[str, UnitInfo]
) -> bool:
    """Whether an ancestor has the same level (its rows are already in that ancestor's)."""
    return any(by_code[code].level == level for code in paths[unit.unit_code][:-1])


def _commune_groups(
    period_id: str,
    units: list[UnitInfo],
    per_unit: dict[tuple[str, str], Figures],
    per_group: dict[tuple[str, str], int],
) -> list[UnitStats]:
    """The communes of each district added up ("Các xã thuộc huyện …" in the report)."""
    groups = []
    for district in (u for u in units if u.level == "district"):
        communes = [
            per_unit[(period_id, u.unit_code)]
            for u in units
            if u.level == "commune"
            and u.parent_code == district.unit_code
            and (period_id, u.unit_code) in per_unit
        ]
        has_communes = any(
            u.parent_code == district.unit_code for u in units if u.level == "commune"
        )
        if has_communes:
            distinct = per_group.get((period_id, district.unit_code), 0)
            groups.append(UnitStats(district, add(communes, distinct)))
    return groups
