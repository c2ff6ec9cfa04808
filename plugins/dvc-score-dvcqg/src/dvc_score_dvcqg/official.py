"""``dvc-score dvcqg-official``: the portal's scores beside dvc-score's, for the same counts.

A difference means the portal and the ruleset disagree on arithmetic (shape,
target, empty-denominator policy, rounding), not on data: both sides score the
very same numerators and denominators.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from dvc_score.api import CheckFailed, ReadOptions, RejectLog

from dvc_score_dvcqg.compare import Comparison, compare
from dvc_score_dvcqg.eval_adapter import codes_from
from dvc_score_dvcqg.eval_payload import read_evaluation
from dvc_score_dvcqg.scoring import score_evaluation

REPORT_VERSION = 1


class Format(StrEnum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("dvcqg-official")(official)


def official(
    eval_file: Annotated[
        Path, typer.Option("--eval", help="The portal's evaluation figures (JSON, see README).")
    ],
    ruleset: Annotated[str, typer.Option("--ruleset", "-r", help="Ruleset to score with.")] = (
        "national2026"
    ),
    format: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.table,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if a score differs by more than --tolerance.")
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Table: list every score, not only differences.")
    ] = False,
    tolerance: Annotated[float, typer.Option("--tolerance", help="Allowed difference.")] = 0.01,
    period: Annotated[str | None, typer.Option("--period", "-p", help="Period label.")] = None,
    option: Annotated[
        list[str] | None, typer.Option("--option", help="indicator-map=FILE (code,indicator CSV).")
    ] = None,
) -> None:
    """Compare the portal's official scores with dvc-score's scores of the same counts."""
    settings = list(option or [])
    codes = codes_from(ReadOptions(settings=_as_dict(settings)))
    rejects = RejectLog(duckdb.connect())
    evaluation = read_evaluation(eval_file, rejects, codes)
    rows = compare(evaluation, score_evaluation(eval_file, ruleset, settings, period))
    differing = [row for row in rows if row.differs(tolerance)]
    if format is Format.json:
        _write_json(eval_file, ruleset, rows, tolerance)
    else:
        _write_table(rows if show_all else differing, tolerance)
    summary = f"{len(rows)} official score(s) compared, {len(differing)} differ by > {tolerance}"
    if len(rejects):
        summary += (
            f"; {len(rejects)} entr(ies) of {eval_file} could not be read (listed by"
            f" `dvc-score run --data {eval_file} --adapter dvcqg-eval --reject-file FILE`)"
        )
    typer.echo(summary, err=True)
    if check and differing:
        raise CheckFailed(f"{len(differing)} score(s) differ from the portal's")


def _as_dict(settings: list[str]) -> dict[str, str]:
    pairs = (setting.partition("=") for setting in settings)
    return {key.strip(): value.strip() for key, _, value in pairs}


def _write_json(eval_file: Path, ruleset: str, rows: list[Comparison], tolerance: float) -> None:
    document = {
        "report_version": REPORT_VERSION,
        "eval_file": str(eval_file),
        "ruleset": ruleset,
        "tolerance": tolerance,
        "compared": len(rows),
        "differences": sum(row.differs(tolerance) for row in rows),
        "rows": [row.to_json(tolerance) for row in rows],
    }
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _write_table(rows: list[Comparison], tolerance: float) -> None:
    if not rows:
        return  # nothing differs: the summary on stderr says so
    header = ("unit", "kind", "id", "official", "dvc-score", "diff", "")
    body = [
        (
            row.unit_code,
            row.kind,
            row.id,
            _shown(row.official),
            _shown(row.ours),
            _shown(row.difference),
            "≠" if row.differs(tolerance) else "",
        )
        for row in rows
    ]
    widths = [max(len(str(cells[i])) for cells in [header, *body]) for i in range(len(header))]
    for cells in [header, *body]:
        line = "  ".join(
            cell.rjust(width) if 3 <= index <= 5 else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        sys.stdout.write(line.rstrip() + "\n")


def _shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"
