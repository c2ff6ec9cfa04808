"""The Vietnamese working-day calendar behind ``working_days`` and ``add_working_days``.

Working days exclude Saturdays, Sundays and Vietnamese public holidays (Tết
included) from the ``holidays`` package. The calendar is one row of two lists —
the running count of working days for each date, and the date of the k-th
working day — so both functions are O(1) list lookups per row. (Scalar subqueries against a calendar table were tried first:
DuckDB decorrelates them into joins that blow up on millions of dossiers.)
"""

from __future__ import annotations

import threading
from datetime import date
from functools import cache

import duckdb

FIRST_YEAR = 2015
LAST_YEAR = 2040
EPOCH = date(FIRST_YEAR, 1, 1)


_computing = threading.Lock()


def public_holidays(first: int = FIRST_YEAR, last: int = LAST_YEAR) -> frozenset[date]:
    """Vietnamese public holidays (weekday or not) of the years ``first..last``."""
    with _computing:  # a warm_up() thread may be computing them right now
        return _public_holidays(first, last)


@cache
def _public_holidays(first: int, last: int) -> frozenset[date]:
    import holidays  # 0.2-0.3 s with the country data: only when counting

    return frozenset(holidays.country_holidays("VN", years=range(first, last + 1)))


def warm_up() -> None:
    """Compute the holidays in the background while the input is being read.

    The ``holidays`` package takes 0.2-0.3 s to import and compute, all of it
    Python; DuckDB releases the interpreter while it reads, so this costs the
    reading nothing and the counting 0.2-0.3 s less.
    """
    threading.Thread(target=public_holidays, name="dvc-holidays", daemon=True).start()


def install_calendar(con: duckdb.DuckDBPyConnection) -> None:
    """Create the two macros rulesets may call. Dates outside 2015–2040 give NULL."""
    off = ", ".join(f"DATE '{d.isoformat()}'" for d in sorted(public_holidays()))
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE dvc_calendar AS
        WITH days AS (
            SELECT CAST(day AS DATE) AS day,
                   isodow(day) < 6 AND CAST(day AS DATE) NOT IN ({off}) AS working
            FROM range(DATE '{EPOCH.isoformat()}', DATE '{LAST_YEAR + 1}-01-01', INTERVAL 1 DAY) t(day)
        ), numbered AS (
            SELECT day, working, CAST(sum(CAST(working AS INTEGER)) OVER (ORDER BY day) AS INTEGER) AS seq FROM days
        )
        SELECT list(seq ORDER BY day) AS seq,
               list(day ORDER BY day) FILTER (WHERE working) AS workdays
        FROM numbered
        """
    )
    # A date before EPOCH would give a negative index, which list_extract counts
    # from the end of the list; NULL instead (past the end is NULL already).
    index = (
        f"(CASE WHEN CAST({{0}} AS DATE) >= DATE '{EPOCH.isoformat()}' THEN "
        f"date_diff('day', DATE '{EPOCH.isoformat()}', CAST({{0}} AS DATE)) + 1 END)"
    )
    seq = "(SELECT seq FROM dvc_calendar)"
    workdays = "(SELECT workdays FROM dvc_calendar)"
    # working_days(a, b): working days after a up to and including b.
    con.execute(
        "CREATE OR REPLACE TEMP MACRO working_days(a, b) AS "
        f"list_extract({seq}, {index.format('b')}) - list_extract({seq}, {index.format('a')})"
    )
    # add_working_days(t, n): the n-th working day after t, at the same time of day.
    con.execute(
        "CREATE OR REPLACE TEMP MACRO add_working_days(t, n) AS "
        f"CAST(t AS TIMESTAMP) + to_days(CAST(date_diff('day', CAST(t AS DATE), list_extract({workdays}, "
        f"list_extract({seq}, {index.format('t')}) + CAST(ceil(n) AS INTEGER))) AS INTEGER))"
    )
