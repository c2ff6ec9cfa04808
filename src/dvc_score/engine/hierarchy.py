"""The unit tree: every unit's chain of ancestors, for counting at every level."""

from __future__ import annotations

from collections.abc import Sequence

from dvc_score.errors import DataError
from dvc_score.model.counts import UnitInfo


def ancestor_paths(units: Sequence[UnitInfo]) -> dict[str, list[str]]:
    """Map each unit to its path from the root down to itself.

    Raises DataError for duplicate codes, unknown parents and cycles: counting
    with a broken tree would silently drop dossiers from a parent's totals.
    """
    by_code: dict[str, UnitInfo] = {}
    for unit in units:
        if unit.unit_code in by_code:
            raise DataError(f"units: unit_code {unit.unit_code!r} appears more than once")
        by_code[unit.unit_code] = unit
    paths: dict[str, list[str]] = {}
    for unit in units:
        paths[unit.unit_code] = _path(unit, by_code)
    return paths


def _path(unit: UnitInfo, by_code: dict[str, UnitInfo]) -> list[str]:
    path = [unit.unit_code]
    current = unit
    while current.parent_code:
        parent = by_code.get(current.parent_code)
        if parent is None:
            raise DataError(
                f"units: unit {current.unit_code!r} has parent_code {current.parent_code!r}, "
                "which is not a unit"
            )
        if parent.unit_code in path:
            raise DataError(f"units: parent_code forms a cycle through {parent.unit_code!r}")
        path.append(parent.unit_code)
        current = parent
    return list(reversed(path))
