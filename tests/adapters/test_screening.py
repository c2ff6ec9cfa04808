"""Screening may only say "clean" when the exact paths would find nothing.

load_table screens a table first (adapters/screening.py) and runs the exact
reject and duplicate paths only on a "maybe"; a clean column is read as it is
instead of being parsed. Whatever the cells, the model table and the rejects
must be exactly those of the exact paths, from a lazy view (Parquet) and from
a table (CSV) alike.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dvc_score.adapters import screening, typed_load
from dvc_score.adapters.base import REJECTS_TABLE, RejectLog
from dvc_score.model.schema import DOSSIERS

COLUMNS = (
    "dossier_id, unit_code, procedure_code, channel, rating, received_at, status,"
    " fee_due, supplement_requests, synced"
)


def load(rows: list[tuple[Any, ...]], *, lazy: bool) -> tuple[list[Any], list[Any]]:
    """(model rows, rejects) after load_table over ``rows``."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE raw (dossier_id VARCHAR, unit_code VARCHAR, procedure_code VARCHAR,"
        " channel VARCHAR, rating VARCHAR, received_at TIMESTAMPTZ, status INTEGER,"
        " fee_due VARCHAR, supplement_requests VARCHAR, synced VARCHAR,"  # text, as from CSV
        " __file VARCHAR, __row BIGINT)"
    )
    if rows:
        con.executemany(
            "INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'd.parquet', ?)",
            [(*row, index) for index, row in enumerate(rows, start=1)],
        )
    name = "raw"
    if lazy:  # as a Parquet source is: a view, parsed as it is read
        con.execute("CREATE VIEW raw_view AS SELECT * FROM raw")
        name = "raw_view"
    typed_load.load_table(con, name, DOSSIERS, RejectLog(con), "vi")
    model = con.execute(f"SELECT {COLUMNS}, __row FROM dossiers ORDER BY __row").fetchall()
    rejects = con.execute(
        f'SELECT row, "column", value, reason FROM {REJECTS_TABLE} ORDER BY row, "column"'
    ).fetchall()
    return model, rejects


def always_maybe(*_args: Any, **_kwargs: Any) -> screening.Screening:
    return screening.Screening(failing=True, repeated=True, unchanged=frozenset())


def exact(rows: list[tuple[Any, ...]]) -> tuple[list[Any], list[Any]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typed_load, "screen", always_maybe)
        return load(rows, lazy=False)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


IDS = st.sampled_from(["HS1", "HS2", " HS1", "HS1 ", nfd("HS-Đà"), "HS-Đà", "", "   ", None])
CODES = st.sampled_from(["P", " P", "P\u00a0", "", None])
CHANNELS = st.sampled_from(["online", "direct", "Trực tuyến", " online", "qua mạng", "fax", None])
RATINGS = st.sampled_from(["satisfied", "Hài lòng", "unsatisfied", "so-so", "", None])
STATUSES = st.sampled_from([1, 9, 10, 0, 42, None])
WHEN = st.sampled_from([None, "2026-08-03 01:00:00+00"])  # zoned: parsing converts it
# Read by a plain cast only where it gives what the rules give ("vi": 1.234 is 1234).
NUMBERS = st.sampled_from(
    ["0", "2", "1.5", "1.234", "1.234,5", " 5", "nan", "inf", "1e3", "", None]
)
WORDS = st.sampled_from(["true", "false", "1", "0", "x", "có", "yes", "on", " true", None])
ROWS = st.lists(
    st.tuples(IDS, CODES, CODES, CHANNELS, RATINGS, WHEN, STATUSES, NUMBERS, NUMBERS, WORDS),
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(rows=ROWS, numpy=st.booleans())
def test_screened_loads_equal_the_exact_paths(rows: list[tuple[Any, ...]], numpy: bool) -> None:
    expected = exact(rows)
    with pytest.MonkeyPatch.context() as patch:
        # Keys checked for repeats by numpy (big tables) or by DuckDB (small ones).
        patch.setattr(screening, "NUMPY_FROM_ROWS", 0 if numpy else 10**9)
        assert load(rows, lazy=True) == expected
        assert load(rows, lazy=False) == expected


CLEAN = ("HS1", "P", "1.1", "online", "satisfied", "2026-08-03 01:00:00+00", 9, "0", "1", "true")


@pytest.mark.parametrize(
    ("variant", "column"),
    [
        (" HS1", "dossier_id"),  # trimmed, it is HS1 again
        ("HS1\u00a0", "dossier_id"),  # a no-break space is trimmed too
    ],
)
def test_a_key_equal_only_once_parsed_is_a_duplicate(variant: str, column: str) -> None:
    model, rejects = load([CLEAN, (variant, *CLEAN[1:])], lazy=True)
    assert [row[-1] for row in model] == [1]
    assert [(row, col) for row, col, *_ in rejects] == [(2, column)]


@pytest.mark.parametrize("numpy", [True, False], ids=["numpy", "duckdb"])
@pytest.mark.parametrize("lazy", [True, False], ids=["view", "table"])
def test_a_key_written_twice_is_a_duplicate(numpy: bool, lazy: bool) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(screening, "NUMPY_FROM_ROWS", 0 if numpy else 10**9)
        model, rejects = load([CLEAN, ("HS2", *CLEAN[1:]), CLEAN], lazy=lazy)
    assert [row[-1] for row in model] == [1, 2]
    assert [(row, col) for row, col, *_ in rejects] == [(3, "dossier_id")]
    assert rejects[0][3].startswith(typed_load.DUPLICATE)


def test_a_decomposed_key_is_the_precomposed_one() -> None:
    first = ("HS-Đà", *CLEAN[1:])
    model, rejects = load([first, (nfd("HS-Đà"), *CLEAN[1:])], lazy=True)
    assert len(model) == 1 and rejects[0][3].startswith(typed_load.DUPLICATE)


def test_a_dirty_code_is_parsed_and_a_clean_one_read_as_it_is() -> None:
    model, rejects = load(
        [CLEAN, ("HS2", " P", "1.1", "Trực tuyến", None, CLEAN[5], 10, *CLEAN[7:])], lazy=True
    )
    assert rejects == []
    assert [(m[1], m[3]) for m in model] == [("P", "online"), ("P", "online")]


def test_an_empty_table_is_clean() -> None:
    assert load([], lazy=True) == ([], [])
