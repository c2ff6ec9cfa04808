"""dvc-score's own scores for the portal's counts, through the public CLI harness.

``dvc_score.api`` has no function that loads a ruleset and scores counts, so the
``run`` command is invoked in-process (``dvc_score.testing.run_cli``) with this
plugin's ``dvcqg-eval`` adapter and its JSON output is read back. Running in the
same process keeps the plugins and rulesets registered in it (a subprocess
would see a different set). See the README for the API this asks for.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from dvc_score.api import UserError
from dvc_score.testing import run_cli


def score_evaluation(
    eval_file: Path, ruleset: str, settings: list[str], period: str | None
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="dvc-score-") as folder:
        args = [
            "run", "--data", str(eval_file), "--adapter", "dvcqg-eval", "--ruleset", ruleset,
            "--format", "json", "--quiet", "--reject-file", str(Path(folder) / "rejects.csv"),
        ]  # fmt: skip
        for setting in settings:
            args += ["--option", setting]
        if period:
            args += ["--period", period]
        result = run_cli(args)
    if result.exit_code != 0:
        lines = (result.stderr or result.output).strip().splitlines()
        detail = lines[-1] if lines else f"exit code {result.exit_code}"
        raise UserError(f"scoring the portal's counts failed: {detail.removeprefix('error: ')}")
    document: dict[str, Any] = json.loads(result.stdout)
    return document
