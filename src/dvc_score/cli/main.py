"""The ``dvc-score`` command: built-in commands, then commands from plugins."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import typer

from dvc_score import pipeline
from dvc_score.cli import (
    compare,
    count,
    explain,
    listings,
    rulesets,
    run,
    score,
    stats,
    synth,
    validate,
)
from dvc_score.cli.app import make_app, stderr
from dvc_score.errors import UserError
from dvc_score.plugins import get_plugin_manager, plugin_failures

BUILTIN_COMMANDS = (
    run,
    count,
    score,
    compare,
    explain,
    stats,
    validate,
    rulesets,
    listings,
    synth,
)


def build_app() -> typer.Typer:
    app = make_app()
    for module in BUILTIN_COMMANDS:
        module.register(app)
    get_plugin_manager().hook.dvc_score_register_commands(app=app)
    return app


def main() -> None:
    try:
        app = build_app()
    except UserError as error:  # a plugin's commands could not be added
        stderr.print(f"error: {error}")
        raise SystemExit(2) from None
    for failure in plugin_failures():  # the tool keeps working; say what is missing
        stderr.print(
            f"warning: plugin {failure.name} ({failure.distribution} {failure.version}) "
            f"was not loaded: {failure.error}",
            markup=False,
        )
    try:
        app()
    except SystemExit as done:
        _leave(done.code)
    _leave(0)


def _leave(code: object) -> NoReturn:
    """Exit without tearing the interpreter down.

    After a large run, DuckDB freeing its memory and Python unloading a
    hundred modules take 0.2 s that nobody needs: every file this command
    writes is already closed (fileio writes atomically). Only the standard
    streams are left to flush, and DuckDB's spill folders (``atexit`` would
    remove them, but ``os._exit`` skips it) to remove.
    """
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # SystemExit("message") means exit 1 with that message
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away, or a closed stream
        code = code or 1
    pipeline.remove_temp_directories()
    os._exit(code or 0)


if __name__ == "__main__":
    main()
