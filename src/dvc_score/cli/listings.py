"""``dvc-score adapters``, ``reporters`` and ``plugins``: what is installed."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dvc_score import registry
from dvc_score.plugins import describe_plugins

stdout = Console(highlight=False, width=100)


def register(app: typer.Typer) -> None:
    app.command("adapters")(adapters)
    app.command("reporters")(reporters)
    app.command("plugins")(plugins)


def adapters() -> None:
    """Data adapters: name, what they produce, what they read."""
    table = Table("name", "produces", "reads", box=None, pad_edge=False)
    for name, adapter in sorted(registry.adapters().items()):
        table.add_row(name, adapter.produces, adapter.description)
    stdout.print(table)


def reporters() -> None:
    """Output formats for --format."""
    table = Table("format", "description", box=None, pad_edge=False)
    for name, reporter in sorted(registry.reporters().items()):
        table.add_row(name, reporter.description)
    stdout.print(table)


def plugins(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Plugins, their version and the hooks they implement."""
    described = describe_plugins()
    if as_json:
        sys.stdout.write(json.dumps(described, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table("name", "distribution", "version", "hooks", "status", box=None, pad_edge=False)
    for plugin in described:
        table.add_row(
            plugin["name"],
            plugin["distribution"],
            plugin["version"],
            "\n".join(plugin["hooks"]),
            plugin["status"],
        )
    stdout.print(table)
