"""Ruleset types: what a loaded, resolved and checked ruleset looks like.

These are plain data. Loading, inheritance and expression checking live in
``dvc_score.rules``; executing them lives in ``dvc_score.engine``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

EmptyPolicy = Literal["zero", "full", "null"]
Provenance = Literal["verified", "documented", "assumed"]
Scope = Literal["unit", "root"]

EMPTY_POLICIES: tuple[str, ...] = ("zero", "full", "null")
PROVENANCES: tuple[str, ...] = ("verified", "documented", "assumed")
SCOPES: tuple[str, ...] = ("unit", "root")


@dataclass(frozen=True)
class Location:
    """Where something was written: ``file:line:col`` (1-based)."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col or 1}"
        return self.file


@dataclass(frozen=True)
class Measure:
    """One side of an indicator: which rows of which table it counts.

    ``count`` is ``"rows"`` or the name of a column whose distinct non-null
    values are counted (``procedure_code``, ``service_code``, ``unit_code``).
    ``where`` is the checked SQL filter, as written in the ruleset.
    """

    table: str
    where: str
    count: str = "rows"

    @property
    def is_distinct(self) -> bool:
        return self.count != "rows"


@dataclass(frozen=True)
class Indicator:
    id: str
    group: str
    points: Decimal
    name_vi: str
    name_en: str
    numerator: Measure
    denominator: Measure
    scoring: str = "linear"
    params: dict[str, Decimal] = field(default_factory=dict)
    empty: EmptyPolicy = "zero"
    provenance: Provenance = "assumed"
    scope: Scope = "unit"
    description: str = ""
    note: str = ""
    order: int = 0


@dataclass(frozen=True)
class Group:
    id: str
    points: Decimal
    name_vi: str
    name_en: str
    order: int = 0


@dataclass(frozen=True)
class ClassBand:
    """A classification band: a total at or above ``min`` earns this class."""

    id: str
    min: Decimal
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class DerivedColumn:
    table: str
    name: str
    expression: str
    doc: str = ""


@dataclass(frozen=True)
class Ruleset:
    id: str
    version: str
    title_vi: str
    title_en: str
    groups: dict[str, Group]
    indicators: dict[str, Indicator]
    classes: tuple[ClassBand, ...]
    derived: dict[str, dict[str, DerivedColumn]]
    description: str = ""
    extends: str | None = None
    source: str = ""
    valid_from: str | None = None
    valid_to: str | None = None

    def indicators_of(self, group_id: str) -> list[Indicator]:
        return [ind for ind in self.indicators.values() if ind.group == group_id]

    def classify(self, total: Decimal) -> ClassBand | None:
        for band in sorted(self.classes, key=lambda b: b.min, reverse=True):
            if total >= band.min:
                return band
        return None

    @property
    def max_total(self) -> Decimal:
        return sum((group.points for group in self.groups.values()), Decimal(0))
