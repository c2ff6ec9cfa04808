"""The root ``dvc-score`` command: options that come before any command."""

from __future__ import annotations

from importlib import metadata

from dvc_score import __version__
from dvc_score.testing import run_cli


def test_version_prints_the_tool_version_and_exits_0() -> None:
    result = run_cli(["--version"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"dvc-score {__version__}\n"


def test_version_wins_over_a_command() -> None:
    result = run_cli(["--version", "rulesets", "list"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"dvc-score {__version__}\n"


def test_the_version_shown_is_the_installed_distributions() -> None:
    # --version and result documents show dvc_score.__version__; pyproject.toml must agree.
    assert metadata.version("dvc-score") == __version__, (
        "pyproject.toml and dvc_score.__version__ differ (or reinstall: pip install -e .)"
    )
