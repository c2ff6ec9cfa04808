"""Reporting periods: ``2026-08``, ``2026-Q3``, ``2026`` or ``2026-08-01..2026-08-31``.

A period is a half-open range of local dates (Asia/Ho_Chi_Minh): it starts at
00:00 on its first day and ends at 00:00 on the day after its last day. Data
timestamps are naive local time, so no conversion happens at query time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dvc_score.errors import UserError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")

PERIOD_FORMS = "YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD..YYYY-MM-DD"


@dataclass(frozen=True, order=True)
class Period:
    start: date
    """First day, inclusive."""
    end: date
    """Last day, inclusive."""
    id: str

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, datetime.min.time())

    @property
    def end_at(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), datetime.min.time())

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "start": self.start.isoformat(), "end": self.end.isoformat()}


def parse_period(text: str) -> Period:
    """Parse one period; raise UserError naming the accepted forms."""
    value = text.strip()
    try:
        return _parse(value)
    except ValueError as error:
        raise UserError(f"--period {text!r}: {error}; expected {PERIOD_FORMS}") from None


def _parse(value: str) -> Period:
    if match := _MONTH.match(value):
        year, month = int(match.group(1)), int(match.group(2))
        start = date(year, month, 1)
        return Period(start, _month_end(year, month), f"{year}-{month:02d}")
    if match := _QUARTER.match(value):
        year, quarter = int(match.group(1)), int(match.group(2))
        first = 3 * quarter - 2
        return Period(date(year, first, 1), _month_end(year, first + 2), f"{year}-Q{quarter}")
    if match := _YEAR.match(value):
        year = int(match.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31), str(year))
    if match := _RANGE.match(value):
        start, end = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        if end < start:
            raise ValueError("the range ends before it starts")
        return Period(start, end, value)
    raise ValueError("not a period")


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def expand_periods(spec: str, by: str) -> list[Period]:
    """``2026-01..2026-08`` by month (or quarter) into consecutive periods."""
    if ".." not in spec:
        raise UserError(f"--periods {spec!r}: expected FROM..TO, e.g. 2026-01..2026-08")
    first, last = (parse_period(part) for part in spec.split("..", 1))
    if last.end < first.start:
        raise UserError(f"--periods {spec!r}: the range ends before it starts")
    periods: list[Period] = []
    cursor = first.start
    while cursor <= last.end:
        period = _period_at(cursor, by)
        periods.append(period)
        cursor = period.end + timedelta(days=1)
        if len(periods) > 1000:
            raise UserError(f"--periods {spec!r}: more than 1000 periods")
    return periods


def _period_at(day: date, by: str) -> Period:
    if by == "month":
        return _parse(f"{day.year}-{day.month:02d}")
    if by == "quarter":
        return _parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    if by == "year":
        return _parse(str(day.year))
    raise UserError(f"--by {by!r}: expected month, quarter or year")
