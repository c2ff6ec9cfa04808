"""``dvc-score count``: numerators and denominators, per unit and indicator, as CSV."""

from __future__ import annotations

import io
import sys

import typer

from dvc_score import pipeline, registry
from dvc_score.adapters.base import CountsInput
from dvc_score.adapters.counts_csv import write_counts_csv
from dvc_score.cli import common
from dvc_score.cli.progress import Progress
from dvc_score.errors import UserError


def register(app: typer.Typer) -> None:
    app.command("count")(count)


def count(
    ruleset: common.RulesetOpt = "national2026",
    data: common.DataOpt = None,
    adapter: common.AdapterOpt = None,
    period: common.PeriodOpt = None,
    output: common.OutputOpt = None,
    reject_file: common.RejectOpt = None,
    strict: common.StrictOpt = False,
    quiet: common.QuietOpt = False,
    option: common.SettingOpt = None,
    locale: common.LocaleOpt = None,
) -> None:
    """Count numerators and denominators (the counts CSV that `score` reads)."""
    rules = registry.load(ruleset)
    chosen = common.periods_from(period, None, common.By.month)
    if len(chosen) > 1:
        raise UserError("count takes one --period (run `count` once per period)")
    progress = Progress(quiet)
    source = common.read_source(data, adapter, option, locale, reject_file, strict, quiet, progress)
    if isinstance(source, CountsInput):
        raise UserError(f"{source.source}: this input already holds counts; use `dvc-score score`")
    periods = chosen or [pipeline.default_period(source)]
    with progress.step("counting"):
        counts = pipeline.count(source, rules, periods)[0]
    buffer = io.StringIO()
    write_counts_csv(counts, buffer)
    if output is None:
        sys.stdout.write(buffer.getvalue())
    else:
        common.write_atomically(output, buffer.getvalue())
