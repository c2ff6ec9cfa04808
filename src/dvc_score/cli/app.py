"""The Typer application and the error boundary every command runs inside.

Commands live in one module each under ``dvc_score.cli`` and expose
``register(app)``; plugins add commands through the ``dvc_score_register_commands``
hook, which receives this same app.
"""

from __future__ import annotations

from typing import Annotated, Any

import duckdb
import typer
from rich.console import Console
from typer.core import TyperGroup

from dvc_score import __version__
from dvc_score.errors import CheckFailed, UserError, redacted_first_line

INTERRUPTED = 130  # the shell's convention for SIGINT

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


class ErrorBoundaryGroup(TyperGroup):
    """Turns user errors into one line on stderr and a fixed exit code.

    Catching at the group level (not in ``main``) means ``CliRunner`` tests see
    exactly what a user sees.
    """

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except UserError as error:
            stderr.print(f"[bold red]error:[/] {_one_line(str(error))}", markup=True)
            raise typer.Exit(error.exit_code) from None
        except CheckFailed as failure:
            if str(failure):
                stderr.print(f"[bold red]failed:[/] {failure}", markup=True)
            raise typer.Exit(failure.exit_code) from None
        except KeyboardInterrupt:
            # Outputs are written atomically, so nothing half-written is left behind.
            stderr.print("[bold red]interrupted[/]: nothing was written", markup=True)
            raise typer.Exit(INTERRUPTED) from None
        except duckdb.Error as error:
            # Reaching here means a data problem no adapter anticipated; say it in one line.
            stderr.print(
                f"[bold red]error:[/] {_one_line(redacted_first_line(error))}", markup=True
            )
            raise typer.Exit(UserError.exit_code) from None
        except RuntimeError as error:
            if "interrupted" not in str(error).lower():
                raise
            # Ctrl-C inside a DuckDB query arrives as RuntimeError("Query interrupted").
            stderr.print("[bold red]interrupted[/]: nothing was written", markup=True)
            raise typer.Exit(INTERRUPTED) from None


def _one_line(message: str) -> str:
    from rich.markup import escape

    return escape(message.strip())


def make_app() -> typer.Typer:
    return typer.Typer(
        name="dvc-score",
        cls=ErrorBoundaryGroup,
        callback=_root_options,
        help="Score Vietnam's service-quality index (Decision 766/QĐ-TTg) from your own dossiers.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode=None,
    )


def _print_version(requested: bool) -> None:
    if requested:
        # The same version the result documents carry in tool.version.
        typer.echo(f"dvc-score {__version__}")
        raise typer.Exit()


def _root_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Options that come before the command."""
