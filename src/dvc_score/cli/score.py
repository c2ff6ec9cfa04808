"""``dvc-score score``: scores from a counts CSV (no dossiers needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dvc_score import pipeline, registry
from dvc_score.adapters.base import ReadOptions
from dvc_score.adapters.counts_csv import CountsCsvAdapter
from dvc_score.cli import common


def register(app: typer.Typer) -> None:
    app.command("score")(score)


def score(
    counts: Annotated[
        Path, typer.Option("--counts", help="A counts CSV (from `dvc-score count` or the portal).")
    ],
    ruleset: common.RulesetOpt = "national2026",
    period: Annotated[
        str | None, typer.Option("--period", "-p", help="The period the counts are for.")
    ] = None,
    format: common.FormatOpt = "table",
    output: common.OutputOpt = None,
    lang: common.LangOpt = common.Lang.vi,
    reject_file: common.RejectOpt = None,
    strict: common.StrictOpt = False,
    quiet: common.QuietOpt = False,
) -> None:
    """Score counts: apply the ruleset's shapes and policies, sum groups, classify."""
    rules = registry.load(ruleset)
    chosen = common.periods_from([period] if period else None, None, common.By.month)
    con = pipeline.connect()
    source = CountsCsvAdapter().read_counts(counts, con, ReadOptions())
    common.report_rejects(source, reject_file, strict, quiet)
    pipeline.check_counts_indicators(source.counts, rules, str(counts))
    result = pipeline.score(
        source.counts, rules, chosen[0] if chosen else None, source.source, source.fingerprint
    )
    common.render([result], rules, format, lang, output)
