"""``dvc-score stats``: the quarterly statistics report's figures, per level and unit.

Received (new and carried over), online / direct / postal shares, resolved
early / on time / late, overdue in progress, postal (BCCI) submissions and
returns; top-N and bottom-N tables per level; the province's summary
sentences. docs/reports.md defines every figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Annotated

import typer

from dvc_score import pipeline, registry
from dvc_score.adapters.base import CountsInput, Dataset
from dvc_score.analysis.stats import compute_stats
from dvc_score.analysis.stats_model import StatsReport
from dvc_score.cli import common
from dvc_score.cli.progress import Progress
from dvc_score.engine.periods import Period
from dvc_score.errors import DataError, UserError
from dvc_score.model.ruleset import Ruleset
from dvc_score.reporters.base import ReportOptions
from dvc_score.reporters.csv_report import stats_csv
from dvc_score.reporters.html_stats import stats_page
from dvc_score.reporters.stats_render import (
    render_stats_json,
    render_stats_markdown,
    render_stats_table,
)
from dvc_score.reporters.xlsx import stats_workbook


class StatsFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"
    html = "html"
    xlsx = "xlsx"


Renderer = Callable[[Sequence[StatsReport], ReportOptions], str | bytes]

RENDERERS: dict[StatsFormat, Renderer] = {
    StatsFormat.table: render_stats_table,
    StatsFormat.json: render_stats_json,
    StatsFormat.markdown: render_stats_markdown,
    StatsFormat.csv: stats_csv,
    StatsFormat.html: stats_page,
    StatsFormat.xlsx: stats_workbook,
}

TopOpt = Annotated[
    int, typer.Option("--top", "-n", min=1, help="Units in each top-N / bottom-N table.")
]
FormatOpt = Annotated[
    StatsFormat, typer.Option("--format", "-f", help="table, json, markdown, csv, html or xlsx.")
]


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)


def stats(
    ruleset: common.RulesetOpt = "national2026",
    data: common.DataOpt = None,
    adapter: common.AdapterOpt = None,
    period: common.PeriodOpt = None,
    periods: common.PeriodsOpt = None,
    by: common.ByOpt = common.By.month,
    top: TopOpt = 5,
    format: FormatOpt = StatsFormat.table,
    output: common.OutputOpt = None,
    lang: common.LangOpt = common.Lang.vi,
    reject_file: common.RejectOpt = None,
    strict: common.StrictOpt = False,
    quiet: common.QuietOpt = False,
    option: common.SettingOpt = None,
    locale: common.LocaleOpt = None,
) -> None:
    """Dossier statistics per level and unit, as in a province's quarterly report."""
    if format is StatsFormat.xlsx and output is None:  # say so before the data is read
        raise UserError("--format xlsx: a binary format needs --output FILE")
    rules = registry.load(ruleset)
    chosen = common.periods_from(period, periods, by)
    progress = Progress(quiet)
    source = common.read_source(data, adapter, option, locale, reject_file, strict, quiet, progress)
    if isinstance(source, CountsInput):
        raise DataError(f"{source.source}: statistics need dossiers; this input holds counts")
    chosen = chosen or [pipeline.default_period(source)]
    with progress.step("counting"):
        reports = dataset_stats(source, rules, chosen)
    options = ReportOptions(lang=lang.value, top=top)
    content = RENDERERS[format](reports, options)
    if output is not None:
        common.write_atomically(output, content)
    elif isinstance(content, str):
        typer.echo(content, nl=False)


def dataset_stats(source: Dataset, rules: Ruleset, periods: Sequence[Period]) -> list[StatsReport]:
    data = {"source": source.source, "fingerprint": source.fingerprint}
    return compute_stats(source.con, rules, periods, data)


def for_report(
    fmt: str, source: Dataset | CountsInput, rules: Ruleset, periods: Sequence[Period]
) -> tuple[StatsReport, ...]:
    """The statistics ``run`` hands to reporters that show them (html, xlsx, markdown).

    Empty for counts input (the reporter then says why) and for formats that
    do not use them, so ``run --format json`` costs nothing more.
    """
    reporter = registry.reporters().get(fmt)
    if not getattr(reporter, "uses_stats", False) or not isinstance(source, Dataset):
        return ()
    return tuple(dataset_stats(source, rules, periods))
