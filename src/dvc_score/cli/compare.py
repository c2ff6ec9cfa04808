"""``dvc-score compare BASE.json HEAD.json``: what changed between two results, with CI thresholds.

Exit codes: 0 every threshold holds, 1 a threshold failed (``CheckFailed``), 2 a bad
``--fail-on`` spec or an unreadable / malformed file (``UserError``). See docs/ci.md.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from dvc_score.errors import CheckFailed
from dvc_score.reporters.compare import (
    SPEC_SYNTAX,
    Comparison,
    compare_results,
    load_result,
    parse_threshold,
)
from dvc_score.reporters.compare_render import (
    failure_line,
    render_json,
    render_markdown,
    render_table,
    render_warnings,
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


BaseArg = Annotated[
    Path, typer.Argument(metavar="BASE.json", help="Earlier result (or series) document.")
]
HeadArg = Annotated[
    Path, typer.Argument(metavar="HEAD.json", help="Later result (or series) document.")
]
FailOnOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--fail-on",
        metavar="SPEC",
        help=f"Exit 1 when a score fell by more than allowed: {SPEC_SYNTAX}, e.g. total:-1.0, "
        "group.timeliness:-5%, total:-1@level=province. Repeatable.",
    ),
]
FailOnMissingOpt = Annotated[
    bool, typer.Option("--fail-on-missing", help="Exit 1 when a unit of BASE is missing in HEAD.")
]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option("--format", help="table for people, json for machines, markdown for PRs."),
]
DetailOpt = Annotated[
    bool, typer.Option("--detail", help="Table: add group and indicator rows for changed units.")
]
AllOpt = Annotated[bool, typer.Option("--all", help="Table: also list unchanged units.")]


def compare(
    base: BaseArg,
    head: HeadArg,
    fail_on: FailOnOpt = None,
    fail_on_missing: FailOnMissingOpt = False,
    output_format: FormatOpt = OutputFormat.table,
    detail: DetailOpt = False,
    show_all: AllOpt = False,
) -> None:
    """Compare two result documents unit by unit; fail CI when scores drop."""
    # Specs first: a typo in --fail-on should not wait for two files to load.
    thresholds = [parse_threshold(spec) for spec in fail_on or []]
    comparison = compare_results(
        load_result(base), load_result(head), thresholds, fail_on_missing=fail_on_missing
    )
    _emit(comparison, output_format, detail=detail, show_all=show_all)
    if comparison.failures:
        lines = [failure_line(failure) for failure in comparison.failures]
        message = f"{len(lines)} threshold failure(s):\n  " + "\n  ".join(lines)
        # The error boundary prints with Rich markup on; unit names may contain '['.
        raise CheckFailed(escape(message))


def _emit(
    comparison: Comparison, output_format: OutputFormat, *, detail: bool, show_all: bool
) -> None:
    stderr = Console(stderr=True, highlight=False, soft_wrap=True)
    if output_format is OutputFormat.table:
        render_warnings(comparison.warnings, stderr)
        render_table(comparison, Console(highlight=False), detail=detail, show_all=show_all)
        return
    # json/markdown carry warnings in the document; a series is still said on stderr so that
    # someone reading the CI log knows which of several results was compared.
    render_warnings((n for n in comparison.warnings if n.kind == "series"), stderr)
    text = (
        render_json(comparison)
        if output_format is OutputFormat.json
        else render_markdown(comparison)
    )
    typer.echo(text.rstrip("\n"))


def register(app: typer.Typer) -> None:
    app.command("compare")(compare)
