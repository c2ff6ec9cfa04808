"""``--format xlsx``: one workbook, one sheet per view, for people who work in Excel.

Sheets: Tổng hợp (scores per unit), Chỉ số (every unit × indicator), Thống kê
and Xếp hạng (dossier statistics and their top / bottom tables, when the input
had dossiers), Kỳ (totals side by side, when several periods are given).
Numbers are stored as numbers with formats (0.00 scores, 0.00% ratios, #,##0
counts), so Excel shows them in the reader's own locale and they still add up.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from dvc_score.analysis.stats_model import StatsReport
from dvc_score.model.result import Result
from dvc_score.model.ruleset import Ruleset
from dvc_score.reporters.base import ReportOptions
from dvc_score.reporters.views import (
    Cell,
    Kind,
    View,
    cell_text,
    indicators_view,
    rankings_view,
    scores_view,
    series_view,
    stats_view,
)

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written: 0.2 s otherwise
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

NUMBER_FORMATS: dict[Kind, str] = {"count": "#,##0", "score": "0.00", "ratio": "0.00%"}
HEADER_FILL = "DDE7F7"  # pale blue, solid
# Columns that stay visible while scrolling right: everything up to the unit name.
FROZEN_THROUGH = "unit_name"
MIN_WIDTH, MAX_WIDTH = 8, 48


class XlsxReporter:
    name = "xlsx"
    description = "Excel workbook: scores, indicators, statistics, periods (needs --output)."
    binary = True
    uses_stats = True  # run computes the statistics for it when the input has dossiers

    def render(self, results: Sequence[Result], ruleset: Ruleset, options: ReportOptions) -> bytes:
        lang = options.lang
        views = [scores_view(results, ruleset, lang), indicators_view(results, ruleset, lang)]
        views += _stats_views(options.stats, lang, options.top)
        if len(results) > 1:
            views.append(series_view(results, lang))
        return workbook_bytes(views, lang)


def stats_workbook(reports: Sequence[StatsReport], options: ReportOptions) -> bytes:
    """The workbook of ``dvc-score stats --format xlsx``."""
    return workbook_bytes(_stats_views(reports, options.lang, options.top), options.lang)


def _stats_views(reports: Sequence[StatsReport], lang: str, top: int) -> list[View]:
    if not reports:
        return []
    return [stats_view(reports, lang), rankings_view(reports, lang, top)]


def workbook_bytes(views: Sequence[View], lang: str) -> bytes:
    # Write-only mode streams rows to the file: about twice as fast and a fraction
    # of the memory for the indicators sheet of a whole province.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for view in views:
        _write_sheet(book.create_sheet(view.title[:31]), view, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet: WriteOnlyWorksheet, view: View, lang: str) -> None:
    from openpyxl.utils import get_column_letter

    # Layout first: a write-only sheet writes its settings before the rows.
    for index in range(len(view.columns)):
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = _width(view, index, lang)
    sheet.freeze_panes = f"{get_column_letter(_frozen_columns(view) + 1)}2"
    last = f"{get_column_letter(len(view.columns))}{len(view.rows) + 1}"
    sheet.auto_filter.ref = f"A1:{last}"
    sheet.append([_header(sheet, column.label) for column in view.columns])
    formats = [NUMBER_FORMATS.get(column.kind) for column in view.columns]
    for row in view.rows:
        sheet.append([_cell(sheet, value, fmt) for value, fmt in zip(row, formats, strict=True)])


def _header(sheet: WriteOnlyWorksheet, label: str) -> WriteOnlyCell:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    cell = WriteOnlyCell(sheet, value=label)
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _cell(sheet: WriteOnlyWorksheet, value: Cell, number_format: str | None) -> object:
    if number_format is None:
        return _value(value)
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=_value(value))
    cell.number_format = number_format
    return cell


def _value(value: Cell) -> str | int | float | None:
    # openpyxl writes Decimal too, but float keeps the cell a plain number everywhere.
    return float(value) if isinstance(value, Decimal) else value


def _frozen_columns(view: View) -> int:
    keys = [column.key for column in view.columns]
    return keys.index(FROZEN_THROUGH) + 1 if FROZEN_THROUGH in keys else 0


def _width(view: View, index: int, lang: str) -> float:
    """Wide enough for the header's longest word and the longest value shown."""
    column = view.columns[index]
    header = max((len(word) for word in column.label.split()), default=0)
    longest = max(
        (len(cell_text(row[index], column.kind, lang)) for row in view.rows[:2000]), default=0
    )
    return float(min(max(header, longest, MIN_WIDTH) + 2, MAX_WIDTH))
