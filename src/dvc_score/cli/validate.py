"""``dvc-score validate``: read the data and report its quality, table by table.

What it reports: rows read, accepted and rejected (by reason) per table, with
duplicates and unknown units called out; then checks on the accepted rows.
Warnings (dates out of order, dossiers of procedures missing from the catalog)
leave rows in the score; errors (a unit whose parent is missing, a cycle in
the unit tree) would stop ``run``, so they make ``validate`` exit 2 too.

Exit codes: 0 the data can be scored; 2 it cannot (an error, an unreadable
file, or with ``--strict`` any rejected row).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dvc_score import pipeline
from dvc_score.adapters.base import REJECTS_TABLE, CountsInput, Dataset
from dvc_score.adapters.parsing import VN_TZ
from dvc_score.adapters.typed_load import DUPLICATE, KEYS, UNKNOWN_UNIT
from dvc_score.cli import common
from dvc_score.cli.app import stderr
from dvc_score.engine.duckdb_backend import load_units
from dvc_score.engine.hierarchy import ancestor_paths
from dvc_score.errors import DataError, UserError

REPORT_VERSION = 1
DEFAULT_REJECT_FILE = Path("dvc-score-rejects.csv")
stdout = Console(highlight=False, width=110, soft_wrap=False)


class Format(StrEnum):
    table = "table"
    json = "json"


@dataclass(frozen=True)
class Check:
    """A rule over the accepted rows of one table (pandera-style: what, not how)."""

    id: str
    table: str
    severity: str  # "warning": rows stay in the score; "error": scoring would stop
    description: str
    where: str
    needs: tuple[str, ...] = ()  # tables that must have been given for the check to mean anything


@dataclass(frozen=True)
class Finding:
    check: str
    table: str
    severity: str
    description: str
    rows: int
    example: str


_NOW = "{now}"  # replaced by the current local time: dates after it are suspicious
CHECKS: tuple[Check, ...] = (
    Check("finished_before_received", "dossiers", "warning", "finished_at is before received_at",
          "finished_at < received_at"),
    Check("due_before_received", "dossiers", "warning", "due_at is before received_at",
          "due_at < received_at"),
    Check("returned_before_finished", "dossiers", "warning", "returned_at is before finished_at",
          "returned_at < finished_at"),
    Check("received_before_submitted", "dossiers", "warning", "received_at is before submitted_at",
          "received_at < submitted_at"),
    Check("received_in_future", "dossiers", "warning", "received_at is in the future",
          f"received_at > TIMESTAMP '{_NOW}'"),
    Check("finished_without_date", "dossiers", "warning",
          "status is finished or returned (9, 10) but finished_at is empty",
          "status IN (9, 10) AND finished_at IS NULL"),
    Check("unknown_procedure", "dossiers", "warning",
          "procedure_code is not in the catalog for the dossier's unit",
          "NOT EXISTS (SELECT 1 FROM procedures p WHERE p.procedure_code = t.procedure_code"
          " AND p.unit_code = t.unit_code)", needs=("procedures",)),
    Check("resolved_before_received", "petitions", "warning", "resolved_at is before received_at",
          "resolved_at < received_at"),
    Check("petition_due_before_received", "petitions", "warning", "due_at is before received_at",
          "due_at < received_at"),
    Check("missing_parent", "units", "error", "parent_code is not a unit (scoring stops)",
          "NULLIF(parent_code, '') IS NOT NULL AND NOT EXISTS"
          " (SELECT 1 FROM units u WHERE u.unit_code = t.parent_code)"),
)  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)


def validate(
    data: Annotated[Path, typer.Option("--data", help="Input file or folder to check.")],
    adapter: common.AdapterOpt = None,
    locale: common.LocaleOpt = None,
    option: common.SettingOpt = None,
    reject_file: common.RejectOpt = None,
    strict: common.StrictOpt = False,
    format: Annotated[
        Format, typer.Option("--format", "-f", help="table (for people) or json.")
    ] = Format.table,
) -> None:
    """Check input data: rows read, accepted and rejected, and why; dates out of order,
    unknown units and procedures. Exit 2 if the data cannot be scored."""
    chosen = pipeline.pick_adapter(data, adapter).name
    con = pipeline.connect()
    source = pipeline.read_input(data, chosen, common.read_options(option, locale), con)
    rejected = len(source.rejects)
    target = _write_rejects(source, reject_file)
    findings = run_checks(source) if isinstance(source, Dataset) else []
    report = build_report(source, chosen, findings, target)
    if format is Format.json:
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
        stderr.print(Text(summary_line(report)))  # stdout is for the machine
    else:
        print_report(report)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise DataError(f"{len(errors)} problem(s) would stop scoring: {errors[0].description}")
    if strict and rejected:
        raise DataError(
            f"--strict: {rejected} input row(s) rejected; every one is listed in {target}"
        )


def _write_rejects(source: Dataset | CountsInput, reject_file: Path | None) -> Path | None:
    """Write the reject file: always when asked for, else only when a row was rejected."""
    target = reject_file or (DEFAULT_REJECT_FILE if len(source.rejects) else None)
    if target is None:
        return None
    try:
        source.rejects.write_csv(target)
    except OSError as error:
        raise UserError(f"--reject-file {target}: cannot write it ({error.strerror})") from None
    return target


def run_checks(dataset: Dataset) -> list[Finding]:
    """Every check that applies, with the rows it flags and one example."""
    con, given = dataset.con, set(dataset.rejects.rows_read)
    now = datetime.now(VN_TZ).replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    findings = []
    for check in CHECKS:
        if any(table not in given for table in (check.table, *check.needs)):
            continue
        where = check.where.replace(_NOW, now)
        rows, example = _flagged(con, check.table, where)
        if rows:
            findings.append(
                Finding(check.id, check.table, check.severity, check.description, rows, example)
            )
    return findings + _tree_problems(con, findings)


def _flagged(con: duckdb.DuckDBPyConnection, table: str, where: str) -> tuple[int, str]:
    key = KEYS[table][0]  # the example names the row by its key
    columns = {str(r[0]) for r in con.execute(f"DESCRIBE {table}").fetchall()}
    place = " || ' (' || __file || ' row ' || __row || ')'" if "__file" in columns else ""
    row = con.execute(
        f"SELECT count(*), min(CAST({key} AS VARCHAR){place}) FROM {table} t WHERE {where}"
    ).fetchone()
    return (int(row[0]), str(row[1] or "")) if row else (0, "")


def _tree_problems(con: duckdb.DuckDBPyConnection, found: list[Finding]) -> list[Finding]:
    # A cycle is only worth looking for once every parent exists.
    if any(f.check == "missing_parent" for f in found):
        return []
    try:
        ancestor_paths(load_units(con))
    except DataError as error:
        return [Finding("unit_tree", "units", "error", str(error), 1, "")]
    return []


def _table_summaries(source: Dataset | CountsInput) -> list[dict[str, Any]]:
    rows = source.rejects.con.execute(
        f"SELECT table_name, count(DISTINCT (file, row)),"
        f" count(*) FILTER (WHERE starts_with(reason, ?)),"
        f" count(*) FILTER (WHERE reason = ?) FROM {REJECTS_TABLE} GROUP BY ALL",
        [DUPLICATE + " ", UNKNOWN_UNIT],
    ).fetchall()
    by_table = {str(t): (int(r), int(d), int(u)) for t, r, d, u in rows}
    names = list(source.rejects.rows_read) + [
        t for t in by_table if t not in source.rejects.rows_read
    ]
    summaries = []
    for name in names:
        rejected, duplicates, unknown = by_table.get(name, (0, 0, 0))
        read = source.rejects.rows_read.get(name)
        summaries.append(
            {
                "table": name,
                "read": read,
                "accepted": source.rejects.rows_accepted.get(name),
                "rejected": rejected,
                "duplicates": duplicates,
                "unknown_units": unknown,
                "reasons": {r: n for t, r, n in source.rejects.by_reason() if t == name},
            }
        )
    return summaries


def build_report(
    source: Dataset | CountsInput, adapter: str, findings: list[Finding], reject_file: Path | None
) -> dict[str, Any]:
    """The report as JSON-ready data (``report_version`` bumps on incompatible changes)."""
    rejected = len(source.rejects)
    return {
        "report_version": REPORT_VERSION,
        "source": source.source,
        "adapter": adapter,
        "fingerprint": source.fingerprint,
        "tables": _table_summaries(source),
        "checks": [asdict(f) for f in findings],
        "rejected_rows": rejected,
        "reject_file": str(reject_file) if reject_file else None,
        "errors": sum(f.severity == "error" for f in findings),
        "warnings": sum(f.severity == "warning" for f in findings),
    }


def print_report(report: dict[str, Any]) -> None:
    stdout.print(Text(f"{report['source']} (adapter {report['adapter']})", style="bold"))
    tables = Table("table", "read", "accepted", "rejected", "duplicates", "unknown unit",
                   box=None, pad_edge=False)  # fmt: skip
    for t in report["tables"]:
        read = "" if t["read"] is None else str(t["read"])
        accepted = "" if t["accepted"] is None else str(t["accepted"])
        tables.add_row(*_cells(t["table"], read, accepted, t["rejected"], t["duplicates"],
                               t["unknown_units"]))  # fmt: skip
    stdout.print(tables)
    reasons = [(t["table"], r, n) for t in report["tables"] for r, n in t["reasons"].items()]
    if reasons:
        stdout.print("\n[bold]Rejected rows by reason[/]")
        listing = Table("table", "rows", "reason", box=None, pad_edge=False)
        for table, reason, rows in reasons:
            listing.add_row(*_cells(table, rows, reason))
        stdout.print(listing)
    if report["checks"]:
        stdout.print("\n[bold]Checks on accepted rows[/]")
        checks = Table("severity", "table", "rows", "check", "example", box=None, pad_edge=False)
        for f in report["checks"]:
            checks.add_row(
                *_cells(f["severity"], f["table"], f["rows"], f["description"], f["example"])
            )
        stdout.print(checks)
    stdout.print(Text("\n" + summary_line(report)), soft_wrap=True)  # one greppable line


def _cells(*values: object) -> list[Text]:
    # Text, not str: file names and reasons may hold [brackets] Rich would parse.
    return [Text(str(value)) for value in values]


def summary_line(report: dict[str, Any]) -> str:
    rejected = report["rejected_rows"]
    where = f"; every one is listed in {report['reject_file']}" if rejected else ""
    return (
        f"{rejected} row(s) rejected{where}. {report['warnings']} warning(s),"
        f" {report['errors']} error(s)."
    )
