"""``extends`` names a registered ruleset or a file beside the extending one, nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import tomli_w

from dvc_score import registry
from dvc_score.errors import RulesetError
from dvc_score.testing import run_cli

PARENT = {
    "ruleset": {"id": "parent", "version": "1"},
    "groups": {"timeliness": {"points": 20}},
    "indicators": {
        "timeliness.on_time": {
            "points": 20,
            "table": "dossiers",
            "numerator": "status = 9",
            "denominator": "TRUE",
        }
    },
}


def write(path: Path, data: dict[str, object]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def child(folder: Path, extends: str) -> Path:
    return write(
        folder / "child.toml", {"ruleset": {"id": "child", "version": "1", "extends": extends}}
    )


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    write(folder / "parent.toml", PARENT)
    write(tmp_path / "outside.toml", PARENT)
    write(folder / "sub" / "nested.toml", PARENT)
    return folder


def test_a_registered_id_and_a_file_beside_it_are_allowed(rules: Path) -> None:
    assert registry.load(str(child(rules, "national2026"))).extends == "national2026"
    assert registry.load(str(child(rules, "parent.toml"))).indicators
    assert registry.load(str(child(rules, "./parent.toml"))).indicators


def test_a_link_beside_it_to_a_file_beside_it_is_allowed(rules: Path) -> None:
    os.symlink(rules / "parent.toml", rules / "alias.toml")
    assert registry.load(str(child(rules, "alias.toml"))).indicators


@pytest.mark.parametrize(
    "reference",
    [
        "../outside.toml",
        "sub/nested.toml",
        "sub/../../outside.toml",
        "{outside}",
        "/etc/passwd",
        "/etc/passwd.toml",
        "~/.bashrc.toml",
        "file:///etc/passwd.toml",
        "https://example.com/evil.toml",
        "parent",
        "parent.toml\x00",
        "a" * 5000 + ".toml",
        "",
    ],
)
def test_anything_else_is_refused_in_one_line(rules: Path, reference: str) -> None:
    reference = reference.replace("{outside}", str(rules.parent / "outside.toml"))
    path = child(rules, reference)
    result = run_cli(["rulesets", "validate", str(path)])
    if reference == "":  # an empty extends means "extends nothing": the child has no groups
        assert result.exit_code == 2
        return
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {path}:") and "extends" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_link_beside_it_that_leaves_the_folder_is_refused(rules: Path) -> None:
    os.symlink(rules.parent / "outside.toml", rules / "escape.toml")
    with pytest.raises(RulesetError, match="extends unknown ruleset"):
        registry.load(str(child(rules, "escape.toml")))


def test_a_folder_named_like_a_ruleset_is_refused(rules: Path) -> None:
    (rules / "folder.toml").mkdir()
    with pytest.raises(RulesetError, match="extends unknown ruleset"):
        registry.load(str(child(rules, "folder.toml")))


def test_the_parent_must_itself_stay_confined(rules: Path) -> None:
    """A file beside the child that extends ../ is refused in turn."""
    write(
        rules / "middle.toml",
        {"ruleset": {"id": "m", "version": "1", "extends": "../outside.toml"}},
    )
    with pytest.raises(RulesetError, match=r"middle\.toml"):
        registry.load(str(child(rules, "middle.toml")))
