"""A thin typed facade over the plugin hooks: what is registered, by name."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from dvc_score.errors import RulesetError, UserError
from dvc_score.plugins import get_plugin_manager

if TYPE_CHECKING:
    from dvc_score.adapters.base import Adapter
    from dvc_score.engine.scorer import Scorer
    from dvc_score.model.ruleset import Ruleset
    from dvc_score.reporters.base import Reporter


def clear_caches() -> None:
    for function in (scorers, ruleset_files, adapters, reporters):
        function.cache_clear()


def _collect_named(kind: str, hook_name: str) -> dict[str, object]:
    found: dict[str, object] = {}

    def register(item: object) -> None:
        name = str(getattr(item, "name", ""))
        if not name or name in found:
            raise UserError(f"plugins: {kind} {name!r} is registered twice or has no name")
        found[name] = item

    getattr(get_plugin_manager().hook, hook_name)(register=register)
    return found


@cache
def scorers() -> dict[str, Scorer]:
    found: dict[str, Scorer] = {}

    def register(name: str, function: Scorer) -> None:
        if name in found:
            raise UserError(f"plugins: scoring function {name!r} is registered twice")
        found[name] = function

    get_plugin_manager().hook.dvc_score_register_scorers(register=register)
    return found


@cache
def adapters() -> dict[str, Adapter]:
    return _collect_named("adapter", "dvc_score_register_adapters")  # type: ignore[return-value]


@cache
def reporters() -> dict[str, Reporter]:
    return _collect_named("reporter", "dvc_score_register_reporters")  # type: ignore[return-value]


@cache
def ruleset_files() -> dict[str, Path]:
    """Registered rulesets by id (read from each file's ``[ruleset] id``)."""
    from dvc_score.rules.toml_source import read_toml

    paths: list[Path] = []
    get_plugin_manager().hook.dvc_score_register_rulesets(register=paths.append)
    found: dict[str, Path] = {}
    for path in paths:
        meta = read_toml(Path(path)).data.get("ruleset", {})
        ruleset_id = meta.get("id") if isinstance(meta, dict) else None
        if not isinstance(ruleset_id, str) or ruleset_id in found:
            raise UserError(f"plugins: ruleset file {path} has no [ruleset] id or a duplicate one")
        found[ruleset_id] = Path(path)
    return found


def find_parent(reference: str, child: Path) -> Path | None:
    """Resolve ``extends``: a registered id, or a file beside the extending one.

    A file reference may not leave the extending file's directory, so a ruleset
    cannot pull in arbitrary files from elsewhere on the machine.
    """
    registered = ruleset_files().get(reference)
    if registered is not None:
        return registered
    if not reference.endswith(".toml"):
        return None
    try:
        directory = child.resolve().parent
        candidate = (directory / reference).resolve()
        if candidate.parent != directory or not candidate.is_file():
            return None
    except (OSError, ValueError):  # a name too long, a NUL byte: no such file
        return None
    return candidate


def ruleset_path(reference: str) -> Path:
    """A ruleset named on the command line: a registered id or a .toml path."""
    registered = ruleset_files().get(reference)
    if registered is not None:
        return registered
    path = Path(reference)
    try:
        named_a_file = path.suffix == ".toml" or path.exists()
        is_file = named_a_file and path.is_file()
    except (OSError, ValueError) as error:  # a name too long, a NUL byte
        shown = reference if len(reference) <= 120 else reference[:120] + "…"
        reason = getattr(error, "strerror", None) or str(error)
        raise RulesetError(f"{shown}: not a usable ruleset path ({reason})") from None
    if named_a_file:
        if not is_file:
            raise RulesetError(f"{reference}: no such ruleset file")
        return path
    known = ", ".join(sorted(ruleset_files()))
    raise RulesetError(f"unknown ruleset {reference!r}; registered: {known} (or give a .toml path)")


def load(reference: str) -> Ruleset:
    from dvc_score.rules.loader import load_ruleset

    return load_ruleset(ruleset_path(reference), find_parent, scorers())


def resolve_raw(reference: str) -> tuple[dict[str, object], list[Path]]:
    """The ruleset's TOML tables after inheritance, and the chain of files merged."""
    from dvc_score.rules.inheritance import resolve

    path = ruleset_path(reference)
    load(reference)  # refuse to print a ruleset that does not load
    resolved = resolve(path, find_parent)
    return resolved.data, resolved.chain
