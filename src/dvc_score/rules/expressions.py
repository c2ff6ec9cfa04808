"""Safe ruleset expressions: parse with sqlglot, accept only a small whitelist.

A filter or derived column is one SQL *expression* (never a statement) over the
normalized columns of its table, the table's derived columns, the period
parameters and literals. Everything else is refused when the ruleset is loaded,
so that a ruleset from someone else can never read files, reach the network or
run SQL outside the query the planner generates. Rendering always goes through
the checked AST, never the original text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from dvc_score.model.schema import LOOKUPS, TABLES

PERIOD_PARAMETERS = ("period_start", "period_end")
# Far above any real filter; bounds the time a hostile ruleset can spend in the parser.
MAX_EXPRESSION_CHARS = 10_000

# Node types an expression may contain. Each is a value, an operator or a
# pure function of its arguments; none reads anything but the current row.
_ALLOWED_NODES: tuple[type[exp.Expression], ...] = (
    exp.Column,
    exp.Identifier,
    exp.Literal,
    exp.Boolean,
    exp.Null,
    exp.Paren,
    exp.Tuple,
    exp.And,
    exp.Or,
    exp.Not,
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.Is,
    exp.NullSafeEQ,
    exp.NullSafeNEQ,
    exp.In,
    exp.Between,
    exp.Like,
    exp.ILike,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Mod,
    exp.Neg,
    exp.Case,
    exp.If,
    exp.Coalesce,
    exp.Greatest,
    exp.Least,
    exp.Abs,
    exp.Round,
    exp.Cast,
    exp.TryCast,
    exp.DataType,
    exp.Interval,
    exp.Var,
    exp.DateDiff,
    exp.DateAdd,
    exp.DateSub,
    exp.DateTrunc,
    exp.TimestampTrunc,
    exp.Extract,
    exp.DayOfWeek,
    exp.Year,
    exp.Month,
    exp.Day,
)

# Function calls sqlglot does not know, by name: our own calendar macros.
ALLOWED_MACROS = {"working_days": 2, "add_working_days": 2}

_ALLOWED_TYPES = {
    exp.DataType.Type.DATE,
    exp.DataType.Type.TIMESTAMP,
    exp.DataType.Type.TIMESTAMPNTZ,  # what sqlglot makes of DuckDB's TIMESTAMP
    exp.DataType.Type.DOUBLE,
    exp.DataType.Type.INT,
    exp.DataType.Type.BIGINT,
    exp.DataType.Type.VARCHAR,
    exp.DataType.Type.TEXT,
    exp.DataType.Type.BOOLEAN,
}

ALLOWED_SUMMARY = (
    "columns of the table, its derived columns, period_start/period_end, literals, "
    "comparisons, AND/OR/NOT, + - * / %, CASE, IF, COALESCE, IN (list), BETWEEN, LIKE, "
    "IS [NOT] NULL, CAST, INTERVAL, GREATEST/LEAST/ABS/ROUND, date_diff, date_add, "
    "date_sub, date_trunc, extract, dayofweek, year, month, day, working_days(a, b), add_working_days(t, n)"
)


class ExpressionError(ValueError):
    """An expression was refused; ``offset`` points into the expression text."""

    def __init__(self, message: str, offending: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offending = offending
        self.offset = offset


@dataclass(frozen=True)
class CheckedExpression:
    text: str
    tree: exp.Expression
    columns: frozenset[str]
    """Names the expression reads: base columns, derived names, ``lookup.column``."""


def allowed_names(table: str, derived: Iterable[str]) -> set[str]:
    """Every name an expression over ``table`` may read."""
    names = set(TABLES[table].column_names) | set(derived) | set(PERIOD_PARAMETERS)
    for alias, other in LOOKUPS.get(table, {}).items():
        names |= {f"{alias}.{column}" for column in TABLES[other].column_names}
    return names


def check_expression(text: str, table: str, derived: Iterable[str]) -> CheckedExpression:
    """Parse ``text`` and refuse anything outside the whitelist.

    Results are cached: the planner asks about the same few expressions many
    times per count. The returned tree is shared, so callers copy before
    transforming it.
    """
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("an expression must be a non-empty string", str(text))
    return _check_cached(text, table, frozenset(derived))


@lru_cache(maxsize=4096)
def _check_cached(text: str, table: str, derived: frozenset[str]) -> CheckedExpression:
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(
            f"an expression is limited to {MAX_EXPRESSION_CHARS} characters", text[:40] + "…"
        )
    tree = _parse(text)
    names = allowed_names(table, derived)
    columns: set[str] = set()
    for node in tree.walk():
        if not isinstance(node, exp.Expression):  # sqlglot's bare base type: never whitelisted
            raise ExpressionError(f"{type(node).__name__} is not allowed", text)
        _check_node(node, text, names, table)
        if isinstance(node, exp.Column):
            columns.add(_column_name(node))
    return CheckedExpression(text=text, tree=tree, columns=frozenset(columns))


def _parse(text: str) -> exp.Expression:
    log = logging.getLogger("sqlglot")  # its "falling back to a Command" warning is not ours
    disabled, log.disabled = log.disabled, True
    try:
        statements = sqlglot.parse(text, read="duckdb")
    except RecursionError:
        raise ExpressionError("the expression is nested too deeply", text[:40] + "…") from None
    except (ParseError, TokenError) as error:
        offset = _parse_error_offset(error, text)
        raise ExpressionError(
            f"not a valid SQL expression ({_first_line(error)})", text, offset
        ) from None
    finally:
        log.disabled = disabled
    if len(statements) != 1 or statements[0] is None:
        raise ExpressionError("exactly one expression is allowed (no ';')", text, text.find(";"))
    tree = statements[0]
    if not isinstance(tree, exp.Expression) or isinstance(
        tree, (exp.Query, exp.Command, exp.DDL, exp.DML)
    ):
        raise ExpressionError("a statement is not an expression", text)
    return tree


def _first_line(error: Exception) -> str:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    return message.replace("\x1b[4m", "").replace("\x1b[0m", "")


def _parse_error_offset(error: Exception, text: str) -> int:
    errors = getattr(error, "errors", None) or []
    for detail in errors:
        line, col = detail.get("line"), detail.get("col")
        if isinstance(line, int) and isinstance(col, int):
            lines = text.splitlines(keepends=True)
            return sum(len(part) for part in lines[: line - 1]) + max(col - 1, 0)
    return 0


def _check_node(node: exp.Expression, text: str, names: set[str], table: str) -> None:
    if node.comments:
        raise ExpressionError("comments are not allowed in expressions", text, _find(text, "--"))
    if isinstance(node, exp.Anonymous):
        _check_macro(node, text)
        return
    if not isinstance(node, _ALLOWED_NODES):
        snippet = _snippet(node)
        what = f"function {node.sql_name()}()" if isinstance(node, exp.Func) else snippet
        raise ExpressionError(f"{what} is not allowed", snippet, _find(text, snippet.split("(")[0]))
    if isinstance(node, exp.Column):
        _check_column(node, text, names, table)
    elif isinstance(node, exp.In) and node.args.get("query") is not None:
        raise ExpressionError("IN (subquery) is not allowed", _snippet(node), _find(text, "("))
    elif isinstance(node, exp.DataType) and node.this not in _ALLOWED_TYPES:
        snippet = node.sql("duckdb")
        raise ExpressionError(f"type {snippet} is not allowed", snippet, _find(text, snippet))
    elif isinstance(node, exp.Var) and not isinstance(node.parent, _VAR_PARENTS):
        raise ExpressionError(f"unknown name {node.name!r}", node.name, _find(text, node.name))


# A bare word (``DAY``, ``MONTH``) is only a date part inside these.
_VAR_PARENTS = (
    exp.Interval,
    exp.DateDiff,
    exp.DateAdd,
    exp.DateSub,
    exp.DateTrunc,
    exp.TimestampTrunc,
    exp.Extract,
)


def _check_macro(node: exp.Anonymous, text: str) -> None:
    name = str(node.this).lower()
    arity = ALLOWED_MACROS.get(name)
    if arity is None:
        raise ExpressionError(f"function {name}() is not allowed", name, _find(text, name))
    if len(node.expressions) != arity:
        raise ExpressionError(f"{name}() takes {arity} arguments", name, _find(text, name))


def _check_column(node: exp.Column, text: str, names: set[str], table: str) -> None:
    if node.args.get("db") or node.args.get("catalog"):
        raise ExpressionError(
            "qualified names are not allowed", node.sql(), _find(text, node.sql())
        )
    name = _column_name(node)
    if name not in names:
        hint = _closest(name, names)
        suffix = f"; did you mean {hint!r}?" if hint else ""
        raise ExpressionError(
            f"unknown column {name!r} for table {table}{suffix}", name, _find(text, node.name)
        )


def _column_name(node: exp.Column) -> str:
    return f"{node.table}.{node.name}" if node.table else node.name


def _closest(name: str, names: set[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.75)
    return matches[0] if matches else None


def _snippet(node: exp.Expression) -> str:
    try:
        return node.sql("duckdb")
    except Exception:  # rendering an exotic node must not hide the real error
        return type(node).__name__


def _find(text: str, needle: str) -> int:
    position = text.lower().find(needle.lower()) if needle else -1
    return max(position, 0)
