"""Adversarial rulesets: every one ends with exit 0 or 2 and one line, never a traceback."""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from dvc_score import registry
from dvc_score.engine import duckdb_backend
from dvc_score.engine.planner import _render
from dvc_score.errors import DataError, UserError
from dvc_score.rules.expressions import ExpressionError, check_expression
from dvc_score.rulesets import __file__ as rulesets_init
from tests.properties.datasets import build
from tests.properties.files import tiny_tables, write_folder
from tests.properties.harness import budget
from tests.properties.strategies import PERIOD

from .support import run_clean, run_process

NATIONAL = Path(rulesets_init).parent / "national2026.toml"
MINI = """\
[ruleset]
id = "mini"
version = "1"
title_vi = "t"
title_en = "t"
description = "d"
valid_from = "2025-01-01"
valid_to = "2030-01-01"

[groups.timeliness]
points = 20
name_vi = "a"
name_en = "b"
order = 1

[[classes]]
id = "good"
min = 50
name_vi = "x"
name_en = "y"

[derived.dossiers]
received_in_period = { expression = "received_at >= period_start AND received_at < period_end", doc = "d" }
plain = "status = 9"

[indicators."timeliness.on_time"]
points = 20
name_vi = "n"
name_en = "n"
description = "d"
note = "n"
table = "dossiers"
count = "rows"
numerator = "received_in_period AND plain"
denominator = { table = "dossiers", where = "received_in_period", count = "rows" }
scoring = "target"
target = 0.5
params = { target = 0.5 }
empty = "zero"
provenance = "verified"
scope = "unit"
order = 1
enabled = true
"""

# Refused at load time, whatever the trick.
MALICIOUS = [
    "(SELECT 1)",
    "status IN (SELECT status FROM dossiers)",
    "EXISTS (SELECT 1)",
    "read_csv('/etc/passwd') IS NOT NULL",
    "(SELECT count(*) FROM read_csv('/etc/passwd')) > 0",
    "COPY dossiers TO '/tmp/x.csv'",
    "ATTACH '/tmp/x.db' AS x",
    "INSTALL httpfs",
    "LOAD httpfs",
    "getenv('HOME') = 'x'",
    "current_setting('memory_limit') = '1GB'",
    "system('id') = 0",
    "pragma_version() IS NULL",
    "PRAGMA enable_profiling",
    "status = 1; DROP TABLE dossiers",
    "status = 1; COPY dossiers TO '/tmp/x.csv'",
    "status = 1 -- AND FALSE",
    "status = 1 /* hidden */ OR TRUE",
    '"status"" = 1 OR ""x" = 1',
    '"x"" FROM dossiers; --" = 1',
    "ѕtatus = 1",  # Cyrillic 's'
    "main.dossiers.status = 1",
    "dossiers.* IS NULL",
    "query('SELECT 1') IS NULL",
    "now() > received_at",
    "random() > 0.5",
    "status = $1",
    "channel COLLATE nocase = 'x'",
    "CAST(status AS BLOB) IS NULL",
    "struct_pack(a := status) IS NULL",
    "[status] IS NULL",
    "TRY(status / 0) IS NULL",
    "(" * 10_000 + "status" + ")" * 10_000,
    "(" * 200 + "status = 1" + ")" * 200,
    "NOT " * 3000 + "synced",
    " OR ".join(["status = 1"] * 3000),
    "status = 1 AND",
    "'unterminated",
]

# Accepted: plain values, however odd. They must still run (exit 0) or fail cleanly (2).
ODD_BUT_SAFE = [
    "channel = 'x'' OR 1=1 --'",
    "channel = 'Nguyễn Văn ''Thử'' Nghiệm'",
    "status = 99999999999999999999999999999999999999999",
    "fee_due < 1e400",
    "fee_due <> CAST('nan' AS DOUBLE)",
    "fee_due < CAST('inf' AS DOUBLE)",
    "-fee_due < 1e308 * 10",
    "status % 0 = 1",
    "CAST(channel AS INT) = 1",
    "date_diff('second', received_at, CAST('9999-12-31' AS DATE)) > 0",
    "add_working_days(received_at, 1e9) IS NULL",
    "working_days(received_at, CAST('1900-01-01' AS DATE)) IS NULL",
    " AND ".join(["synced"] * 800),
]


def ruleset_with(where: str) -> str:
    data = tomllib.loads(MINI)
    data["indicators"]["timeliness.on_time"]["numerator"] = where
    return tomli_w.dumps(data)


@pytest.fixture(scope="module")
def workspace() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        write_folder(tiny_tables(), root / "data", "csv", 1)
        yield root


@pytest.fixture(scope="module")
def tiny_con() -> duckdb.DuckDBPyConnection:
    return build(tiny_tables())


@pytest.mark.parametrize("where", MALICIOUS, ids=[w[:40] for w in MALICIOUS])
def test_a_malicious_expression_is_refused_in_one_line(workspace: Path, where: str) -> None:
    path = workspace / "malicious.toml"
    path.write_text(ruleset_with(where), encoding="utf-8")
    result = run_clean(["rulesets", "validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}:")


@pytest.mark.parametrize("where", ODD_BUT_SAFE, ids=[w[:40] for w in ODD_BUT_SAFE])
def test_an_odd_but_safe_expression_loads_and_counts_or_fails_cleanly(
    workspace: Path, tiny_con: duckdb.DuckDBPyConnection, where: str
) -> None:
    path = workspace / "odd.toml"
    path.write_text(ruleset_with(where), encoding="utf-8")
    assert run_clean(["rulesets", "validate", str(path)]).exit_code == 0
    try:
        duckdb_backend.count(tiny_con, registry.load(str(path)), [PERIOD])
    except DataError as error:
        assert "\n" not in str(error).strip()


@pytest.mark.parametrize("where", [ODD_BUT_SAFE[0], ODD_BUT_SAFE[7], ODD_BUT_SAFE[8]])
def test_an_odd_but_safe_expression_through_count(workspace: Path, where: str) -> None:
    path = workspace / "odd.toml"
    path.write_text(ruleset_with(where), encoding="utf-8")
    run_clean(
        ["count", "--data", str(workspace / "data"), "--ruleset", str(path), "--period", "2026-08",
         "--reject-file", str(workspace / "rejects.csv"), "--quiet"]
    )  # fmt: skip


# ------------------------------------------------------------------ generated expressions

TOKENS = [
    "status", "channel", "fee_due", "received_at", "due_at", "synced", "procedure.has_fee",
    "received_in_period", "plain", "period_start", "period_end", "unknown_col", '"status"',
    "1", "0", "-1", "1.5", "1e400", "99999999999999999999", "'online'", "'x'' OR 1=1'", "NULL",
    "TRUE", "'2026-08-01'", "'nan'", "=", "<>", "<", ">=", "+", "-", "*", "/", "%", "||", "AND",
    "OR", "NOT", "IS", "IN", "BETWEEN", "LIKE", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST",
    "AS", "INT", "DATE", "VARCHAR", "INTERVAL", "DAY", "(", ")", "(", ")", ",", ";", "--", "/*",
    "*/", "'", '"', "SELECT", "FROM", "COPY", "TO", "ATTACH", "INSTALL", "LOAD", "PRAGMA",
    "UNION", "read_csv(", "getenv(", "current_setting(", "system(", "working_days(",
    "add_working_days(", "date_diff(", "'second'", "abs(", "round(", "coalesce(", "IF(",
    "extract(", "year", "FROM", "::", "[", "]", "{", "}", "$1", "?", "\\", "ѕ", "\u200b", "\x00",
]  # fmt: skip
grammar_expressions = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14).map(" ".join)
_VALUES = [
    "status", "channel", "fee_due", "supplement_days", "received_at", "due_at", "finished_at",
    "synced", "paid_online", "procedure.has_fee", "procedure.max_duration_days", "plain",
    "received_in_period", "period_start", "period_end", "1", "0", "-3", "2.5", "1e400", "NULL",
    "TRUE", "'online'", "'2026-08-01'", "'x'' OR 1=1'", "'nan'", "99999999999999999999",
    "read_csv('/etc/passwd')", "(SELECT 1)", "getenv('HOME')", "now()",
]  # fmt: skip
_FUNCTIONS = [
    "abs", "round", "coalesce", "greatest", "least", "year", "month", "day", "dayofweek",
    "working_days", "add_working_days", "date_trunc", "date_add", "date_diff", "IF", "md5",
    "read_parquet", "current_setting", "length", "upper", "strftime", "epoch", "ceil",
]  # fmt: skip
_BINARY = ["=", "<>", "<", ">=", "+", "-", "*", "/", "%", "AND", "OR", "||", "LIKE", "IS", "::"]
_TYPES = ["INT", "BIGINT", "DOUBLE", "DATE", "TIMESTAMP", "VARCHAR", "BOOLEAN", "BLOB", "INTERVAL"]


def _structured(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(inner, inner)
    return st.one_of(
        st.tuples(inner, st.sampled_from(_BINARY), inner).map(" ".join),
        inner.map(lambda x: f"NOT ({x})"),
        inner.map(lambda x: f"({x}) IS NULL"),
        st.tuples(st.sampled_from(_FUNCTIONS), st.lists(inner, max_size=3)).map(
            lambda f: f"{f[0]}({', '.join(f[1])})"
        ),
        st.tuples(st.sampled_from(["'second'", "'day'", "'month'", "'foo'"]), pair).map(
            lambda f: f"date_diff({f[0]}, {f[1][0]}, {f[1][1]})"
        ),
        st.tuples(inner, st.sampled_from(_TYPES)).map(lambda c: f"CAST({c[0]} AS {c[1]})"),
        st.tuples(inner, st.lists(inner, min_size=1, max_size=3)).map(
            lambda c: f"{c[0]} IN ({', '.join(c[1])})"
        ),
        st.tuples(inner, inner, inner).map(
            lambda c: f"CASE WHEN {c[0]} THEN {c[1]} ELSE {c[2]} END"
        ),
        st.tuples(inner, inner, inner).map(lambda c: f"{c[0]} BETWEEN {c[1]} AND {c[2]}"),
        inner.map(lambda x: f"received_at + INTERVAL ({x}) DAY"),
        pair.map(lambda c: f"{c[0]}; {c[1]}"),
        inner.map(lambda x: f"{x} -- tail"),
    )


structured_expressions = st.recursive(st.sampled_from(_VALUES), _structured, max_leaves=6)
text_expressions = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=60
)


@budget(150)
@given(where=st.one_of(structured_expressions, grammar_expressions, text_expressions))
def test_generated_expressions_are_refused_or_counted(
    tiny_con: duckdb.DuckDBPyConnection, where: str
) -> None:
    """Load through the checker; what passes must render within the whitelist and count."""
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False, encoding="utf-8") as f:
        f.write(ruleset_with(where))
    path = Path(f.name)
    try:
        ruleset = registry.load(str(path))
    except UserError as error:
        message = str(error)
        assert message.startswith(str(path)) and "\n" not in message.strip(), message
        return
    finally:
        path.unlink()
    tree = check_expression(where, "dossiers", list(ruleset.derived.get("dossiers", {}))).tree
    check_expression(_render(tree), "dossiers", list(ruleset.derived.get("dossiers", {})))
    try:
        duckdb_backend.count(tiny_con, ruleset, [PERIOD])
    except DataError as error:
        assert "\n" not in str(error).strip()


@pytest.mark.parametrize("where", [w for w in MALICIOUS if len(w) < 300][:12])
def test_the_checker_refuses_the_malicious_list_directly(where: str) -> None:
    with pytest.raises(ExpressionError):
        check_expression(where, "dossiers", ["received_in_period", "plain"])


# ------------------------------------------------------------------ broken TOML and types


@budget(40)
@given(blob=st.binary(max_size=400))
def test_random_bytes_as_a_ruleset(blob: bytes) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        path = Path(temporary) / "random.toml"
        path.write_bytes(blob)
        run_clean(["rulesets", "validate", str(path)])


@budget(25)
@given(cut=st.integers(0, len(NATIONAL.read_bytes())))
def test_a_truncated_national_ruleset(cut: int) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        path = Path(temporary) / "truncated.toml"
        path.write_bytes(NATIONAL.read_bytes()[:cut])
        run_clean(["rulesets", "validate", str(path)])


BROKEN_FILES: dict[str, bytes] = {
    "empty": b"",
    "bom-only": b"\xef\xbb\xbf",
    "cp1258": "[ruleset]\nid = 'Nguy\u00ea\u0303n'\n".encode("cp1258"),
    "utf16": "[ruleset]\nid = 'x'\n".encode("utf-16"),
    "nul": b"[ruleset]\x00id = 'x'\n",
    "deep-arrays": b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "deep-tables": b"a = " + b"{b = " * 3000 + b"1" + b"}" * 3000 + b"\n",
    "duplicate-key": b"[ruleset]\nid = 'a'\nid = 'b'\n",
    "huge": b"# " + b"x" * 2_100_000 + b"\n",
    "not-toml": b"<html><body>ruleset</body></html>",
}


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_a_broken_ruleset_file(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.toml"
    path.write_bytes(BROKEN_FILES[name])
    assert run_clean(["rulesets", "validate", str(path)]).exit_code == 2


def _key_paths(table: dict[str, Any], prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    for key, value in table.items():
        yield (*prefix, key)
        if isinstance(value, dict):
            yield from _key_paths(value, (*prefix, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _key_paths(item, (*prefix, key, index))


WRONG_VALUES: list[Any] = [
    "x", "", 0, -1, 1.5, float("nan"), float("inf"), True, [], ["a", 1], {}, {"a": 1},
    dt.date(2025, 1, 1), 10**30,
]  # fmt: skip
KEY_PATHS = list(_key_paths(tomllib.loads(MINI)))


def _with_value(key: tuple[Any, ...], value: Any) -> str:
    data = tomllib.loads(MINI)
    target = data
    for part in key[:-1]:
        target = target[part]
    target[key[-1]] = copy.deepcopy(value)
    return tomli_w.dumps(data)


@pytest.mark.parametrize("key", KEY_PATHS, ids=[".".join(map(str, k)) for k in KEY_PATHS])
def test_a_wrong_type_for_any_key_is_one_clean_line(key: tuple[Any, ...], tmp_path: Path) -> None:
    path = tmp_path / "typed.toml"
    for value in WRONG_VALUES:  # through the loader: the CLI adds only its error boundary
        path.write_text(_with_value(key, value), encoding="utf-8")
        try:
            registry.load(str(path))
        except UserError as error:
            assert str(error).startswith(str(path)) and "\n" not in str(error).strip(), error
    path.write_text(_with_value(key, ["a", 1]), encoding="utf-8")
    result = run_clean(["rulesets", "validate", str(path)])
    if result.exit_code == 2:
        assert result.stderr.startswith(f"error: {path}"), result.stderr


# ------------------------------------------------------------------ extends cycles


def _extending(tmp_path: Path, name: str, parent: str) -> Path:
    data = tomllib.loads(MINI)
    data["ruleset"]["id"] = name
    data["ruleset"]["extends"] = parent
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_extends_itself(tmp_path: Path) -> None:
    path = _extending(tmp_path, "self", "self.toml")
    result = run_clean(["rulesets", "validate", str(path)])
    assert result.exit_code == 2 and "cycle" in result.stderr


def test_extends_in_a_cycle(tmp_path: Path) -> None:
    _extending(tmp_path, "a", "b.toml")
    path = _extending(tmp_path, "b", "a.toml")
    result = run_clean(["rulesets", "validate", str(path)])
    assert result.exit_code == 2 and "cycle" in result.stderr


def test_extends_too_deep(tmp_path: Path) -> None:
    (tmp_path / "r0.toml").write_text(MINI, encoding="utf-8")
    for k in range(1, 40):
        _extending(tmp_path, f"r{k}", f"r{k - 1}.toml")
    result = run_clean(["rulesets", "validate", str(tmp_path / "r39.toml")])
    assert result.exit_code == 2


def test_hostile_rulesets_in_a_real_process(tmp_path: Path) -> None:
    """The same refusals from the installed command, with a timeout that catches hangs."""
    path = tmp_path / "deep.toml"
    path.write_text(ruleset_with("(" * 9_000 + "1" + ")" * 9_000), encoding="utf-8")
    assert run_process(["rulesets", "validate", str(path)], tmp_path).returncode == 2
    path = tmp_path / "huge.toml"
    path.write_bytes(BROKEN_FILES["huge"])
    assert run_process(["rulesets", "validate", str(path)], tmp_path).returncode == 2
