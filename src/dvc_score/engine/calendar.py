"""The Vietnamese working-day calendar behind ``working_days`` and ``add_working_days``.

Working days exclude Saturdays, Sundays and Vietnamese public holidays (Tết
included) from the ``holidays`` package. The calendar is a small DuckDB table
with a running count of working days, so both functions are lookups.
"""

from __future__ import annotations

from datetime import date

import duckdb
import holidays

FIRST_YEAR = 2015
LAST_YEAR = 2040


def public_holidays(first: int = FIRST_YEAR, last: int = LAST_YEAR) -> list[date]:
    """Vietnamese public holidays (weekday or not) of the years ``first..last``."""
    return sorted(holidays.country_holidays("VN", years=range(first, last + 1)))


def install_calendar(con: duckdb.DuckDBPyConnection) -> None:
    """Create the calendar table and the two macros rulesets may call."""
    listed = ", ".join(f"DATE '{day.isoformat()}'" for day in public_holidays())
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE dvc_calendar AS
        SELECT CAST(day AS DATE) AS day,
               CAST(sum(CASE WHEN isodow(day) < 6 AND day NOT IN ({listed}) THEN 1 ELSE 0 END)
                    OVER (ORDER BY day) AS INTEGER) AS seq
        FROM range(DATE '{FIRST_YEAR}-01-01', DATE '{LAST_YEAR + 1}-01-01', INTERVAL 1 DAY) t(day)
        """
    )
    # working_days(a, b): working days after a up to and including b.
    con.execute(
        """
        CREATE OR REPLACE TEMP MACRO working_days(a, b) AS (
            (SELECT seq FROM dvc_calendar WHERE day = CAST(b AS DATE))
            - (SELECT seq FROM dvc_calendar WHERE day = CAST(a AS DATE))
        )
        """
    )
    # add_working_days(t, n): the n-th working day after t, same time of day.
    con.execute(
        """
        CREATE OR REPLACE TEMP MACRO add_working_days(t, n) AS (
            CAST(t AS TIMESTAMP) + to_days(CAST((
                SELECT min(c.day) FROM dvc_calendar c
                WHERE c.seq = (SELECT seq FROM dvc_calendar WHERE day = CAST(t AS DATE))
                              + CAST(ceil(n) AS INTEGER)
            ) - CAST(t AS DATE) AS INTEGER))
        )
        """
    )
