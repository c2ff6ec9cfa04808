"""``--format csv``: the per-unit scores table (and ``stats --format csv``: the statistics).

For scripts and spreadsheets: one row per unit (per period), headers are the
stable machine names (``unit_code``, ``publicity`` …, ``total``, ``class``)
whatever ``--lang`` says, and numbers use a dot decimal mark and no grouping.
Unit names and labels follow ``--lang``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from dvc_score.analysis.stats_model import StatsReport
from dvc_score.model.result import Result
from dvc_score.model.ruleset import Ruleset
from dvc_score.reporters.base import ReportOptions
from dvc_score.reporters.views import Cell, View, scores_view, stats_view


class CsvReporter:
    name = "csv"
    description = "CSV, one row per unit: group scores, total and class."
    binary = False

    def render(self, results: Sequence[Result], ruleset: Ruleset, options: ReportOptions) -> str:
        return view_csv(scores_view(results, ruleset, options.lang))


def stats_csv(reports: Sequence[StatsReport], options: ReportOptions) -> str:
    return view_csv(stats_view(reports, options.lang))


def view_csv(view: View) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.key for column in view.columns])
    for row in view.rows:
        writer.writerow([_plain(value) for value in row])
    return buffer.getvalue()


def _plain(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= -2:
            return f"{value:f}"  # scores keep their 2 decimals
        return f"{value:.6f}".rstrip("0").rstrip(".")  # ratios to 6 places, as in the JSON
    return str(value)
