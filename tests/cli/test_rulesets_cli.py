"""`dvc-score rulesets list | show | validate | new`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from dvc_score.testing import run_cli


def test_list_names_both_national_rulesets() -> None:
    result = run_cli(["rulesets", "list"])
    assert result.exit_code == 0
    assert "national2026" in result.stdout and "national2023" in result.stdout
    assert "assumed" in result.stdout and "verified" in result.stdout


def test_show_lists_indicators_with_their_filters() -> None:
    result = run_cli(["rulesets", "show", "national2026"])
    assert result.exit_code == 0
    assert "timeliness.on_time" in result.stdout
    assert "handled_in_period AND on_time" in result.stdout


def test_show_resolved_prints_toml_after_inheritance() -> None:
    result = run_cli(["rulesets", "show", "national2023", "--resolved"])
    assert result.exit_code == 0
    data = tomllib.loads(result.stdout)
    assert data["ruleset"]["id"] == "national2023"
    assert "extends" not in data["ruleset"]
    assert data["indicators"]["digitization.e_result"]["points"] == 10
    assert "digitization.personal_store" not in data["indicators"]
    assert data["indicators"]["timeliness.on_time"]["numerator"] == "handled_in_period AND on_time"


def test_new_writes_a_variant_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "tinh2026.toml"
    result = run_cli(
        ["rulesets", "new", "tinh2026", "--extends", "national2026", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert 'extends = "national2026"' in target.read_text(encoding="utf-8")
    validated = run_cli(["rulesets", "validate", str(target)])
    assert validated.exit_code == 0
    assert "ok — tinh2026" in validated.stdout
    again = run_cli(["rulesets", "new", "tinh2026", "--output", str(target)])
    assert again.exit_code == 2


def test_validate_reports_an_unsafe_expression_with_location(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[ruleset]\nid = "bad"\nversion = "1"\nextends = "national2026"\n\n'
        '[indicators."timeliness.on_time"]\nnumerator = "read_csv(\'/etc/passwd\') IS NULL"\n',
        encoding="utf-8",
    )
    result = run_cli(["rulesets", "validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:7:14: function READ_CSV() is not allowed" in result.stderr
    assert "Traceback" not in result.output


def test_run_with_a_ruleset_file(tmp_path: Path) -> None:
    variant = tmp_path / "v.toml"
    variant.write_text(
        '[ruleset]\nid = "v"\nversion = "1"\nextends = "national2026"\n\n'
        '[derived.dossiers]\nhandled_in_period = "COALESCE(finished_in_period, FALSE)"\n',
        encoding="utf-8",
    )
    result = run_cli(
        [
            "run",
            "--ruleset",
            str(variant),
            "--option",
            "dossiers=5000",
            "--period",
            "2026-08",
            "--format",
            "json",
        ]
    )
    assert result.exit_code == 0, result.output
    assert '"id": "v"' in result.stdout


def test_unknown_ruleset_lists_the_registered_ones() -> None:
    result = run_cli(["run", "--ruleset", "national2099"])
    assert result.exit_code == 2
    assert "unknown ruleset 'national2099'; registered: national2023, national2026" in result.stderr
