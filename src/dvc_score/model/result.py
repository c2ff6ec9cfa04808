"""Scores: indicator → group → total → class, per unit, with provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dvc_score import __version__
from dvc_score.model.counts import UnitInfo

REPORT_VERSION = 1


@dataclass(frozen=True)
class IndicatorScore:
    id: str
    numerator: int | None
    denominator: int | None
    ratio: Decimal | None
    score: Decimal | None
    max: Decimal
    status: str  # "scored" | "empty" | "n/a"
    provenance: str

    @property
    def lost(self) -> Decimal:
        return self.max - (self.score or Decimal(0))

    def to_json(self) -> dict[str, Any]:
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "ratio": None if self.ratio is None else round(float(self.ratio), 6),
            "score": _num(self.score),
            "max": _num(self.max),
            "status": self.status,
            "provenance": self.provenance,
        }


@dataclass(frozen=True)
class GroupScore:
    id: str
    score: Decimal
    max: Decimal

    def to_json(self) -> dict[str, Any]:
        return {"score": _num(self.score), "max": _num(self.max)}


@dataclass(frozen=True)
class UnitResult:
    unit: UnitInfo
    total: Decimal
    class_id: str | None
    class_name: str | None
    groups: dict[str, GroupScore]
    indicators: dict[str, IndicatorScore]

    def to_json(self) -> dict[str, Any]:
        return {
            "unit_code": self.unit.unit_code,
            "unit_name": self.unit.unit_name,
            "level": self.unit.level,
            "parent_code": self.unit.parent_code,
            "total": _num(self.total),
            "class": self.class_id,
            "class_name": self.class_name,
            "groups": {gid: g.to_json() for gid, g in self.groups.items()},
            "indicators": {iid: i.to_json() for iid, i in self.indicators.items()},
        }


@dataclass
class Result:
    """The scores of one period under one ruleset."""

    ruleset_id: str
    ruleset_version: str
    ruleset_title: str
    period: dict[str, str]
    units: list[UnitResult]
    data: dict[str, str] = field(default_factory=dict)

    def unit(self, unit_code: str) -> UnitResult | None:
        return next((u for u in self.units if u.unit.unit_code == unit_code), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "report_version": REPORT_VERSION,
            "tool": {"name": "dvc-score", "version": __version__},
            "ruleset": {
                "id": self.ruleset_id,
                "version": self.ruleset_version,
                "title": self.ruleset_title,
            },
            "period": self.period,
            "data": self.data,
            "units": [unit.to_json() for unit in self.units],
        }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
