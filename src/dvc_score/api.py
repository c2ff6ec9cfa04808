"""The public API for plugins: import from here, nothing deeper.

Everything re-exported here is a stable contract; anything else in dvc_score
may change between versions.
"""

from __future__ import annotations

from dvc_score.adapters.base import (
    Adapter,
    CountsInput,
    Dataset,
    ReadOptions,
    RejectLog,
)
from dvc_score.adapters.counts_csv import read_counts_csv
from dvc_score.adapters.normalized import fingerprint, raw_relation, table_files
from dvc_score.adapters.parsing import (
    HeaderMap,
    parse_bool,
    parse_channel,
    parse_datetime,
    parse_int_code,
    parse_number,
    strip_diacritics,
)
from dvc_score.adapters.typed_load import (
    create_empty,
    ensure_all_tables,
    load_table,
    reject_unknown_units,
)
from dvc_score.engine.periods import Period, parse_period
from dvc_score.engine.scorer import Scorer
from dvc_score.errors import CheckFailed, DataError, RulesetError, UserError
from dvc_score.hookspecs import hookimpl
from dvc_score.model.counts import Count, Counts, UnitInfo, order_units
from dvc_score.model.result import Result
from dvc_score.model.ruleset import Ruleset
from dvc_score.model.schema import TABLES, Column, Table
from dvc_score.registry import load as load_ruleset
from dvc_score.reporters.base import Reporter, ReportOptions


def score(counts: Counts, ruleset: Ruleset, period: Period | None = None) -> Result:
    """Score counts under a ruleset: what ``dvc-score score`` does, as a function."""
    from dvc_score import pipeline

    return pipeline.score(counts, ruleset, period, source="api", fingerprint="")


__all__ = [
    "TABLES",
    "Adapter",
    "CheckFailed",
    "Column",
    "Count",
    "Counts",
    "CountsInput",
    "DataError",
    "Dataset",
    "HeaderMap",
    "Period",
    "ReadOptions",
    "RejectLog",
    "ReportOptions",
    "Reporter",
    "Result",
    "Ruleset",
    "RulesetError",
    "Scorer",
    "Table",
    "UnitInfo",
    "UserError",
    "create_empty",
    "ensure_all_tables",
    "fingerprint",
    "hookimpl",
    "load_ruleset",
    "load_table",
    "order_units",
    "parse_bool",
    "parse_channel",
    "parse_datetime",
    "parse_int_code",
    "parse_number",
    "parse_period",
    "raw_relation",
    "read_counts_csv",
    "reject_unknown_units",
    "score",
    "strip_diacritics",
    "table_files",
]
