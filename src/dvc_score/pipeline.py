"""The pipeline in one place: source → adapter → counts → scores.

CLI commands and plugins call these functions; they hold no CLI concerns
(no printing, no exit codes) so the same path is used everywhere.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb

from dvc_score import registry
from dvc_score.adapters import screening
from dvc_score.adapters.base import Adapter, CountsInput, Dataset, ReadOptions
from dvc_score.adapters.typed_load import reject_unknown_units
from dvc_score.engine import calendar, duckdb_backend
from dvc_score.engine.periods import Period, parse_period
from dvc_score.engine.scorer import score_counts
from dvc_score.errors import DataError, UserError, redacted_first_line
from dvc_score.fileio import shown
from dvc_score.model.counts import Counts
from dvc_score.model.result import Result
from dvc_score.model.ruleset import Ruleset

DEFAULT_MEMORY_LIMIT = "4GB"
ENV_MEMORY_LIMIT = "DVC_SCORE_MEMORY_LIMIT"
ENV_TEMP_DIR = "DVC_SCORE_TEMP_DIR"
_MEMORY = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


def connect(
    memory_limit: str | None = None, threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB session with a memory limit (spills to disk beyond it).

    It spills into a private folder of its own, not DuckDB's default ``./.tmp``,
    which would land in the user's working directory (a repository, or a
    folder they cannot write).
    """
    limit = memory_limit or os.environ.get(ENV_MEMORY_LIMIT) or DEFAULT_MEMORY_LIMIT
    if not _MEMORY.match(limit.strip()):
        raise UserError(f"memory limit {limit!r}: expected a size such as 2GB or 512MB")
    spill = _private_temp_directory()
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{limit.strip()}'")
    con.execute("SET temp_directory = ?", [spill])
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


_temp_directories: list[str] = []


def _private_temp_directory() -> str:
    """A new folder (mode 0700) in ``DVC_SCORE_TEMP_DIR`` or the system's temp folder."""
    parent = os.environ.get(ENV_TEMP_DIR) or None
    try:
        path = tempfile.mkdtemp(
            prefix="dvc-score-", dir=os.path.abspath(parent) if parent else None
        )
    except OSError as error:
        where = f"{ENV_TEMP_DIR} {parent}" if parent else "the system temp folder"
        raise UserError(
            f"{where}: cannot create DuckDB's spill folder there ({error.strerror or error}); "
            f"set {ENV_TEMP_DIR} to a writable folder"
        ) from None
    _temp_directories.append(path)
    return path


def remove_temp_directories() -> None:
    """Remove every spill folder this process created; runs at exit.

    The CLI leaves through ``os._exit``, which skips ``atexit``, so it calls this itself.
    """
    while _temp_directories:
        shutil.rmtree(_temp_directories.pop(), ignore_errors=True)


atexit.register(remove_temp_directories)


def lock_down(con: duckdb.DuckDBPyConnection, data: Path | None) -> None:
    """After the adapter has read its input: no further file, network or extension access.

    Ruleset SQL runs after this, so even an expression that slipped past the
    whitelist could not read or write files, attach databases, install
    extensions or change these settings back. Only the input's own files stay
    readable (Parquet views read them lazily): listing them one by one, rather
    than allowing their folder, keeps DuckDB from creating files beside them.
    """
    if data is not None:
        files = _input_files(data)
        if len(files) <= MAX_ALLOWED_FILES:
            con.execute("SET allowed_paths = ?", [files])
        else:  # a huge folder: allow the folder rather than a list DuckDB checks linearly
            directory = data.resolve() if data.is_dir() else data.resolve().parent
            con.execute("SET allowed_directories = ?", [[str(directory)]])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


MAX_ALLOWED_FILES = 10_000


def _input_files(data: Path) -> list[str]:
    """The input's files, spelled both as given (made absolute) and with links resolved."""
    if data.is_dir():
        found = [Path(root) / name for root, _, names in os.walk(data) for name in names]
    else:
        found = [data]
    return sorted({str(p.absolute()) for p in found} | {str(p.resolve()) for p in found})


def pick_adapter(path: Path | None, name: str | None) -> Adapter:
    """The adapter named, or the first whose ``detect`` accepts ``path``."""
    adapters = registry.adapters()
    if name:
        if name not in adapters:
            raise UserError(
                f"--adapter {name!r}: unknown adapter; available: {', '.join(sorted(adapters))}"
            )
        return adapters[name]
    if path is None:
        return adapters["bundled"]
    try:
        exists = path.exists()
    except OSError as error:  # a name too long for the file system, say
        raise DataError(f"{shown(path)}: not a usable path ({error.strerror})") from None
    if not exists:
        raise DataError(f"{shown(path)}: no such file or folder")
    for adapter in adapters.values():
        try:
            if adapter.detect(path):
                return adapter
        except OSError:
            continue
    raise DataError(
        f"{path}: no adapter recognises this input; name one with --adapter "
        f"({', '.join(sorted(adapters))}; see `dvc-score adapters`)"
    )


def read_input(
    path: Path | None,
    adapter_name: str | None,
    options: ReadOptions,
    con: duckdb.DuckDBPyConnection,
) -> Dataset | CountsInput:
    adapter = pick_adapter(path, adapter_name)
    if adapter.produces == "dataset":
        calendar.warm_up()  # counting needs the holidays: computed while reading
        screening.warm_up()  # so does checking the keys, with numpy
    try:
        source = adapter.read(path or Path("."), con, options)
    except duckdb.Error as error:
        raise DataError(
            f"{path}: {adapter.name} adapter cannot read it ({redacted_first_line(error)})"
        ) from None
    if isinstance(source, Dataset) and not source.rejects.units_checked:
        # Rows of units the data does not define would silently vanish from every
        # count; whatever adapter read them, they are rejected with a reason.
        reject_unknown_units(con, source.rejects)
    lock_down(con, path)
    return source


def default_period(dataset: Dataset) -> Period:
    """Without --period: the calendar year of the latest reception in the data."""
    row = dataset.con.execute("SELECT max(received_at) FROM dossiers").fetchone()
    if not row or row[0] is None:
        raise DataError(f"{dataset.source}: no dossier has a reception date; give --period")
    return parse_period(str(row[0].year))


def count(dataset: Dataset, ruleset: Ruleset, periods: Sequence[Period]) -> list[Counts]:
    return duckdb_backend.count(dataset.con, ruleset, periods)


def check_counts_indicators(counts: Counts, ruleset: Ruleset, source: str) -> None:
    unknown = [i for i in counts.indicators if i not in ruleset.indicators]
    if unknown:
        raise DataError(
            f"{source}: indicator(s) {', '.join(unknown[:5])} are not in ruleset {ruleset.id} "
            f"(known: {', '.join(ruleset.indicators)})"
        )


def score(
    counts: Counts, ruleset: Ruleset, period: Period | None, source: str, fingerprint: str
) -> Result:
    units = score_counts(counts, ruleset, registry.scorers())
    return Result(
        ruleset_id=ruleset.id,
        ruleset_version=ruleset.version,
        ruleset_title=ruleset.title_vi,
        period=period.to_json()
        if period
        else {"id": counts.period_id or "", "start": "", "end": ""},
        units=units,
        data={"source": source, "fingerprint": fingerprint},
    )
