"""A public test harness for dvc-score and its plugins.

Plugin authors test the same way the project does::

    from dvc_score.testing import run_cli

    def test_my_adapter_scores(tmp_path):
        result = run_cli(["run", "--data", str(sample), "--adapter", "mine", "--format", "json"])
        assert result.exit_code == 0
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from typer.testing import CliRunner, Result

from dvc_score.cli.main import build_app


def run_cli(args: Sequence[str], input: str | None = None) -> Result:
    """Invoke ``dvc-score ARGS`` in-process and return the Click result."""
    return CliRunner().invoke(build_app(), list(args), input=input)


def run_json(args: Sequence[str]) -> dict[str, Any]:
    """Invoke a command with ``--format json`` and return the parsed document."""
    result = run_cli([*args, "--format", "json"])
    if result.exit_code != 0:
        raise AssertionError(
            f"dvc-score {' '.join(args)} exited {result.exit_code}: {result.output}"
        )
    document: dict[str, Any] = json.loads(result.stdout)
    return document
