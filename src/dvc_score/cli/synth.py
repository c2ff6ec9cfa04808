"""``dvc-score synth``: write a deterministic synthetic province as Parquet or CSV files.

The files are what the normalized adapter reads (``units``, ``procedures``,
``dossiers``, ``petitions``), so ``dvc-score run --data DIR`` scores them. They
are for demos, tests and benchmarks: the same seed gives byte-identical files.

Large provinces are generated in a temporary DuckDB database file beside the
output (compressed, within the memory limit) rather than in memory, so fifty
million dossiers fit on a machine with a few gigabytes free. Files are written
to a temporary folder first and moved into place at the end: an interrupted
run leaves no half-written table behind.
"""

from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from dvc_score import pipeline
from dvc_score.adapters import synth as generator
from dvc_score.cli import common
from dvc_score.cli.app import stderr
from dvc_score.cli.progress import Progress
from dvc_score.errors import UserError

# Above this many dossiers the tables are built in a database file, not in memory.
IN_MEMORY_MAX = 1_000_000


class SynthFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"


def register(app: typer.Typer) -> None:
    app.command("synth")(synth)


def synth(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write the four table files into.")
    ],
    dossiers: Annotated[
        int, typer.Option("--dossiers", "-n", min=0, help="Number of dossiers.")
    ] = generator.DEFAULT_DOSSIERS,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; the same seed gives the same files.")
    ] = generator.DEFAULT_SEED,
    format: Annotated[
        SynthFormat, typer.Option("--format", "-f", help="File format.")
    ] = SynthFormat.parquet,
    year: Annotated[int, typer.Option("--year", help="The year the dossiers fall in.")] = 2026,
    quiet: common.QuietOpt = False,
) -> None:
    """Write a synthetic province as files, for demos and benchmarks.

    Four files in --out: units, procedures, dossiers and petitions. The same seed
    gives the same bytes; `dvc-score run --data DIR` scores them.
    """
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    progress = Progress(quiet)
    with tempfile.TemporaryDirectory(dir=out, prefix=".synth-") as scratch:
        staging = Path(scratch) / "files"
        con = _connect(Path(scratch), dossiers)
        try:
            with progress.step("generating"):
                _generate(con, dossiers, seed, year)
            with progress.step("writing"):
                written = generator.write(con, staging, fmt=format.value)
            rows = {path: _rows(con, path.stem) for path in written}
        finally:
            con.close()
        final = [_move(path, out) for path in written]
    if not quiet:
        _summary(out, final, [rows[p] for p in written], progress)


def _connect(scratch: Path, dossiers: int) -> duckdb.DuckDBPyConnection:
    """In memory for small provinces; a scratch database file (spilling) for large ones."""
    con = pipeline.connect()
    if dossiers <= IN_MEMORY_MAX:
        return con
    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()
    con.close()
    disk = duckdb.connect(str(scratch / "synth.duckdb"))
    disk.execute(f"SET memory_limit = '{limit[0] if limit else pipeline.DEFAULT_MEMORY_LIMIT}'")
    disk.execute("SET temp_directory = ?", [str(scratch / "spill")])
    return disk


def _generate(con: duckdb.DuckDBPyConnection, dossiers: int, seed: int, year: int) -> None:
    try:
        generator.generate(con, dossiers=dossiers, seed=seed, year=year)
    except ValueError as error:
        raise UserError(f"synth: {error}") from None


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _move(path: Path, out: Path) -> Path:
    target = out / path.name
    os.replace(path, target)  # the scratch folder is inside ``out``: same file system
    return target


def _summary(out: Path, paths: list[Path], rows: list[int], progress: Progress) -> None:
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in progress.timings.items())
    stderr.print(
        f"wrote {len(paths)} files, {sum(rows):,} rows, to {out} in {progress.total:.1f} s"
        f" ({steps})",
        markup=False,
    )
    width = max(len(p.name) for p in paths)
    for path, count in zip(paths, rows, strict=True):
        stderr.print(
            f"  {path.name:<{width}}  {count:>12,} rows  {_size(path.stat().st_size):>9}",
            markup=False,
        )


def _size(size: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"
