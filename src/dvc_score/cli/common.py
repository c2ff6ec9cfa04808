"""Options and helpers shared by the commands that read data and print results."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from dvc_score import fileio, pipeline, registry
from dvc_score.adapters.base import CountsInput, Dataset, ReadOptions
from dvc_score.analysis.stats_model import StatsReport
from dvc_score.cli.app import stderr
from dvc_score.cli.progress import Progress
from dvc_score.engine.periods import Period, expand_periods, parse_period
from dvc_score.errors import DataError, UserError
from dvc_score.model.result import Result
from dvc_score.model.ruleset import Ruleset
from dvc_score.reporters.base import ReportOptions


class Lang(StrEnum):
    vi = "vi"
    en = "en"


class By(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


DataOpt = Annotated[
    Path | None,
    typer.Option("--data", help="Input file or folder. Without it: the bundled default province."),
]
AdapterOpt = Annotated[
    str | None,
    typer.Option("--adapter", help="Adapter name (see `dvc-score adapters`); default: detected."),
]
RulesetOpt = Annotated[
    str,
    typer.Option(
        "--ruleset", "-r", help="Ruleset id (see `dvc-score rulesets list`) or a .toml file."
    ),
]
PeriodOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--period", "-p", help="2026-08, 2026-Q3, 2026 or 2026-08-01..2026-08-31; repeatable."
    ),
]
PeriodsOpt = Annotated[
    str | None,
    typer.Option("--periods", help="A range of periods, e.g. 2026-01..2026-08 (with --by)."),
]
ByOpt = Annotated[By, typer.Option("--by", help="Period length for --periods.")]
FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="Output format (see `dvc-score reporters`).")
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the output to this file (atomically).")
]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Labels: vi (default) or en.")]
RejectOpt = Annotated[
    Path | None,
    typer.Option("--reject-file", help="Where rejected rows go (default: dvc-score-rejects.csv)."),
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Fail (exit 2) if any input row is rejected.")
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress or summaries on stderr.")
]
SettingOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--option", help="Adapter setting KEY=VALUE (e.g. status-map=map.csv); repeatable."
    ),
]
LocaleOpt = Annotated[
    str | None,
    typer.Option("--locale", help="Number format of text files: vi (1.234,5) or en (1,234.5)."),
]


def read_options(settings: list[str] | None, locale: str | None) -> ReadOptions:
    parsed: dict[str, str] = {}
    for item in settings or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--option {item!r}: expected KEY=VALUE")
        parsed[key.strip()] = value.strip()
    if locale not in (None, "vi", "en"):
        raise UserError(f"--locale {locale!r}: expected vi or en")
    return ReadOptions(locale=locale, settings=parsed)  # type: ignore[arg-type]


def periods_from(period: list[str] | None, periods: str | None, by: By) -> list[Period]:
    chosen = [parse_period(p) for p in period or []]
    if periods:
        chosen += expand_periods(periods, by.value)
    return sorted(set(chosen), key=lambda p: (p.start, p.end))


def read_source(
    data: Path | None,
    adapter: str | None,
    option: list[str] | None,
    locale: str | None,
    reject_file: Path | None,
    strict: bool,
    quiet: bool,
    progress: Progress | None = None,
) -> Dataset | CountsInput:
    """What every data command starts with: read the input, then account for rejects."""
    con = pipeline.connect()
    with (progress or Progress(quiet=True)).step("reading"):
        source = pipeline.read_input(data, adapter, read_options(option, locale), con)
    report_rejects(source, reject_file, strict, quiet)
    return source


def report_rejects(
    source: Dataset | CountsInput, reject_file: Path | None, strict: bool, quiet: bool
) -> None:
    """Say how many rows were rejected and where they went; --strict makes it fatal."""
    rejected = len(source.rejects)
    if not rejected:
        return
    target = reject_file or Path("dvc-score-rejects.csv")
    try:
        source.rejects.write_csv(target)
    except OSError as error:
        raise UserError(
            f"--reject-file {target}: cannot write the {rejected} rejected row(s) ({error.strerror})"
        ) from None
    reasons = "; ".join(f"{t}: {r} ×{n}" for t, r, n in source.rejects.by_reason()[:5])
    message = f"{rejected} input row(s) rejected ({reasons}); every one is listed in {target}"
    if strict:
        raise DataError(f"--strict: {message}")
    if not quiet:
        stderr.print(f"[yellow]warning:[/] {message}", markup=True, highlight=False)


def render(
    results: list[Result],
    ruleset: Ruleset,
    fmt: str,
    lang: Lang,
    output: Path | None,
    stats: Sequence[StatsReport] = (),
) -> None:
    reporters = registry.reporters()
    reporter = reporters.get(fmt)
    if reporter is None:
        raise UserError(
            f"--format {fmt!r}: unknown format; available: {', '.join(sorted(reporters))}"
        )
    color = output is None and sys.stdout.isatty()
    width = shutil.get_terminal_size((100, 24)).columns if color else 100
    content = reporter.render(
        results,
        ruleset,
        ReportOptions(lang=lang.value, width=width, color=color, stats=tuple(stats)),
    )
    if output is not None:
        write_atomically(output, content)
    elif isinstance(content, bytes):
        raise UserError(f"--format {fmt}: a binary format needs --output FILE")
    else:
        sys.stdout.write(content)


write_atomically = fileio.write_atomically
