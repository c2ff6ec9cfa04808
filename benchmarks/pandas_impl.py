"""What an analyst would write: national2026's counts with pandas (and pyarrow to read Parquet).

Run as ``python benchmarks/pandas_impl.py --data DIR --period 2026 -o counts.csv``;
benchmarks/run.py times it and checks that its counts equal ``dvc-score count``.
Output: ``unit_code,indicator,numerator,denominator`` for every unit.

The approach is the straightforward one: read the columns needed, merge the
procedure catalog onto the dossiers, compute boolean masks, then group by
(unit, procedure, service) and roll up to every ancestor through a
(unit, ancestor) table. Working days come from numpy's business-day functions
with Vietnam's public holidays from the ``holidays`` package. A missing value
never satisfies a condition (as in SQL), except where national2026 says
otherwise (a procedure without ``paper_result`` or ``for_citizens`` counts as
TRUE).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

YEARS = range(2015, 2041)  # the years dvc-score's calendar covers

DOSSIER_COLUMNS = [
    "unit_code", "procedure_code", "service_code", "channel", "received_at", "due_at",
    "finished_at", "returned_at", "status", "supplement_requests", "supplement_days", "synced",
    "fee_due", "paid_online", "e_result", "digitized", "reused_data", "personal_store",
    "citizen_data", "rating", "complaint",
]  # fmt: skip
DATE_COLUMNS = {
    "dossiers": ["received_at", "due_at", "finished_at", "returned_at"],
    "procedures": ["decision_date", "legal_effective_date", "published_date"],
    "petitions": ["received_at", "due_at", "resolved_at"],
}


def read(folder: Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    parquet, csv = folder / f"{table}.parquet", folder / f"{table}.csv"
    if parquet.exists():
        frame = pd.read_parquet(parquet, columns=columns, dtype_backend="numpy_nullable")
    else:
        frame = pd.read_csv(csv, usecols=columns, dtype_backend="numpy_nullable")
    for column in DATE_COLUMNS.get(table, []):
        if column in frame and not pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = pd.to_datetime(frame[column])
    return frame


def true(series: pd.Series) -> np.ndarray:
    """Where a boolean column is TRUE (missing counts as not true)."""
    return series.fillna(False).to_numpy(dtype=bool)


def closure(units: pd.DataFrame) -> pd.DataFrame:
    """(unit_code, ancestor, is_root) for every unit and each of its ancestors, itself included."""
    parent = dict(zip(units["unit_code"], units["parent_code"].replace("", pd.NA), strict=True))
    rows = []
    for unit in units["unit_code"]:
        chain, current = [unit], unit
        while pd.notna(parent.get(current)):
            current = parent[current]
            chain.append(current)
        rows += [(unit, ancestor, ancestor == chain[-1]) for ancestor in chain]
    return pd.DataFrame(rows, columns=["unit_code", "ancestor", "is_root"])


class Calendar:
    """Working days: Monday to Friday, not a Vietnamese public holiday."""

    def __init__(self) -> None:
        days = holidays.country_holidays("VN", years=YEARS)
        self.holidays = np.array(sorted(days), dtype="datetime64[D]")

    def working_days(self, start: pd.Series, end: pd.Series) -> np.ndarray:
        """Working days after ``start`` up to and including ``end`` (NaN where either is missing)."""
        a, b = start.to_numpy("datetime64[D]"), end.to_numpy("datetime64[D]")
        known = ~(np.isnat(a) | np.isnat(b))
        result = np.full(len(a), np.nan)
        one = np.timedelta64(1, "D")
        result[known] = np.busday_count(a[known] + one, b[known] + one, holidays=self.holidays)
        return result

    def add_working_days(self, start: pd.Series, days: pd.Series) -> pd.Series:
        """The ``ceil(days)``-th working day after ``start``, at the same time of day."""
        stamps = start.to_numpy("datetime64[ns]")
        count = np.ceil(days.to_numpy(dtype=float, na_value=np.nan))
        known = ~np.isnat(stamps) & ~np.isnan(count)
        day = stamps.astype("datetime64[D]")
        result = np.full(len(stamps), np.datetime64("NaT"), dtype="datetime64[ns]")
        target = np.busday_offset(
            day[known], count[known].astype(int), roll="backward", holidays=self.holidays
        )
        result[known] = stamps[known] + (target - day[known]).astype("timedelta64[ns]")
        return pd.Series(result, index=start.index)


def dossier_counts(
    folder: Path, units: pd.DataFrame, catalog: pd.DataFrame, period: tuple[datetime, datetime]
) -> pd.DataFrame:
    start, end = period
    d = read(folder, "dossiers", DOSSIER_COLUMNS)
    lookup = catalog.groupby(["procedure_code", "unit_code"], as_index=False).agg(
        max_duration_days=("max_duration_days", "max"),
        paper_result=("paper_result", "max"),
        for_citizens=("for_citizens", "max"),
        has_fee=("has_fee", "max"),
    )
    d = d.merge(lookup, on=["procedure_code", "unit_code"], how="left")
    status = d["status"].to_numpy(dtype=float, na_value=np.nan)
    received = d["received_at"]
    finish = d["finished_at"].fillna(d["returned_at"])
    due = d["due_at"].fillna(Calendar().add_working_days(received, d["max_duration_days"]))

    live = ~np.isin(status, [3, 7, 8]) & (received < end).to_numpy()
    rip = live & (received >= start).to_numpy()
    finished_by_end = np.isin(status, [9, 10]) & (finish < end).fillna(False).to_numpy(bool)
    fip = finished_by_end & (finish >= start).fillna(False).to_numpy(bool)
    open_at_end = live & ~finished_by_end
    handled = live & (fip | open_at_end)
    late_seconds = (finish - due).dt.total_seconds()
    allowed = d["supplement_days"].fillna(0).to_numpy(dtype=float) * 86400
    met_due = (d["supplement_requests"].fillna(0).to_numpy() <= 1) & (
        late_seconds.to_numpy(dtype=float, na_value=np.nan) <= allowed
    )
    on_time = (fip & met_due) | (open_at_end & (due >= end).fillna(False).to_numpy(bool))
    online = (d["channel"] == "online").fillna(False).to_numpy(bool)
    fee = d["fee_due"].fillna(0).to_numpy(dtype=float) > 0
    paid = true(d["paid_online"])
    paper = d["paper_result"].fillna(True).to_numpy(dtype=bool)
    e_result = true(d["e_result"])
    unsatisfied = (d["rating"] == "unsatisfied").fillna(False).to_numpy(bool) | true(d["complaint"])

    flags = pd.DataFrame(
        {
            "unit_code": d["unit_code"],
            "procedure_code": d["procedure_code"],
            "service_code": d["service_code"],
            "received": rip,
            "synced": rip & true(d["synced"]),
            "handled": handled,
            "on_time": handled & on_time,
            "satisfied": handled & on_time & ~unsatisfied,
            "online": rip & online,
            "fee": rip & fee,
            "paid": rip & fee & paid,
            "paper_finished": fip & paper,
            "e_result": fip & paper & e_result,
            "digitized": rip & true(d["digitized"]) & (~finished_by_end | ~paper | e_result),
            "reused": rip & true(d["reused_data"]),
            "personal": rip & true(d["personal_store"]),
            "citizen": rip & true(d["citizen_data"]),
            "paid_procedure": rip & fee & paid & true(d["has_fee"]),
            "citizen_procedure": rip
            & true(d["citizen_data"])
            & d["for_citizens"].fillna(True).to_numpy(dtype=bool),
        }
    )
    keys = ["unit_code", "procedure_code", "service_code"]
    per_key = flags.groupby(keys, dropna=False, as_index=False).agg(
        **{c: (c, "sum") for c in flags.columns if c not in keys}
    )
    tree = closure(units)
    rolled = per_key.merge(tree[["unit_code", "ancestor"]], on="unit_code")
    sums = rolled.groupby("ancestor")[
        [c for c in per_key.columns if c not in keys and not c.endswith("_procedure")]
    ].sum()
    sums["services_used"] = _distinct(rolled, "service_code", rolled["online"] > 0)
    sums["procedures_paid"] = _distinct(rolled, "procedure_code", rolled["paid_procedure"] > 0)
    sums["procedures_citizen"] = _distinct(
        rolled, "procedure_code", rolled["citizen_procedure"] > 0
    )
    return sums


def _distinct(frame: pd.DataFrame, column: str, where: pd.Series) -> pd.Series:
    return frame[where.to_numpy(bool)].groupby("ancestor")[column].nunique()


def catalog_counts(
    catalog: pd.DataFrame, tree: pd.DataFrame, period: tuple[datetime, datetime]
) -> pd.DataFrame:
    start, end = (pd.Timestamp(p.date()) for p in period)
    p = catalog.merge(tree[["unit_code", "ancestor"]], on="unit_code")
    calendar = Calendar()
    decided = ((p["decision_date"] >= start) & (p["decision_date"] < end)).fillna(False)
    published = ((p["published_date"] >= start) & (p["published_date"] < end)).fillna(False)
    lead = calendar.working_days(p["decision_date"], p["legal_effective_date"])
    lag = calendar.working_days(p["decision_date"], p["published_date"])
    online = p["online_level"].isin(["partial", "full"]).to_numpy(bool)
    has_fee = true(p["has_fee"])
    masks = {
        "procedures": np.ones(len(p), dtype=bool),
        "procedures_online": online,
        "procedures_fee": has_fee,
        "procedures_integrated": has_fee & true(p["payment_integrated"]),
        "procedures_citizens": p["for_citizens"].fillna(True).to_numpy(dtype=bool),
        "decided": decided.to_numpy(bool),
        "decided_on_time": decided.to_numpy(bool) & (lead >= 5),
        "published_on_time": decided.to_numpy(bool) & (lag <= 5),
        "published": published.to_numpy(bool),
        "published_complete": published.to_numpy(bool) & true(p["content_complete"]),
    }
    out = pd.DataFrame(
        {name: _distinct(p, "procedure_code", pd.Series(m)) for name, m in masks.items()}
    )
    out["services_online"] = _distinct(p, "service_code", pd.Series(online))
    return out


def petition_counts(
    folder: Path, tree: pd.DataFrame, period: tuple[datetime, datetime]
) -> pd.DataFrame:
    start, end = period
    t = read(folder, "petitions", ["unit_code", "received_at", "due_at", "resolved_at", "rating"])
    resolved, due = t["resolved_at"], t["due_at"]
    handled = ((t["received_at"] < end) & (resolved.isna() | (resolved >= start))).fillna(False)
    on_time = ((resolved < end) & (resolved <= due)).fillna(False) | (
        (resolved.isna() | (resolved >= end)) & (due >= end)
    ).fillna(False)
    satisfied = handled & on_time & (t["rating"].fillna("") != "unsatisfied")
    frame = pd.DataFrame(
        {
            "unit_code": t["unit_code"],
            "petitions": handled.to_numpy(bool),
            "petitions_on_time": (handled & on_time).to_numpy(bool),
            "petitions_satisfied": satisfied.to_numpy(bool),
        }
    )
    per_unit = frame.groupby("unit_code").sum()
    rolled = per_unit.merge(tree, left_index=True, right_on="unit_code")
    return rolled.groupby("ancestor")[
        ["petitions", "petitions_on_time", "petitions_satisfied"]
    ].sum()


def unit_counts(units: pd.DataFrame, tree: pd.DataFrame) -> pd.DataFrame:
    u = units.merge(tree[["unit_code", "ancestor"]], on="unit_code")
    commune = (u["level"] == "commune").to_numpy(bool)
    copy = u["e_certified_copy"]
    return pd.DataFrame(
        {
            "communes_copy": _distinct(u, "unit_code", pd.Series(commune & true(copy))),
            "communes": _distinct(u, "unit_code", pd.Series(commune & copy.notna().to_numpy(bool))),
        }
    )


# (indicator, numerator column, denominator column); "root:" reads the root's figure.
INDICATORS = [
    ("publicity.published_on_time", "root:decided_on_time", "root:decided"),
    ("publicity.updated_on_time", "root:published_on_time", "root:decided"),
    ("publicity.content_complete", "root:published_complete", "root:published"),
    ("publicity.dossier_sync", "synced", "received"),
    ("timeliness.on_time", "on_time", "handled"),
    ("online.procedures_online", "procedures_online", "procedures"),
    ("online.services_with_dossiers", "services_used", "services_online"),
    ("online.online_dossiers", "online", "received"),
    ("payment.dossiers_paid_online", "paid", "fee"),
    ("payment.procedures_with_online_payment", "procedures_paid", "procedures_fee"),
    ("payment.procedures_integrated", "procedures_integrated", "procedures_fee"),
    ("digitization.e_result", "e_result", "paper_finished"),
    ("digitization.digitized", "digitized", "received"),
    ("digitization.reused", "reused", "received"),
    ("digitization.personal_store", "personal", "received"),
    ("digitization.citizen_data_dossiers", "citizen", "received"),
    ("digitization.citizen_data_procedures", "procedures_citizen", "procedures_citizens"),
    ("digitization.certified_copy", "communes_copy", "communes"),
    ("satisfaction.petitions_on_time", "petitions_on_time", "petitions"),
    ("satisfaction.petitions_satisfied", "petitions_satisfied", "petitions"),
    ("satisfaction.dossier_satisfaction", "satisfied", "handled"),
]


def counts(folder: Path, period: tuple[datetime, datetime]) -> pd.DataFrame:
    """Long counts: unit_code, indicator, numerator, denominator (every unit and indicator)."""
    units = read(folder, "units")
    units["parent_code"] = units["parent_code"].replace("", pd.NA)
    catalog = read(folder, "procedures")
    tree = closure(units)
    wide = pd.concat(
        [
            dossier_counts(folder, units, catalog, period),
            catalog_counts(catalog, tree, period),
            petition_counts(folder, tree, period),
            unit_counts(units, tree),
        ],
        axis=1,
    )
    wide = wide.reindex(units["unit_code"]).fillna(0).astype("int64")
    roots = tree[tree["is_root"]].set_index("unit_code")["ancestor"]

    def column(name: str) -> np.ndarray:
        if name.startswith("root:"):
            return wide.loc[roots.loc[wide.index], name[5:]].to_numpy()
        return wide[name].to_numpy()

    parts = [
        pd.DataFrame(
            {
                "unit_code": wide.index,
                "indicator": indicator,
                "numerator": column(numerator),
                "denominator": column(denominator),
            }
        )
        for indicator, numerator, denominator in INDICATORS
    ]
    return pd.concat(parts, ignore_index=True).sort_values(["unit_code", "indicator"])


def parse_period(text: str) -> tuple[datetime, datetime]:
    """A year (2026) or a month (2026-08): first instant, first instant after."""
    if len(text) == 4:
        year = int(text)
        return datetime(year, 1, 1), datetime(year + 1, 1, 1)
    year, month = (int(p) for p in text.split("-"))
    first = date(year, month, 1)
    after = date(year + month // 12, month % 12 + 1, 1)
    return datetime.combine(first, datetime.min.time()), datetime.combine(
        after, datetime.min.time()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--period", default="2026")
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    result = counts(args.data, parse_period(args.period))
    result.to_csv(args.output or sys.stdout, index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
