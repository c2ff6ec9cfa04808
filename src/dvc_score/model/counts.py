"""Counts: the pivot between data and arithmetic.

For one period, every unit and every indicator has a numerator and a
denominator. ``None`` for both means "no data" (the empty-denominator policy
applies, exactly as for a zero denominator).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

LEVEL_ORDER = {"province": 0, "department": 1, "district": 2, "commune": 3}


@dataclass(frozen=True)
class UnitInfo:
    unit_code: str
    unit_name: str
    level: str
    parent_code: str | None

    def sort_key(self) -> tuple[int, str]:
        return (LEVEL_ORDER.get(self.level, len(LEVEL_ORDER)), self.unit_code)


@dataclass(frozen=True)
class Count:
    numerator: int | None
    denominator: int | None

    @property
    def empty(self) -> bool:
        return not self.denominator


NO_DATA = Count(None, None)


@dataclass
class Counts:
    """Numerators and denominators of one period, per unit and indicator."""

    period_id: str
    units: list[UnitInfo]
    values: dict[tuple[str, str], Count] = field(default_factory=dict)
    indicators: list[str] = field(default_factory=list)

    def get(self, unit_code: str, indicator_id: str) -> Count:
        return self.values.get((unit_code, indicator_id), NO_DATA)

    def rows(self) -> Iterator[tuple[UnitInfo, str, Count]]:
        for unit in self.units:
            for indicator_id in self.indicators:
                yield unit, indicator_id, self.get(unit.unit_code, indicator_id)


def order_units(units: list[UnitInfo]) -> list[UnitInfo]:
    """Roots first, then by level (departments, districts, communes) and code."""
    return sorted(units, key=lambda unit: (unit.parent_code not in (None, ""), *unit.sort_key()))
