"""``extends``: a ruleset names a parent and overrides only what differs.

Merging happens on the raw TOML tables: ``groups``, ``indicators`` and each
table of ``derived`` merge key by key (an overriding indicator may set a single
field), ``classes`` and ``ruleset`` metadata of the child replace the parent's.
An indicator with ``enabled = false`` is removed. Every value remembers the file
it came from, so errors point at the right file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dvc_score.errors import RulesetError
from dvc_score.rules.toml_source import TomlSource, read_toml

MAX_DEPTH = 16

# Given an ``extends`` value and the extending file, the parent's path or None.
ParentFinder = Callable[[str, Path], Path | None]


@dataclass
class Resolved:
    """The merged raw tables of a ruleset and where each piece was written."""

    data: dict[str, Any]
    chain: list[Path]
    origin: dict[tuple[str, ...], TomlSource] = field(default_factory=dict)

    def source_of(self, *key: str) -> TomlSource:
        for length in range(len(key), 0, -1):
            source = self.origin.get(key[:length])
            if source is not None:
                return source
        return self.origin[()]


def resolve(path: Path, find_parent: ParentFinder) -> Resolved:
    """Read ``path`` and everything it extends, merged child-over-parent."""
    return _resolve(path.resolve(), find_parent, [])


def _resolve(path: Path, find_parent: ParentFinder, seen: list[Path]) -> Resolved:
    if path in seen:
        cycle = " -> ".join(str(p) for p in [*seen, path])
        raise RulesetError(f"{seen[-1]}: 'extends' makes a cycle: {cycle}")
    if len(seen) >= MAX_DEPTH:
        raise RulesetError(f"{path}: 'extends' is nested more than {MAX_DEPTH} deep")
    source = read_toml(path)
    meta = source.data.get("ruleset", {})
    parent_ref = meta.get("extends") if isinstance(meta, dict) else None
    if not parent_ref:
        resolved = Resolved(data={}, chain=[])
    else:
        if not isinstance(parent_ref, str):
            location = source.locate("ruleset", "extends")
            raise RulesetError(f"{location}: 'extends' must be a ruleset id or file name")
        parent_path = find_parent(parent_ref, path)
        if parent_path is None:
            location = source.locate("ruleset", "extends", parent_ref)
            raise RulesetError(
                f"{location}: extends unknown ruleset {parent_ref!r} (a registered ruleset id "
                "or a .toml file in the same directory)"
            )
        resolved = _resolve(parent_path.resolve(), find_parent, [*seen, path])
    _merge_into(resolved, source)
    resolved.chain.append(path)
    return resolved


def _merge_into(resolved: Resolved, source: TomlSource) -> None:
    data = resolved.data
    resolved.origin[()] = source
    for key, value in source.data.items():
        if key in ("groups", "indicators") and isinstance(value, dict):
            _merge_keyed(resolved, key, value, source)
        elif key == "derived" and isinstance(value, dict):
            derived = data.setdefault("derived", {})
            for table, columns in value.items():
                if isinstance(columns, dict) and isinstance(derived.get(table), dict):
                    derived[table] = {**derived[table], **columns}
                else:
                    derived[table] = columns
                for name in columns if isinstance(columns, dict) else ():
                    resolved.origin[("derived", table, name)] = source
        elif key == "ruleset" and isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
            resolved.origin[(key,)] = source
    indicators = data.get("indicators")
    if isinstance(indicators, dict):
        for key in [
            k for k, v in indicators.items() if isinstance(v, dict) and v.get("enabled") is False
        ]:
            del indicators[key]


def _merge_keyed(resolved: Resolved, key: str, value: dict[str, Any], source: TomlSource) -> None:
    target = resolved.data.setdefault(key, {})
    for item_id, item in value.items():
        if isinstance(item, dict) and isinstance(target.get(item_id), dict):
            target[item_id] = {**target[item_id], **item}
        else:
            target[item_id] = item
        resolved.origin[(key, item_id)] = source
