"""Official scores beside dvc-score's: pure functions, no I/O."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dvc_score_dvcqg.eval_payload import ABSENT, Evaluation

EPSILON = 1e-9  # 0.01 written in binary is a hair above or below 0.01


@dataclass(frozen=True)
class Comparison:
    unit_code: str
    unit_name: str
    kind: str  # indicator | group | total
    id: str
    official: float | None
    ours: float | None

    @property
    def difference(self) -> float | None:
        if self.official is None or self.ours is None:
            return None
        return round(self.ours - self.official, 4)

    def differs(self, tolerance: float) -> bool:
        if self.official is None or self.ours is None:
            return (self.official is None) != (self.ours is None)
        return abs(self.ours - self.official) > tolerance + EPSILON

    def to_json(self, tolerance: float) -> dict[str, Any]:
        return {
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "kind": self.kind,
            "id": self.id,
            "official": self.official,
            "dvc_score": self.ours,
            "difference": self.difference,
            "differs": self.differs(tolerance),
        }


def compare(evaluation: Evaluation, result: Mapping[str, Any]) -> list[Comparison]:
    """Every score the portal published, beside dvc-score's (from a result JSON)."""
    ours = {unit["unit_code"]: unit for unit in result.get("units", [])}
    return [row for official in evaluation.units for row in _unit_rows(official, ours)]


def _unit_rows(official: Any, ours: Mapping[str, Any]) -> Iterator[Comparison]:
    unit = official.unit
    mine = ours.get(unit.unit_code, {})

    def row(kind: str, key: str, value: object, score: object) -> Comparison:
        return Comparison(unit.unit_code, unit.unit_name, kind, key, _num(value), _num(score))

    for key, value in official.indicators.items():
        if value is ABSENT:  # an unreadable official score, already in the reject log
            continue
        yield row("indicator", key, value, mine.get("indicators", {}).get(key, {}).get("score"))
    for key, value in official.groups.items():
        if value is ABSENT:
            continue
        yield row("group", key, value, mine.get("groups", {}).get(key, {}).get("score"))
    if official.total is not ABSENT:
        yield row("total", "total", official.total, mine.get("total"))


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None
