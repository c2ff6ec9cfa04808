"""Properties of the command line: file layout never matters; count + score = run."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from dvc_score.model.ruleset import Ruleset
from dvc_score.testing import run_cli

from .files import write_folder
from .harness import budget
from .strategies import Row, datasets, national, ruleset_toml, rulesets

any_ruleset = st.one_of(st.builds(national), rulesets())


def cli(*args: str) -> str:
    result = run_cli(list(args))
    assert result.exit_code == 0, f"dvc-score {' '.join(args)}: {result.output}"
    return result.stdout


def ruleset_file(ruleset: Ruleset, folder: Path) -> str:
    if ruleset == national():
        return "national2026"
    path = folder / "generated.toml"
    path.write_text(ruleset_toml(ruleset), encoding="utf-8")
    return str(path)


@budget(2)
@given(tables=datasets(), ruleset=any_ruleset)
def test_splitting_tables_into_part_files_never_changes_counts(
    tables: dict[str, list[Row]], ruleset: Ruleset
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        rules = ruleset_file(ruleset, root)
        outputs = {}
        for fmt, parts in (("csv", 1), ("csv", 3), ("parquet", 3)):
            folder = write_folder(tables, root / f"{fmt}{parts}", fmt, parts)
            outputs[(fmt, parts)] = cli(
                "count", "--data", str(folder), "--period", "2026-08", "--ruleset", rules,
                "--reject-file", str(root / f"rejects-{fmt}{parts}.csv"), "--quiet",
            )  # fmt: skip
        assert outputs[("csv", 3)] == outputs[("csv", 1)]
        assert outputs[("parquet", 3)] == outputs[("csv", 1)]


@budget(2)
@given(tables=datasets(), ruleset=any_ruleset)
def test_scoring_counted_counts_equals_running_directly(
    tables: dict[str, list[Row]], ruleset: Ruleset
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        rules = ruleset_file(ruleset, root)
        folder = write_folder(tables, root / "data", "csv", 1)
        common = ["--ruleset", rules, "--reject-file", str(root / "rejects.csv"), "--quiet"]
        counts = root / "counts.csv"
        cli("count", "--data", str(folder), "--period", "2026-08", "--output", str(counts), *common)
        scored = json.loads(
            cli(
                "score", "--counts", str(counts), "--period", "2026-08", "--format", "json", *common
            )
        )
        run = json.loads(
            cli("run", "--data", str(folder), "--period", "2026-08", "--format", "json", *common)
        )
        assert scored["units"] == run["units"]
        assert scored["ruleset"] == run["ruleset"] and scored["period"] == run["period"]
