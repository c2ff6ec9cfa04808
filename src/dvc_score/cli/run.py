"""``dvc-score run``: read data, count, score and report, in one command."""

from __future__ import annotations

import typer

from dvc_score import pipeline, registry
from dvc_score.adapters.base import CountsInput
from dvc_score.cli import common
from dvc_score.cli import stats as stats_command
from dvc_score.cli.progress import Progress
from dvc_score.engine.periods import Period
from dvc_score.model.result import Result


def register(app: typer.Typer) -> None:
    app.command("run")(run)


def run(
    ruleset: common.RulesetOpt = "national2026",
    data: common.DataOpt = None,
    adapter: common.AdapterOpt = None,
    period: common.PeriodOpt = None,
    periods: common.PeriodsOpt = None,
    by: common.ByOpt = common.By.month,
    format: common.FormatOpt = "table",
    output: common.OutputOpt = None,
    lang: common.LangOpt = common.Lang.vi,
    reject_file: common.RejectOpt = None,
    strict: common.StrictOpt = False,
    quiet: common.QuietOpt = False,
    option: common.SettingOpt = None,
    locale: common.LocaleOpt = None,
) -> None:
    """Score a province: the bundled default, or your data with --data."""
    rules = registry.load(ruleset)
    chosen = common.periods_from(period, periods, by)
    progress = Progress(quiet)
    source = common.read_source(data, adapter, option, locale, reject_file, strict, quiet, progress)
    results: list[Result]
    if isinstance(source, CountsInput):
        pipeline.check_counts_indicators(source.counts, rules, source.source)
        one: Period | None = chosen[0] if chosen else None
        results = [pipeline.score(source.counts, rules, one, source.source, source.fingerprint)]
    else:
        chosen = chosen or [pipeline.default_period(source)]
        with progress.step("counting"):
            all_counts = pipeline.count(source, rules, chosen)
        with progress.step("scoring"):
            results = [
                pipeline.score(counts, rules, p, source.source, source.fingerprint)
                for counts, p in zip(all_counts, chosen, strict=True)
            ]
    # Reporters that show dossier statistics (html, xlsx, markdown) get them for
    # the same periods; empty for counts input and for every other format.
    with progress.step("statistics"):
        stats = stats_command.for_report(format, source, rules, chosen)
    common.render(results, rules, format, lang, output, stats)
