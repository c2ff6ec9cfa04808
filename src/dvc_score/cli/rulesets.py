"""``dvc-score rulesets``: list, show, validate and start rulesets."""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path
from typing import Annotated

import tomli_w
import typer
from rich.console import Console
from rich.table import Table

from dvc_score import fileio, registry
from dvc_score.errors import UserError
from dvc_score.model.ruleset import Ruleset

rulesets_app = typer.Typer(help="List, show, validate and create rulesets.", no_args_is_help=True)
stdout = Console(highlight=False, soft_wrap=False, width=100)


def register(app: typer.Typer) -> None:
    app.add_typer(rulesets_app, name="rulesets")


def _provenance(ruleset: Ruleset) -> str:
    counts: dict[str, int] = {}
    for indicator in ruleset.indicators.values():
        counts[indicator.provenance] = counts.get(indicator.provenance, 0) + 1
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))


@rulesets_app.command("list")
def list_rulesets() -> None:
    """Registered rulesets (built-in and from plugins)."""
    table = Table("id", "version", "indicators", "provenance", "title", box=None, pad_edge=False)
    for ruleset_id in sorted(registry.ruleset_files()):
        ruleset = registry.load(ruleset_id)
        table.add_row(
            ruleset.id,
            ruleset.version,
            str(len(ruleset.indicators)),
            _provenance(ruleset),
            ruleset.title_en,
        )
    stdout.print(table)


@rulesets_app.command("show")
def show(
    ruleset: Annotated[str, typer.Argument(help="Ruleset id or .toml file.")],
    resolved: Annotated[
        bool, typer.Option("--resolved", help="Print the TOML after inheritance.")
    ] = False,
) -> None:
    """Show a ruleset's groups and indicators (or its resolved TOML)."""
    if resolved:
        data, chain = registry.resolve_raw(ruleset)
        sys.stdout.write(resolved_toml(data, chain))
        return
    rules = registry.load(ruleset)
    stdout.print(f"[bold]{rules.id}[/] {rules.version} — {rules.title_vi}")
    if rules.extends:
        stdout.print(f"extends {rules.extends}")
    for group in rules.groups.values():
        stdout.print(f"\n[bold]{group.id}[/] ({group.points} điểm) {group.name_vi}")
        for ind in rules.indicators_of(group.id):
            shape = ind.scoring + (f" t={ind.params['target']}" if "target" in ind.params else "")
            stdout.print(
                f"  {ind.id:<42} {ind.points:>3} {shape:<12} empty={ind.empty:<5} {ind.provenance}"
            )
            stdout.print(f"    [dim]{ind.numerator.table}: {ind.numerator.where}[/]", markup=True)
            stdout.print(
                f"    [dim]/ {ind.denominator.table}: {ind.denominator.where}[/]", markup=True
            )


def resolved_toml(data: dict[str, object], chain: list[Path]) -> str:
    merged = copy.deepcopy(data)
    meta = merged.get("ruleset")
    if isinstance(meta, dict):
        meta.pop("extends", None)
    header = "# Resolved ruleset (after `extends`), merged from:\n"
    header += "".join(f"#   {path}\n" for path in chain)
    return header + "\n" + tomli_w.dumps(merged)


@rulesets_app.command("validate")
def validate(file: Annotated[Path, typer.Argument(help="The ruleset file to check.")]) -> None:
    """Load a ruleset file and check every expression; exit 2 on the first problem."""
    rules = registry.load(str(file))
    stdout.print(
        f"{file}: ok — {rules.id} {rules.version}, {len(rules.groups)} groups, {len(rules.indicators)} indicators ({_provenance(rules)})"
    )


_NAME = re.compile(r"^[a-z][a-z0-9_\-]{1,63}$")


@rulesets_app.command("new")
def new(
    name: Annotated[str, typer.Argument(help="The new ruleset's id, e.g. phutho2026.")],
    extends: Annotated[
        str, typer.Option("--extends", help="The ruleset to start from.")
    ] = "national2026",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default NAME.toml).")
    ] = None,
) -> None:
    """Write a starting file for a provincial variant that extends a ruleset."""
    if not _NAME.match(name):
        raise UserError(f"{name!r}: a ruleset id is lowercase letters, digits, '_' or '-'")
    parent = registry.load(extends)
    target = output or Path(f"{name}.toml")
    if target.exists():
        raise UserError(f"{target}: already exists; choose another --output")
    fileio.write_atomically(target, starter_toml(name, parent))
    stdout.print(
        f"wrote {target} (extends {parent.id}); check it with `dvc-score rulesets validate {target}`"
    )


def starter_toml(name: str, parent: Ruleset) -> str:
    example = next(iter(parent.indicators.values()))
    return f'''# A provincial variant of {parent.id}. Only what you write here changes;
# everything else is inherited. See `dvc-score rulesets show {parent.id}`.

[ruleset]
id = "{name}"
version = "1"
extends = "{parent.id}"
title_vi = "{parent.title_vi} — biến thể của tỉnh"
title_en = "{parent.title_en} — provincial variant"
description = "Why this variant exists and how it differs from {parent.id}."

# Override one field of an indicator, e.g. its provenance or a filter:
# [indicators."{example.id}"]
# provenance = "documented"
# numerator = "{example.numerator.where}"

# Change a derived column for every indicator that uses it, e.g. judge only
# finished dossiers as the simpler local reports do:
# [derived.dossiers]
# handled_in_period = "finished_in_period"

# Remove an indicator (its group then sums the remaining ones):
# [indicators."some.indicator"]
# enabled = false
'''
