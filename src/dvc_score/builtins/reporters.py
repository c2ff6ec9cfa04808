"""Built-in reporters: table, json, csv, markdown."""

from __future__ import annotations

from collections.abc import Callable

from dvc_score.hookspecs import hookimpl
from dvc_score.reporters.base import Reporter


@hookimpl
def dvc_score_register_reporters(register: Callable[[Reporter], None]) -> None:
    from dvc_score.reporters.json_report import JsonReporter
    from dvc_score.reporters.table import TableReporter

    for reporter in (TableReporter(), JsonReporter()):
        register(reporter)
