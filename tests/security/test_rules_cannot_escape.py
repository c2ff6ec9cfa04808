"""No ruleset expression can read or write files, reach the network or run other SQL.

First line of defence: the whitelist refuses anything but a pure row expression
when the ruleset is loaded, and says where (``file:line:col``). Rendering goes
through the checked tree only, so what DuckDB receives passes the same check.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from dvc_score import registry
from dvc_score.engine import duckdb_backend, reference
from dvc_score.engine.planner import _render, plan
from dvc_score.errors import RulesetError
from dvc_score.rules.expressions import check_expression
from tests.properties.datasets import build
from tests.properties.files import tiny_tables
from tests.properties.strategies import PERIOD

# (expression, the text the error location must point at)
ESCAPES = [
    ("read_csv('/etc/passwd') IS NOT NULL", "read_csv"),
    ("status IN (SELECT 1 FROM read_csv('/etc/passwd'))", "("),
    ("read_parquet('https://example.com/x.parquet') IS NULL", "read_parquet"),
    ("read_text('/etc/passwd') IS NULL", "read_text"),
    ("COPY dossiers TO '/tmp/stolen.csv'", "COPY"),
    ("ATTACH '/tmp/x.db' AS x", "ATTACH"),
    ("INSTALL httpfs", "INSTALL"),
    ("LOAD httpfs", "LOAD"),
    ("getenv('HOME') = 'x'", "getenv"),
    ("current_setting('enable_external_access')", "current_setting"),
    ("status = 1; SET enable_external_access = true", ";"),
    ("status = 1 -- AND FALSE", "--"),
    ("status = 1 /* OR TRUE */", "status"),
    ('"status"" = 1 OR ""x" = 1', '"status"'),
    ("ѕtatus = 1", "ѕtatus"),
]
PLACES = ("indicator", "measure", "derived")


def _ruleset_text(place: str, expression: str) -> tuple[str, int]:
    """A ruleset extending national2026 with ``expression`` in one place; (text, its line)."""
    head: dict[str, Any] = {"ruleset": {"id": "evil", "version": "1", "extends": "national2026"}}
    bodies: dict[str, dict[str, Any]] = {
        "indicator": {"indicators": {"timeliness.on_time": {"numerator": expression}}},
        "measure": {
            "indicators": {
                "online.online_dossiers": {
                    "denominator": {"table": "dossiers", "where": expression}
                }
            }
        },
        "derived": {"derived": {"dossiers": {"received_in_period": expression}}},
    }
    text = tomli_w.dumps(head) + "\n" + tomli_w.dumps(bodies[place])
    quoted = tomli_w.dumps({"x": expression})[4:].strip()
    line = next(n for n, row in enumerate(text.splitlines(), 1) if quoted in row)
    return text, line


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize(("expression", "anchor"), ESCAPES, ids=[e[:30] for e, _ in ESCAPES])
def test_an_escape_is_refused_at_load_time_with_file_line_col(
    tmp_path: Path, place: str, expression: str, anchor: str
) -> None:
    text, line = _ruleset_text(place, expression)
    path = tmp_path / "evil.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError) as refused:
        registry.load(str(path))
    match = re.match(rf"^{re.escape(str(path))}:(\d+):(\d+): ", str(refused.value))
    assert match, str(refused.value)
    assert int(match.group(1)) == line
    row = text.splitlines()[line - 1]
    col = int(match.group(2))
    if '"' not in expression and "\\" not in expression:  # written verbatim: col points in it
        assert row[col - 1 :].startswith(anchor), (row, col)


def test_a_quoting_trick_stays_a_string_literal() -> None:
    """``'x'' OR 1=1'`` is one string: it matches a dossier with exactly that channel."""
    tables = tiny_tables()
    tables["dossiers"][0]["channel"] = "x' OR 1=1"
    ruleset = registry.load("national2026")
    indicator = ruleset.indicators["online.online_dossiers"]
    tricky = type(indicator.numerator)("dossiers", "channel = 'x'' OR 1=1'", "rows")
    from dataclasses import replace

    ruleset = replace(ruleset, indicators={indicator.id: replace(indicator, numerator=tricky)})
    counts = duckdb_backend.count(build(tables), ruleset, [PERIOD])
    assert counts[0].get("P", indicator.id).numerator == 1
    assert counts == reference.count(tables, ruleset, [PERIOD])


def test_a_derived_name_cannot_break_out_of_its_quotes(tmp_path: Path) -> None:
    name = "x\" FROM dossiers; COPY dossiers TO '/tmp/stolen.csv'; --"
    data = {
        "ruleset": {"id": "names", "version": "1", "extends": "national2026"},
        "derived": {"dossiers": {name: "status = 9"}},
        "indicators": {"timeliness.on_time": {"numerator": '"x"" FROM dossiers; COPY dossiers TO '
                                              "'/tmp/stolen.csv'; --\" AND received_in_period"}},
    }  # fmt: skip
    path = tmp_path / "names.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    ruleset = registry.load(str(path))
    con = build(tiny_tables())
    duckdb_backend.count(con, ruleset, [PERIOD])
    assert not Path("/tmp/stolen.csv").exists()
    for query in plan(ruleset):
        statements = con.extract_statements(query.sql)
        assert [str(s.type) for s in statements] == ["StatementType.SELECT"]


@pytest.mark.parametrize("ruleset_id", ["national2026", "national2023"])
def test_what_duckdb_receives_passes_the_same_whitelist(ruleset_id: str) -> None:
    ruleset = registry.load(ruleset_id)
    expressions = [
        (side.table, side.where)
        for indicator in ruleset.indicators.values()
        for side in (indicator.numerator, indicator.denominator)
    ] + [
        (table, column.expression)
        for table, columns in ruleset.derived.items()
        for column in columns.values()
    ]
    for table, text in expressions:
        names = list(ruleset.derived.get(table, {}))
        rendered = _render(check_expression(text, table, names).tree)
        check_expression(rendered, table, names)
