"""Read the rows behind an indicator's loss: counts, costly procedures, ids.

Each table the chosen indicators read is materialised once with the engine's
``row_query`` (one boolean column per numerator and denominator filter, with
every derived column computed as when scoring), then each indicator is
answered from that table for the unit's subtree. A district therefore includes
its communes, exactly as in the roll-up.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb

from dvc_score.analysis.explain import (
    Explanation,
    ItemLoss,
    LossId,
    gain,
    item_kind,
)
from dvc_score.engine.duckdb_backend import prepare
from dvc_score.engine.periods import Period
from dvc_score.engine.planner import row_query
from dvc_score.engine.scorer import Scorer, score_indicator
from dvc_score.errors import UserError
from dvc_score.model.counts import Count, Counts, UnitInfo
from dvc_score.model.ruleset import Indicator, Measure, Ruleset
from dvc_score.model.schema import TABLES


@dataclass(frozen=True)
class _Side:
    """Where one side of one indicator lives: its table and flag column."""

    table: str
    flag: str
    measure: Measure


@dataclass(frozen=True)
class _Cap:
    limit: int
    every_id: bool

    @property
    def sql(self) -> str:
        return "" if self.every_id else f" LIMIT {int(self.limit)}"


@dataclass(frozen=True)
class _Tree:
    units: dict[str, UnitInfo]
    paths: dict[str, list[str]]

    def scope(self, unit_code: str, indicator: Indicator) -> tuple[str, str]:
        """The counted unit and the SQL condition selecting its subtree."""
        path = self.paths[unit_code]
        code = path[0] if indicator.scope == "root" else unit_code
        level = len(self.paths[code]) - 1
        return code, f"a{level} = '{_sql_text(code)}'"


def explain_dataset(
    con: duckdb.DuckDBPyConnection,
    ruleset: Ruleset,
    period: Period,
    unit_code: str,
    indicator_ids: Sequence[str],
    scorers: Mapping[str, Scorer],
    limit: int,
    every_id: bool = False,
) -> list[Explanation]:
    """Explain each indicator for ``unit_code`` (its subtree) in ``period``.

    ``limit`` caps the procedures and ids kept; ``every_id`` also collects every
    id behind each loss in ``all_ids`` (a province can have a million of them).
    """
    units, paths, depth = prepare(con, [period])
    tree = _Tree({u.unit_code: u for u in units}, paths)
    unit = _find_unit(tree.units, unit_code)
    indicators = [ruleset.indicators[i] for i in indicator_ids]
    sides = _materialise(con, ruleset, indicators, depth)
    cap = _Cap(limit, every_id)
    return [
        _explain_one(con, tree, unit, indicator, sides, scorers[indicator.scoring], cap)
        for indicator in indicators
    ]


def explain_counts(
    counts: Counts,
    ruleset: Ruleset,
    unit_code: str,
    indicator_ids: Sequence[str],
    scorers: Mapping[str, Scorer],
) -> list[Explanation]:
    """Explain from counts alone: numbers and gains, no rows to drill into."""
    unit = _find_unit({u.unit_code: u for u in counts.units}, unit_code)
    explanations = []
    for indicator_id in indicator_ids:
        indicator = ruleset.indicators[indicator_id]
        count = counts.get(unit_code, indicator_id)
        scorer = scorers[indicator.scoring]
        scored = score_indicator(indicator, count, scorer)
        lost = _lost_from_count(count)
        explanations.append(
            Explanation(
                indicator,
                unit,
                unit_code,
                scored,
                gain(indicator, count, scorer),
                False,
                loss_total=lost,
            )
        )
    return explanations


def _find_unit(units: Mapping[str, UnitInfo], unit_code: str) -> UnitInfo:
    unit = units.get(unit_code)
    if unit is None:
        # A name typed instead of a code is the usual slip: suggest the code for it.
        by_name = [u.unit_code for u in units.values() if u.unit_name.lower() == unit_code.lower()]
        near = by_name or difflib.get_close_matches(unit_code, list(units), n=5, cutoff=0.6)
        hint = f"; did you mean {', '.join(near)}?" if near else "; see `dvc-score run` for codes"
        raise UserError(f"--unit {unit_code!r}: no such unit in the data{hint}")
    return unit


def _materialise(
    con: duckdb.DuckDBPyConnection, ruleset: Ruleset, indicators: Sequence[Indicator], depth: int
) -> dict[tuple[str, str], _Side]:
    """One temp table per table read, with a flag column per indicator side."""
    sides: dict[tuple[str, str], _Side] = {}
    flags: dict[str, dict[str, str]] = {}
    keeps: dict[str, set[str]] = {}
    for index, indicator in enumerate(indicators):
        for side, measure in (("num", indicator.numerator), ("den", indicator.denominator)):
            flag = f"{side}{index}"
            flags.setdefault(measure.table, {})[flag] = measure.where
            keeps.setdefault(measure.table, set()).update(_keep_columns(measure))
            sides[(indicator.id, side)] = _Side(_temp(measure.table), flag, measure)
    for table, table_flags in flags.items():
        sql = row_query(ruleset, table, table_flags, sorted(keeps[table]), depth)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_temp(table)} AS {sql}")
    return sides


def _keep_columns(measure: Measure) -> set[str]:
    table = TABLES[measure.table]
    keep = {table.key, "unit_code"}
    if table.column("procedure_code") is not None:
        keep.add("procedure_code")
    if measure.is_distinct:
        keep.add(measure.count)
    return keep


def _explain_one(
    con: duckdb.DuckDBPyConnection,
    tree: _Tree,
    unit: UnitInfo,
    indicator: Indicator,
    sides: Mapping[tuple[str, str], _Side],
    scorer: Scorer,
    cap: _Cap,
) -> Explanation:
    code, subtree = tree.scope(unit.unit_code, indicator)
    num, den = sides[(indicator.id, "num")], sides[(indicator.id, "den")]
    if indicator.denominator.is_distinct:
        count, losses, ids = _distinct_losses(con, num, den, subtree)
        lost = len(ids)
    elif num.table == den.table:
        count, lost, losses, ids = _row_losses(con, num, den, subtree, cap)
    else:  # rows counted in two tables: the numbers stand, but no row is "missing"
        count = Count(_count_rows(con, num, subtree), _count_rows(con, den, subtree))
        lost, losses, ids = _lost_from_count(count), [], []
    scored = score_indicator(indicator, count, scorer)
    return Explanation(
        indicator,
        unit,
        code,
        scored,
        gain(indicator, count, scorer),
        True,
        tuple(losses[: cap.limit]),
        lost,
        tuple(ids[: cap.limit]),
        tuple(ids) if cap.every_id else (),
    )


def _row_losses(
    con: duckdb.DuckDBPyConnection, num: _Side, den: _Side, subtree: str, cap: _Cap
) -> tuple[Count, int, list[ItemLoss], list[LossId]]:
    """Counts, rows lost, the costliest procedures and the ids of the lost rows."""
    table, key = num.table, TABLES[num.measure.table].key
    lost = f"{den.flag} AND NOT {num.flag}"
    row = con.execute(
        f"SELECT count(*) FILTER (WHERE {num.flag}), count(*) FILTER (WHERE {den.flag}),"
        f" count(*) FILTER (WHERE {lost}) FROM {table} WHERE {subtree}"
    ).fetchone()
    numerator, denominator, lost_rows = (int(v) for v in row) if row else (0, 0, 0)
    lost += f" AND {subtree}"
    has_procedure = TABLES[num.measure.table].column("procedure_code") is not None
    losses = (
        _procedure_losses(con, table, den.flag, lost, subtree, cap.limit) if has_procedure else []
    )
    procedure = "procedure_code" if has_procedure else "''"
    rows = con.execute(
        f"SELECT DISTINCT CAST({key} AS VARCHAR), CAST(unit_code AS VARCHAR),"
        f" CAST({procedure} AS VARCHAR) FROM {table} WHERE {lost} ORDER BY 1{cap.sql}"
    ).fetchall()
    kind = item_kind(num.measure, key)
    ids = [LossId(kind, str(i), str(u or ""), str(p or "")) for i, u, p in rows]
    return Count(numerator, denominator), lost_rows, losses, ids


def _procedure_losses(
    con: duckdb.DuckDBPyConnection, table: str, den_flag: str, lost: str, subtree: str, limit: int
) -> list[ItemLoss]:
    rows = con.execute(
        f"WITH l AS (SELECT procedure_code, count(*) AS lost FROM {table} WHERE {lost}"
        f" GROUP BY 1), d AS (SELECT procedure_code, count(*) AS n FROM {table}"
        f" WHERE {den_flag} AND {subtree} GROUP BY 1),"
        " names AS (SELECT procedure_code, max(procedure_name) AS name FROM procedures GROUP BY 1)"
        " SELECT CAST(l.procedure_code AS VARCHAR), names.name, l.lost, d.n FROM l"
        " JOIN d USING (procedure_code) LEFT JOIN names USING (procedure_code)"
        f" ORDER BY l.lost DESC, 1 LIMIT {int(limit)}"
    ).fetchall()
    return [ItemLoss(str(c or ""), str(n or ""), int(lo), int(d)) for c, n, lo, d in rows]


def _distinct_losses(
    con: duckdb.DuckDBPyConnection, num: _Side, den: _Side, subtree: str
) -> tuple[Count, list[ItemLoss], list[LossId]]:
    numerator = _items(con, num, subtree)
    denominator = _items(con, den, subtree)
    missing = sorted(denominator - numerator)
    names = _item_names(con, den.measure.count, missing)
    kind = item_kind(den.measure, den.measure.count)
    losses = [ItemLoss(code, names.get(code, ""), 1, 1) for code in missing]
    ids = [LossId(kind, code, "", code if kind == "procedure" else "") for code in missing]
    return Count(len(numerator), len(denominator)), losses, ids


def _items(con: duckdb.DuckDBPyConnection, side: _Side, subtree: str) -> set[str]:
    column = _quote(side.measure.count)
    rows = con.execute(
        f"SELECT DISTINCT CAST({column} AS VARCHAR) FROM {side.table}"
        f" WHERE {side.flag} AND {subtree} AND {column} IS NOT NULL"
    ).fetchall()
    return {str(r[0]) for r in rows}


def _item_names(con: duckdb.DuckDBPyConnection, column: str, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    source = {
        "procedure_code": "SELECT procedure_code, procedure_name FROM procedures",
        "service_code": "SELECT service_code, procedure_name FROM procedures",
        "unit_code": "SELECT unit_code, unit_name FROM units",
    }.get(column)
    if source is None:
        return {}
    rows = con.execute(
        f"SELECT CAST(c AS VARCHAR), max(n) FROM ({source}) s(c, n)"
        " WHERE CAST(c AS VARCHAR) IN (SELECT unnest(?)) GROUP BY 1",
        [codes],
    ).fetchall()
    return {str(c): str(n or "") for c, n in rows}


def _count_rows(con: duckdb.DuckDBPyConnection, side: _Side, subtree: str) -> int:
    row = con.execute(
        f"SELECT count(*) FROM {side.table} WHERE {side.flag} AND {subtree}"
    ).fetchone()
    return int(row[0]) if row else 0


def _lost_from_count(count: Count) -> int:
    return max((count.denominator or 0) - (count.numerator or 0), 0)


def _temp(table: str) -> str:
    return f"dvc_explain_{table}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_text(text: str) -> str:
    return text.replace("'", "''")
