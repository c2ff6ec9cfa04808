"""Derived columns: dependency order, so each is computed after what it reads."""

from __future__ import annotations

from collections.abc import Iterable

from dvc_score.model.ruleset import DerivedColumn
from dvc_score.rules.expressions import check_expression


def order_derived(columns: Iterable[DerivedColumn]) -> list[list[DerivedColumn]]:
    """Group derived columns into layers; layer *k* reads only layers < *k*.

    Raises ValueError naming the columns of a dependency cycle.
    """
    pending = {column.name: column for column in columns}
    names = list(pending)
    depends = {
        name: set(check_expression(column.expression, column.table, names).columns) & set(names)
        for name, column in pending.items()
    }
    layers: list[list[DerivedColumn]] = []
    done: set[str] = set()
    while pending:
        ready = [column for name, column in pending.items() if depends[name] <= done]
        if not ready:
            raise ValueError(
                f"derived columns depend on each other in a cycle: {', '.join(sorted(pending))}"
            )
        layers.append(ready)
        for column in ready:
            done.add(column.name)
            del pending[column.name]
    return layers


def needed_derived(roots: Iterable[str], columns: dict[str, DerivedColumn]) -> set[str]:
    """The derived names ``roots`` need, directly or through other derived columns."""
    names = list(columns)
    needed: set[str] = set()
    stack = [name for name in roots if name in columns]
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        needed.add(name)
        reads = check_expression(columns[name].expression, columns[name].table, names).columns
        stack.extend(read for read in reads if read in columns)
    return needed
