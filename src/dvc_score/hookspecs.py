"""The plugin contract: every hook dvc-score calls, declared once.

Hooks are called with keyword arguments, so an implementation may accept fewer
arguments than the spec declares and keep working when a hook grows. Every hook
is a *register callback*: dvc-score passes a ``register`` function and the
plugin calls it once per thing it provides. Built-in adapters, scorers,
reporters and rulesets are registered through these same hooks
(``dvc_score.plugins.DEFAULT_PLUGINS``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import typer

    from dvc_score.adapters.base import Adapter
    from dvc_score.engine.scorer import Scorer
    from dvc_score.reporters.base import Reporter

hookspec = pluggy.HookspecMarker("dvc_score")
hookimpl = pluggy.HookimplMarker("dvc_score")


@hookspec
def dvc_score_register_adapters(register: Callable[[Adapter], None]) -> None:
    """Register data adapters: ``register(adapter)`` once per adapter.

    Called once when the registry is first used. An adapter reads a source
    (files, an export, a portal payload) into the normalized tables, or into
    counts directly. Adapter names must be unique; a later duplicate is an error.
    """


@hookspec
def dvc_score_register_rulesets(register: Callable[[Path], None]) -> None:
    """Register ruleset files shipped by a plugin: ``register(path_to_toml)``.

    Called once when the ruleset registry is first used. The ruleset id is read
    from the file's ``[ruleset] id``; registered rulesets can be named by id on
    the command line and in ``extends``.
    """


@hookspec
def dvc_score_register_scorers(register: Callable[[str, Scorer], None]) -> None:
    """Register scoring shapes: ``register(name, function)``.

    Called once when the scorer registry is first used (loading any ruleset).

    ``function(ratio, points, params) -> Decimal`` returns the unrounded score of
    an indicator whose ruleset says ``scoring = "<name>"``; ``params`` holds the
    indicator's numeric parameters (``target`` and anything under ``params``).
    The engine bounds the result to [0, points] and rounds it half-up to 2
    decimals. Names must be unique.
    """


@hookspec
def dvc_score_register_reporters(register: Callable[[Reporter], None]) -> None:
    """Register output formats: ``register(reporter)``; ``reporter.name`` is the
    value of ``--format``. Called once when the reporter registry is first used.
    """


@hookspec
def dvc_score_register_commands(app: typer.Typer) -> None:
    """Add CLI commands to the ``dvc-score`` Typer app.

    Called once while the CLI is being built, before arguments are parsed. Use
    ``@app.command()`` or ``app.add_typer(...)``; raise ``dvc_score.errors.UserError``
    for problems the user must fix (exit 2, one line, no traceback).
    """
