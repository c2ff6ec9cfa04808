"""Benchmark dvc-score at national scale against a hand-written query and pandas.

    python benchmarks/run.py --dossiers 10000000 --repeat 3

generates (or reuses, under benchmarks/data/) a synthetic province with
``dvc-score synth``, then times, alternating, each in a fresh process:

- ``dvc-score run`` (full national2026 scoring, JSON out) and ``dvc-score count``
  on the Parquet folder, and both on the same data as CSV;
- the limit: benchmarks/handwritten.sql, one hand-written DuckDB query, over
  the Parquet and over the CSV files;
- what an analyst would write: benchmarks/pandas_impl.py.

Every contestant's counts are checked against ``dvc-score count``; any
difference stops the benchmark (exit 1). Wall time is the median of the runs
(with min and max); memory is each child's peak resident set (``wait4``).
Results go to stdout and to benchmarks/results/<date>-<dossiers>.json.

``python benchmarks/run.py handwritten --data DIR --period 2026 -o FILE`` runs
the hand-written query alone (the benchmark times it this way).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
HANDWRITTEN = HERE / "handwritten.sql"
PANDAS = HERE / "pandas_impl.py"
MEMORY_LIMIT = "4GB"  # dvc-score's default (pipeline.DEFAULT_MEMORY_LIMIT), for a fair limit

Counts = dict[tuple[str, str], tuple[int, int]]


class Mismatch(Exception):
    """Two implementations disagree on some count."""


# ----------------------------------------------------------------- processes


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    load: float  # 1-minute load average when the run ended
    # User + system CPU time: what the work costs whatever else the machine
    # is doing (wall time grows with other processes' load, this much less).
    cpu_seconds: float = 0.0


def measure(command: Sequence[str | Path]) -> Run:
    """Run ``command`` in a fresh process; wall time and that process's peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen([str(c) for c in command])
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed (exit {process.returncode}): {' '.join(map(str, command))}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, usage.ru_maxrss / 1024, os.getloadavg()[0], cpu)


def dvc_score() -> list[str]:
    """The installed ``dvc-score`` beside this Python, else the module."""
    script = Path(sys.executable).parent / "dvc-score"
    return [str(script)] if script.exists() else [sys.executable, "-m", "dvc_score.cli.main"]


# ----------------------------------------------------------------- data


def dataset(root: Path, dossiers: int, seed: int, fmt: str) -> tuple[Path, Run | None]:
    """The synthetic province as ``fmt`` files, generated unless already there.

    Returns the folder and the generation run (None when reused).
    """
    folder = root / f"n{dossiers}-seed{seed}" / fmt
    marker = folder / ".complete"
    if marker.exists():
        return folder, None
    command = [*dvc_score(), "synth", "--dossiers", str(dossiers), "--seed", str(seed)]
    run = measure([*command, "--format", fmt, "--out", str(folder)])
    marker.write_text(json.dumps(asdict(run)))
    return folder, run


# ----------------------------------------------------------------- counts


def read_counts(path: Path) -> Counts:
    """``unit_code, indicator, numerator, denominator`` (extra columns ignored)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            (row["unit_code"], row["indicator"]): (
                int(row["numerator"] or 0),
                int(row["denominator"] or 0),
            )
            for row in csv.DictReader(handle)
        }


def write_counts(rows: Sequence[tuple[str, str, int, int]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit_code", "indicator", "numerator", "denominator"])
        writer.writerows(rows)


def compare(expected: Counts, actual: Counts, label: str) -> None:
    """Raise Mismatch naming the first differences; a missing count is a difference."""
    keys = sorted(set(expected) | set(actual))
    wrong = [(k, expected.get(k), actual.get(k)) for k in keys if expected.get(k) != actual.get(k)]
    if wrong:
        shown = "; ".join(f"{u} {i}: dvc-score {e}, {label} {a}" for (u, i), e, a in wrong[:8])
        raise Mismatch(f"{label}: {len(wrong)} of {len(keys)} counts differ: {shown}")


def period_bounds(period: str) -> tuple[str, str]:
    from dvc_score.engine.periods import parse_period

    parsed = parse_period(period)
    return parsed.start_at.isoformat(sep=" "), parsed.end_at.isoformat(sep=" ")


def handwritten_sql(data: Path, period: str) -> str:
    start, end = period_bounds(period)
    fmt = "parquet" if (data / "dossiers.parquet").exists() else "csv"
    folder = str(data.resolve()).replace("'", "''")
    return Template(HANDWRITTEN.read_text(encoding="utf-8")).substitute(
        DATA=folder, EXT=fmt, START=start, END=end
    )


def handwritten(data: Path, period: str) -> list[tuple[str, str, int, int]]:
    """Run benchmarks/handwritten.sql over ``data`` in a fresh DuckDB session."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{os.environ.get('DVC_SCORE_MEMORY_LIMIT', MEMORY_LIMIT)}'")
    rows = con.execute(handwritten_sql(data, period)).fetchall()
    return [(str(u), str(i), int(n), int(d)) for u, i, n, d in rows]


def dvc_count(data: Path, period: str, output: Path) -> Counts:
    """Counts from the real CLI, ``dvc-score count``."""
    run = [*dvc_score(), "count", "--data", str(data), "--period", period, "-o", str(output)]
    subprocess.run([*run, "--quiet"], check=True)
    return read_counts(output)


def pandas_counts(data: Path, period: str) -> Counts:
    """Counts from benchmarks/pandas_impl.py, in this process (needs the bench extra)."""
    sys.path.insert(0, str(HERE))
    try:
        import pandas_impl
    finally:
        sys.path.remove(str(HERE))
    frame = pandas_impl.counts(data, pandas_impl.parse_period(period))
    return {
        (str(u), str(i)): (int(n), int(d))
        for u, i, n, d in frame[["unit_code", "indicator", "numerator", "denominator"]].itertuples(
            index=False
        )
    }


# ----------------------------------------------------------------- contestants


@dataclass
class Contestant:
    name: str
    data: Path
    command: list[str]
    output: Path  # counts CSV to check, or the JSON result
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> list[float]:
        return [r.seconds for r in self.runs]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.max_rss_mb for r in self.runs)


def contestants(
    parquet: Path, csv_data: Path | None, pandas_data: Path | None, period: str, out: Path
) -> list[Contestant]:
    """The timed commands, each writing its counts (or result) under ``out``."""
    dvc = dvc_score()
    me = [sys.executable, str(Path(__file__).resolve()), "handwritten"]
    pandas = [sys.executable, str(PANDAS)]

    def make(name: str, data: Path, command: list[str], file: str) -> Contestant:
        tail = ["--data", str(data), "--period", period, "-o", str(out / file)]
        return Contestant(name, data, [*command, *tail], out / file)

    run_json = [*dvc, "run", "--quiet", "--format", "json"]
    count = [*dvc, "count", "--quiet"]
    chosen = [
        make("dvc-score run", parquet, run_json, "run.json"),
        make("dvc-score count", parquet, count, "count.csv"),
        make("hand-written SQL", parquet, me, "handwritten.csv"),
    ]
    if csv_data is not None:
        chosen.append(make("dvc-score run (CSV)", csv_data, run_json, "run-csv.json"))
        chosen.append(make("dvc-score count (CSV)", csv_data, count, "count-csv.csv"))
        # The limit again, over the CSV: what reading text costs any DuckDB query.
        chosen.append(make("hand-written SQL (CSV)", csv_data, me, "handwritten-csv.csv"))
    if pandas_data is not None:
        if pandas_data != parquet:
            chosen.append(make("dvc-score run (pandas size)", pandas_data, run_json, "run-p.json"))
        chosen.append(make("pandas", pandas_data, pandas, "pandas.csv"))
    return chosen


def check(chosen: list[Contestant], period: str, out: Path) -> None:
    """Every output's counts equal ``dvc-score count`` on the same data in Parquet."""
    reference: dict[Path, Counts] = {
        c.data: read_counts(c.output) for c in chosen if c.name == "dvc-score count"
    }
    for contestant in chosen:
        base = contestant.data.parent / "parquet"
        if base not in reference:
            reference[base] = dvc_count(base, period, out / f"reference-{len(reference)}.csv")
        if contestant.output.suffix == ".json":
            found = result_counts(contestant.output)
        else:
            found = read_counts(contestant.output)
        compare(reference[base], found, contestant.name)
        print(f"  ✓ {contestant.name}: {len(found)} counts equal dvc-score count's")


def result_counts(path: Path) -> Counts:
    """The numerators and denominators inside a ``dvc-score run --format json`` result."""
    document = json.loads(path.read_text(encoding="utf-8"))
    results = document if isinstance(document, list) else [document]
    return {
        (unit["unit_code"], indicator_id): (
            int(indicator["numerator"] or 0),
            int(indicator["denominator"] or 0),
        )
        for result in results
        for unit in result["units"]
        for indicator_id, indicator in unit["indicators"].items()
    }


# ----------------------------------------------------------------- report


def machine() -> dict[str, object]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import duckdb

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
    ).stdout.strip()
    return {
        "date": datetime.now().isoformat(timespec="seconds"),
        "commit": commit or "unknown",
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
    }


def report(chosen: list[Contestant], info: dict[str, object], dossiers: int) -> dict[str, object]:
    print()
    where = f"{info['cpu']} · {info['cores']} cores · {info['memory_gb']} GB"
    print(f"{dossiers:,} dossiers · {info['date']} · commit {info['commit']} · {where}")
    print(f"{'':28} {'median s':>9} {'min':>7} {'max':>7} {'CPU s':>7} {'peak MB':>8}  {'load':>9}")
    for c in chosen:
        loads = [r.load for r in c.runs]
        print(
            f"{c.name:28} {c.median:9.2f} {min(c.seconds):7.2f} {max(c.seconds):7.2f}"
            f" {c.cpu_median:7.2f} {c.peak_mb:8.0f}  {min(loads):4.1f}-{max(loads):<4.1f}"
        )
    by_name = {c.name: c for c in chosen}
    ratios = {}
    pairs = [
        ("dvc-score run / hand-written", "dvc-score run", "hand-written SQL"),
        ("dvc-score count / hand-written", "dvc-score count", "hand-written SQL"),
        ("dvc-score run CSV / Parquet", "dvc-score run (CSV)", "dvc-score run"),
        ("hand-written CSV / Parquet", "hand-written SQL (CSV)", "hand-written SQL"),
        ("dvc-score run (CSV) / hand-written", "dvc-score run (CSV)", "hand-written SQL (CSV)"),
        ("pandas / dvc-score run", "pandas", "dvc-score run (pandas size)"),
    ]
    for label, top, bottom in pairs:
        if bottom == "dvc-score run (pandas size)" and bottom not in by_name:
            bottom = "dvc-score run"
        if top in by_name and bottom in by_name:
            ratios[label] = by_name[top].median / by_name[bottom].median
            print(f"{label:34} {ratios[label]:5.2f}x")
    if "dvc-score run" in by_name and "hand-written SQL" in by_name:
        # The same comparison in CPU time: less at the mercy of other processes.
        label = "dvc-score run / hand-written, CPU"
        ratios[label] = by_name["dvc-score run"].cpu_median / by_name["hand-written SQL"].cpu_median
        print(f"{label:34} {ratios[label]:5.2f}x")
    for line in verdicts(by_name, ratios):
        print(line)
    return {
        "machine": info,
        "dossiers": dossiers,
        "contestants": [
            {"name": c.name, "data": str(c.data), "runs": [asdict(r) for r in c.runs]}
            for c in chosen
        ],
        "ratios": ratios,
    }


def verdicts(by_name: dict[str, Contestant], ratios: dict[str, float]) -> list[str]:
    """The issue's targets (docs/performance.md), met or missed, for what was measured."""
    checks = []
    if "dvc-score run / hand-written" in ratios:
        checks.append(("run ≤ 1.5x hand-written", ratios["dvc-score run / hand-written"] <= 1.5))
    if "dvc-score run" in by_name:
        checks.append(("run peak memory < 2 GB", by_name["dvc-score run"].peak_mb < 2048))
    if "dvc-score run CSV / Parquet" in ratios:
        checks.append(("CSV ≤ 3x Parquet", ratios["dvc-score run CSV / Parquet"] <= 3))
    return [f"target {name:28} {'met' if ok else 'MISSED'}" for name, ok in checks]


# ----------------------------------------------------------------- main


def compile_bytecode() -> None:
    """Compile dvc_score's modules once, as ``pip install`` does for a user.

    An editable install, or PYTHONDONTWRITEBYTECODE=1 (set on some machines),
    would otherwise make every timed run compile ~100 modules: 0.2 s that no
    user pays. The timed processes are run without that variable.
    """
    import compileall

    import dvc_score

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    for folder in dvc_score.__path__:
        compileall.compile_dir(folder, quiet=1)


def benchmark(args: argparse.Namespace) -> int:
    root = args.data_root
    print(f"data under {root} (load average {os.getloadavg()[0]:.1f})")
    made: dict[str, Run | None] = {}
    parquet, made["parquet"] = dataset(root, args.dossiers, args.seed, "parquet")
    csv_data = None
    if args.csv:
        csv_data, made["csv"] = dataset(root, args.dossiers, args.seed, "csv")
    pandas_data = None
    if args.pandas_dossiers:
        pandas_data, made["pandas"] = dataset(root, args.pandas_dossiers, args.seed, "parquet")
    for fmt, run in made.items():
        if run:
            print(f"  synth {fmt}: {run.seconds:.1f} s, peak {run.max_rss_mb:.0f} MB")
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="dvc-bench-") as scratch:
        chosen = contestants(parquet, csv_data, pandas_data, args.period, Path(scratch))
        for round_ in range(1, args.repeat + 1):
            for contestant in chosen:
                contestant.runs.append(measure(contestant.command))
                last = contestant.runs[-1]
                shown = f"{last.seconds:7.2f} s {last.max_rss_mb:7.0f} MB  load {last.load:.1f}"
                print(f"  round {round_}: {contestant.name:28} {shown}", flush=True)
            if round_ == 1:
                try:
                    check(chosen, args.period, Path(scratch))
                except Mismatch as error:
                    print(f"MISMATCH: {error}", file=sys.stderr)
                    return 1
    results = report(chosen, machine(), args.dossiers)
    results["synth"] = {fmt: asdict(run) for fmt, run in made.items() if run}
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = args.results / f"{stamp}-n{args.dossiers}.json"
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"results: {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["handwritten"]:
        parser = argparse.ArgumentParser(prog="run.py handwritten")
        parser.add_argument("--data", type=Path, required=True)
        parser.add_argument("--period", default="2026")
        parser.add_argument("-o", "--output", type=Path, required=True)
        args = parser.parse_args(argv[1:])
        write_counts(handwritten(args.data, args.period), args.output)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=766)
    parser.add_argument("--period", default="2026")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--pandas-dossiers",
        type=int,
        help="size of the pandas run (default: --dossiers; 0 skips pandas)",
    )
    parser.add_argument("--no-csv", dest="csv", action="store_false", help="skip the CSV runs")
    parser.add_argument("--data-root", type=Path, default=DATA, help=argparse.SUPPRESS)
    parser.add_argument("--results", type=Path, default=RESULTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.pandas_dossiers is None:
        args.pandas_dossiers = args.dossiers
    return benchmark(args)


if __name__ == "__main__":
    raise SystemExit(main())
