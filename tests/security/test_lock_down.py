"""Defence in depth: after the input is read, DuckDB itself can no longer escape.

Even raw SQL on the pipeline's connection (which no ruleset can issue) cannot
read other files, write anywhere, attach databases, install or load extensions,
or turn any of this back on. The connection also carries a memory limit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from dvc_score import pipeline
from dvc_score.adapters.base import Dataset, ReadOptions
from tests.properties.files import tiny_tables, write_folder


@pytest.fixture(params=["csv", "parquet"])
def locked(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    data = write_folder(tiny_tables(), tmp_path / "data", request.param, 1)
    (data / "notes.txt").write_text("not an input table", encoding="utf-8")
    (tmp_path / "secret.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    con = pipeline.connect()
    source = pipeline.read_input(data, None, ReadOptions(), con)
    assert isinstance(source, Dataset)
    yield con, data
    con.close()


def escapes(root: Path, data: Path) -> list[str]:
    outside = root / "stolen"
    return [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_blob('/etc/hostname')",
        "SELECT * FROM glob('/etc/*')",
        f"SELECT * FROM read_csv('{root / 'secret.csv'}')",
        f"SELECT * FROM read_csv('{data}/../secret.csv')",
        f"SELECT * FROM read_text('{data / 'notes.txt'}')",
        "SELECT * FROM read_parquet('https://example.com/x.parquet')",
        "SELECT * FROM read_csv('s3://bucket/x.csv')",
        f"COPY (SELECT 1) TO '{outside}.csv'",
        f"COPY (SELECT 1) TO '{data / 'new.csv'}'",
        f"COPY dossiers TO '{data / 'leak.csv'}' (HEADER)",
        f"EXPORT DATABASE '{outside}'",
        f"ATTACH '{outside}.db' AS stolen",
        "INSTALL httpfs",
        "LOAD httpfs",
        "FORCE INSTALL httpfs",
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET lock_configuration = false",
        "SET allowed_directories = ['/']",
        "SET allowed_paths = ['/etc/passwd']",
        "SET autoinstall_known_extensions = true",
        "SET memory_limit = '1TB'",
        "PRAGMA enable_profiling",
        f"SET profiling_output = '{outside}.json'",
        "SELECT getenv('HOME')",
    ]


def test_raw_sql_cannot_escape_after_lock_down(
    locked: tuple[duckdb.DuckDBPyConnection, Path], tmp_path: Path
) -> None:
    con, data = locked
    before = sorted(tmp_path.rglob("*"))
    for sql in escapes(tmp_path, data):
        with pytest.raises(duckdb.Error):
            con.execute(sql).fetchall()
    assert sorted(tmp_path.rglob("*")) == before, "a file was created"


def test_the_input_itself_stays_readable(locked: tuple[duckdb.DuckDBPyConnection, Path]) -> None:
    con, _ = locked
    row = con.execute("SELECT count(*) FROM dossiers").fetchone()
    assert row is not None and row[0] == len(tiny_tables()["dossiers"])


def test_external_access_is_off_and_locked(locked: tuple[duckdb.DuckDBPyConnection, Path]) -> None:
    con, data = locked
    settings = dict(
        con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access',"
            " 'lock_configuration', 'allowed_directories', 'allowed_paths')"
        ).fetchall()
    )
    assert settings["enable_external_access"] == "false"
    assert settings["lock_configuration"] == "true"
    # DuckDB keeps its own spill directory usable (docs/security.md: residual risks).
    temp = con.execute("SELECT current_setting('temp_directory')").fetchone()
    assert temp is not None
    spill = Path(str(temp[0])).resolve()
    directories = settings["allowed_directories"].strip("[]").split(", ")
    assert all(Path(d).resolve() == spill for d in directories if d)
    allowed = settings["allowed_paths"].strip("[]").split(", ")
    assert allowed and all(Path(p).resolve().parent == data.resolve() for p in allowed)
    row = con.execute("SELECT current_setting('enable_external_access')").fetchone()
    assert row == (False,)


def _reported(limit: str) -> str:
    probe = duckdb.connect()
    probe.execute(f"SET memory_limit = '{limit}'")
    row = probe.execute("SELECT current_setting('memory_limit')").fetchone()
    assert row is not None
    return str(row[0])


def test_the_connection_has_the_default_memory_limit() -> None:
    row = pipeline.connect().execute("SELECT current_setting('memory_limit')").fetchone()
    assert row is not None and row[0] == _reported(pipeline.DEFAULT_MEMORY_LIMIT)


def test_the_memory_limit_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pipeline.ENV_MEMORY_LIMIT, "512MB")
    row = pipeline.connect().execute("SELECT current_setting('memory_limit')").fetchone()
    assert row is not None and row[0] == _reported("512MB")


@pytest.mark.parametrize("limit", ["lots", "1GB'; INSTALL httpfs; --", "-1GB", ""])
def test_a_bad_memory_limit_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, limit: str) -> None:
    from dvc_score.errors import UserError

    monkeypatch.setenv(pipeline.ENV_MEMORY_LIMIT, limit)
    if not limit:  # empty means "not set": the default applies
        pipeline.connect()
        return
    with pytest.raises(UserError):
        pipeline.connect()


def _spill_folder(con: duckdb.DuckDBPyConnection) -> Path:
    row = con.execute("SELECT current_setting('temp_directory')").fetchone()
    assert row is not None
    return Path(str(row[0]))


def test_spilling_after_lock_down_uses_a_private_folder_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # DuckDB's default would be ./.tmp here
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv(pipeline.ENV_TEMP_DIR, str(scratch))
    con = pipeline.connect(memory_limit="32MB", threads=1)
    pipeline.lock_down(con, None)
    # 4 million rows of two BIGINTs (64 MB) and 2 million groups do not fit in 32 MB.
    con.execute("CREATE TABLE big AS SELECT i, hash(i) AS h FROM range(4_000_000) t(i)")
    groups = con.execute(
        "SELECT count(*), sum(n) FROM (SELECT count(*) AS n FROM big GROUP BY i // 2)"
    )
    assert groups.fetchone() == (2_000_000, 4_000_000)
    private = _spill_folder(con)
    assert private.parent == scratch and private.name.startswith("dvc-score-")
    spilled = con.execute("SELECT path, size FROM duckdb_temporary_files()").fetchall()
    assert spilled, "nothing was spilled: the test no longer exceeds the memory limit"
    assert all(Path(path).parent == private and size > 0 for path, size in spilled)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scratch"], "something left in cwd"
    con.close()


def test_each_connection_spills_into_its_own_folder() -> None:
    first, second = pipeline.connect(), pipeline.connect()
    assert _spill_folder(first) != _spill_folder(second)
    assert _spill_folder(first).is_dir() and _spill_folder(first).stat().st_mode & 0o077 == 0
    first.close()
    second.close()


def test_an_unusable_temp_dir_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dvc_score.errors import UserError

    monkeypatch.setenv(pipeline.ENV_TEMP_DIR, str(tmp_path / "missing"))
    with pytest.raises(UserError, match="DVC_SCORE_TEMP_DIR"):
        pipeline.connect()


CHILD = """
import sys
from pathlib import Path
from dvc_score import pipeline
pipeline.connect()
pipeline.connect()
print(len(list(Path(sys.argv[1]).iterdir())))
"""


@pytest.mark.parametrize(
    "leaving",
    [
        "",  # the interpreter's own exit runs atexit
        "from dvc_score.cli.main import _leave; _leave(0)",  # the CLI's os._exit skips atexit
    ],
    ids=["atexit", "cli"],
)
def test_spill_folders_are_removed_when_the_process_ends(tmp_path: Path, leaving: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD + leaving, str(tmp_path)],
        env={**os.environ, pipeline.ENV_TEMP_DIR: str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "2", "the spill folders were not created"
    assert list(tmp_path.iterdir()) == []
