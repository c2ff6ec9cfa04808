"""Built-in reporters: table, json, csv, markdown, html, xlsx."""

from __future__ import annotations

from collections.abc import Callable

from dvc_score.hookspecs import hookimpl
from dvc_score.reporters.base import Reporter


@hookimpl
def dvc_score_register_reporters(register: Callable[[Reporter], None]) -> None:
    from dvc_score.reporters.csv_report import CsvReporter
    from dvc_score.reporters.html import HtmlReporter
    from dvc_score.reporters.json_report import JsonReporter
    from dvc_score.reporters.markdown import MarkdownReporter
    from dvc_score.reporters.table import TableReporter
    from dvc_score.reporters.xlsx import XlsxReporter

    for reporter in (
        TableReporter(),
        JsonReporter(),
        CsvReporter(),
        MarkdownReporter(),
        HtmlReporter(),
        XlsxReporter(),
    ):
        register(reporter)
