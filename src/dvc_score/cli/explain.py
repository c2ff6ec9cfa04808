"""``dvc-score explain --unit CODE``: why a unit lost points, and what would win them back.

For each indicator (one with --indicator, a group's with --group, else all):
the definition and filters as written in the ruleset, the counts and score,
the procedures costing the most, the ids of the rows behind the loss (ids only,
never personal data; all of them with --ids-output) and how many more
numerator items raise the score by one point or to the maximum.
"""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from dvc_score import pipeline, registry
from dvc_score.adapters.base import CountsInput
from dvc_score.analysis.drill import explain_counts, explain_dataset
from dvc_score.analysis.explain import Explanation
from dvc_score.cli import common
from dvc_score.engine.periods import Period, parse_period
from dvc_score.errors import UserError
from dvc_score.model.ruleset import Ruleset
from dvc_score.reporters.explain_render import (
    explain_document,
    render_json,
    render_markdown,
    render_text,
)

IDS_HEADER = ("indicator_id", "kind", "id", "unit_code", "procedure_code")


class ExplainFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


UnitOpt = Annotated[str, typer.Option("--unit", "-u", help="Unit code; its subtree is counted.")]
IndicatorOpt = Annotated[
    str | None, typer.Option("--indicator", "-i", help="One indicator id, e.g. timeliness.on_time.")
]
GroupOpt = Annotated[
    str | None, typer.Option("--group", "-g", help="Every indicator of a group, e.g. payment.")
]
LimitOpt = Annotated[
    int, typer.Option("--limit", "-n", min=1, help="Procedures and ids shown per indicator.")
]
IdsOpt = Annotated[
    Path | None,
    typer.Option("--ids-output", help="Write every id behind the losses to this CSV file."),
]
FormatOpt = Annotated[
    ExplainFormat, typer.Option("--format", "-f", help="table, json or markdown.")
]


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)


def explain(
    unit: UnitOpt,
    indicator: IndicatorOpt = None,
    group: GroupOpt = None,
    ruleset: common.RulesetOpt = "national2026",
    data: common.DataOpt = None,
    adapter: common.AdapterOpt = None,
    period: common.PeriodOpt = None,
    limit: LimitOpt = 20,
    ids_output: IdsOpt = None,
    format: FormatOpt = ExplainFormat.table,
    lang: common.LangOpt = common.Lang.vi,
    reject_file: common.RejectOpt = None,
    strict: common.StrictOpt = False,
    quiet: common.QuietOpt = False,
    option: common.SettingOpt = None,
    locale: common.LocaleOpt = None,
) -> None:
    """Explain a unit's score: what cost the points and what would gain them back."""
    rules = registry.load(ruleset)
    selected = chosen_indicators(rules, indicator, group)
    if period and len(period) > 1:
        raise UserError("--period: explain takes one period")
    source = common.read_source(data, adapter, option, locale, reject_file, strict, quiet)
    scorers = registry.scorers()
    if isinstance(source, CountsInput):
        pipeline.check_counts_indicators(source.counts, rules, source.source)
        explanations = explain_counts(source.counts, rules, unit, selected, scorers)
        chosen: Period | None = parse_period(period[0]) if period else None
        period_json = chosen.to_json() if chosen else {"id": source.counts.period_id}
    else:
        one = parse_period(period[0]) if period else pipeline.default_period(source)
        every = ids_output is not None
        explanations = explain_dataset(
            source.con, rules, one, unit, selected, scorers, limit, every_id=every
        )
        period_json = one.to_json()
    if ids_output is not None:
        common.write_atomically(ids_output, ids_csv(explanations))
    lang_value = lang.value
    data_json = {"source": source.source, "fingerprint": source.fingerprint}
    if format is ExplainFormat.json:
        document = explain_document(explanations, rules, period_json, data_json, lang_value)
        typer.echo(render_json(document), nl=False)
    elif format is ExplainFormat.markdown:
        typer.echo(render_markdown(explanations, lang_value), nl=False)
    else:
        typer.echo(render_text(explanations, lang_value), nl=False)


def chosen_indicators(rules: Ruleset, indicator: str | None, group: str | None) -> list[str]:
    """The indicator ids to explain, in ruleset order; a wrong id is a usage error."""
    if indicator and group:
        raise UserError("--indicator and --group: give one or the other")
    if indicator:
        if indicator not in rules.indicators:
            near = [i for i in rules.indicators if indicator.split(".")[-1] in i][:5]
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise UserError(f"--indicator {indicator!r}: not in ruleset {rules.id}{hint}")
        return [indicator]
    if group:
        if group not in rules.groups:
            raise UserError(
                f"--group {group!r}: not in ruleset {rules.id} (groups: {', '.join(rules.groups)})"
            )
        return [i.id for i in rules.indicators_of(group)]
    return list(rules.indicators)


def ids_csv(explanations: list[Explanation]) -> str:
    """Every id behind every loss: ids and codes only, never personal data."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(IDS_HEADER)
    for explanation in explanations:
        for loss in explanation.all_ids:
            writer.writerow(
                [explanation.indicator.id, loss.kind, loss.id, loss.unit_code, loss.procedure_code]
            )
    return buffer.getvalue()
