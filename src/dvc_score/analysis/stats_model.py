"""The quarterly statistics as plain data: figures per unit and level, shares, rankings.

What each count means is defined in :mod:`dvc_score.analysis.stats` (as SQL
filters over the dossiers) and in docs/reports.md. Everything here is
arithmetic on those counts, with no I/O, so reporters can use it freely.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dvc_score.analysis.numfmt import share
from dvc_score.model.counts import UnitInfo

# Counted per unit (its subtree), in display order.
COUNTS: tuple[str, ...] = (
    "received",
    "carried_over",
    "to_process",
    "online",
    "direct",
    "postal",
    "resolved",
    "early",
    "on_time",
    "late",
    "in_progress",
    "overdue",
    "postal_received",
    "postal_returned",
    "postal_total",
)

# share name → (part, whole): the percentages the report quotes.
SHARES: dict[str, tuple[str, str]] = {
    "online_share": ("online", "received"),
    "direct_share": ("direct", "received"),
    "postal_share": ("postal", "received"),
    "resolved_share": ("resolved", "to_process"),
    "early_share": ("early", "resolved"),
    "on_time_share": ("on_time", "resolved"),
    "late_share": ("late", "resolved"),
    "overdue_share": ("overdue", "in_progress"),
}

# Measures ranked top-N / bottom-N within each level (Biểu 1–12 of the report).
RANKED: tuple[str, ...] = (
    "received",
    "online_share",
    "direct_share",
    "resolved_share",
    "early_share",
    "on_time_share",
    "late_share",
    "overdue",
    "postal_total",
)

LEVELS: tuple[str, ...] = ("department", "district", "commune", "commune_group")


@dataclass(frozen=True)
class Figures:
    """The counts of one unit (its subtree), one level or one province."""

    counts: Mapping[str, int]
    procedures: int | None = None
    """Distinct procedures among the dossiers received (not additive across units)."""

    def __getitem__(self, name: str) -> int:
        return self.counts.get(name, 0)

    def share(self, name: str) -> Decimal | None:
        part, whole = SHARES[name]
        return share(self[part], self[whole])

    def value(self, measure: str) -> Decimal | int | None:
        """A count or a share, by name (the ranked measures)."""
        return self.share(measure) if measure in SHARES else self[measure]

    def to_json(self) -> dict[str, Any]:
        shares = {name: _ratio(self.share(name)) for name in SHARES}
        return {**{n: self[n] for n in COUNTS}, "procedures": self.procedures, **shares}


@dataclass(frozen=True)
class UnitStats:
    unit: UnitInfo
    """The unit; for a ``commune_group`` entry, the district whose communes are added up."""
    figures: Figures

    def to_json(self) -> dict[str, Any]:
        return {
            "unit_code": self.unit.unit_code,
            "unit_name": self.unit.unit_name,
            "level": self.unit.level,
            "parent_code": self.unit.parent_code,
            **self.figures.to_json(),
        }


@dataclass(frozen=True)
class LevelStats:
    level: str
    """``department``, ``district`` (including its communes), ``commune``, or
    ``commune_group`` (the communes of each district added up)."""
    figures: Figures
    units: tuple[UnitStats, ...]


@dataclass(frozen=True)
class Ranking:
    measure: str
    top: tuple[UnitStats, ...]
    bottom: tuple[UnitStats, ...]


@dataclass(frozen=True)
class StatsReport:
    """The statistics of one period."""

    period: dict[str, str]
    roots: tuple[UnitStats, ...]
    levels: tuple[LevelStats, ...]
    definitions: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)
    ruleset: dict[str, str] = field(default_factory=dict)

    @property
    def province(self) -> UnitStats:
        return self.roots[0]

    def level(self, level: str) -> LevelStats | None:
        return next((lv for lv in self.levels if lv.level == level), None)

    def all_units(self) -> list[UnitStats]:
        """Roots, then each real level's units (not the commune groups)."""
        units = list(self.roots)
        for level in self.levels:
            if level.level != "commune_group":
                units.extend(level.units)
        return units


def rank(units: Sequence[UnitStats], measure: str, n: int) -> Ranking:
    """Top and bottom ``n`` by ``measure``; units without a value (no denominator) are left out."""
    valued = [(u.figures.value(measure), u) for u in units]
    present = [(v, u) for v, u in valued if v is not None]
    top = sorted(present, key=lambda vu: (-vu[0], vu[1].unit.unit_code))
    bottom = sorted(present, key=lambda vu: (vu[0], vu[1].unit.unit_code))
    return Ranking(measure, tuple(u for _, u in top[:n]), tuple(u for _, u in bottom[:n]))


def rankings(level: LevelStats, n: int) -> list[Ranking]:
    return [rank(level.units, measure, n) for measure in RANKED]


def complete(counts: Mapping[str, int]) -> dict[str, int]:
    """Add the sums the SQL does not count: to process and postal in total."""
    full = {name: int(counts.get(name, 0)) for name in COUNTS}
    full["to_process"] = full["received"] + full["carried_over"]
    full["postal_total"] = full["postal_received"] + full["postal_returned"]
    return full


def add(figures: Sequence[Figures], procedures: int | None = None) -> Figures:
    """Sum counts (they are additive); distinct procedures must be given, not summed."""
    total = {name: sum(f[name] for f in figures) for name in COUNTS}
    return Figures(total, procedures)


def _ratio(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 6)
