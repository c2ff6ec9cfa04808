"""Loading rulesets: inheritance, checks, and errors that point at file:line:col."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from dvc_score import registry
from dvc_score.errors import RulesetError
from dvc_score.rules.loader import load_ruleset


def load(path: Path):  # type: ignore[no-untyped-def]
    return load_ruleset(path, registry.find_parent, registry.scorers())


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


CHILD = """
[ruleset]
id = "child"
version = "1"
extends = "national2026"
"""


def test_national2026_has_every_indicator_of_the_domain_with_its_points() -> None:
    ruleset = registry.load("national2026")
    assert len(ruleset.indicators) == 21
    assert {g: ruleset.groups[g].points for g in ruleset.groups} == {
        "publicity": 18, "timeliness": 20, "online": 12, "payment": 10, "digitization": 22, "satisfaction": 18,
    }  # fmt: skip
    for group in ruleset.groups.values():
        assert sum(i.points for i in ruleset.indicators_of(group.id)) == group.points
    assert {i.provenance for i in ruleset.indicators.values()} == {"verified"}
    assert ruleset.indicators["online.online_dossiers"].params == {"target": Decimal("0.5")}


def test_national2023_extends_2026_and_states_its_assumptions() -> None:
    ruleset = registry.load("national2023")
    assert ruleset.extends == "national2026"
    assert "digitization.personal_store" not in ruleset.indicators
    digitization = ruleset.indicators_of("digitization")
    assert sum(i.points for i in digitization) == 22
    assert {i.provenance for i in ruleset.indicators.values()} <= {"assumed", "documented"}


def test_a_child_overrides_one_field_and_inherits_the_rest(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "child.toml",
        CHILD + '[indicators."timeliness.on_time"]\nprovenance = "documented"\n',
    )
    ruleset = load(path)
    on_time = ruleset.indicators["timeliness.on_time"]
    assert on_time.provenance == "documented"
    assert on_time.points == 20
    assert on_time.numerator.where == "handled_in_period AND on_time"


def test_a_child_can_redefine_a_derived_column(tmp_path: Path) -> None:
    text = CHILD + '[derived.dossiers]\nhandled_in_period = "finished_in_period"\n'
    ruleset = load(write(tmp_path, "child.toml", text))
    assert ruleset.derived["dossiers"]["handled_in_period"].expression == "finished_in_period"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("read_csv('/etc/passwd') IS NOT NULL", "function READ_CSV() is not allowed"),
        ("status IN (SELECT 1)", "IN (subquery) is not allowed"),
        ("statuss = 9", "unknown column 'statuss' for table dossiers; did you mean 'status'?"),
        ("getenv('HOME') = 'x'", "function getenv() is not allowed"),
        ("status = 9; DROP TABLE units", "exactly one expression is allowed"),
        ("status = 9 -- comment", "comments are not allowed"),
        ("status = ", "not a valid SQL expression"),
    ],
)
def test_an_unsafe_or_wrong_expression_is_refused_with_its_location(
    tmp_path: Path, expression: str, message: str
) -> None:
    text = CHILD + f'\n[indicators."timeliness.on_time"]\nnumerator = "{expression}"\n'
    path = write(tmp_path, "child.toml", text)
    with pytest.raises(RulesetError) as error:
        load(path)
    text_of = str(error.value)
    assert re.match(rf"^{re.escape(str(path))}:8:\d+: ", text_of), text_of
    assert message in text_of
    assert "allowed:" in text_of


def test_invalid_toml_reports_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.toml", '[ruleset]\nid = "x"\nversion = \n')
    with pytest.raises(RulesetError, match=rf"^{re.escape(str(path))}:3:\d+: invalid TOML"):
        load(path)


def test_an_unknown_key_names_the_allowed_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "child.toml", CHILD + '[indicators."timeliness.on_time"]\npoint = 3\n')
    with pytest.raises(RulesetError, match=r":7:1: unknown key 'point' .*allowed: points, "):
        load(path)


def test_extends_cycles_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", '[ruleset]\nid = "a"\nversion = "1"\nextends = "b.toml"\n')
    write(tmp_path, "b.toml", '[ruleset]\nid = "b"\nversion = "1"\nextends = "a.toml"\n')
    with pytest.raises(RulesetError, match="'extends' makes a cycle"):
        load(tmp_path / "a.toml")


def test_extends_cannot_leave_the_rulesets_directory(tmp_path: Path) -> None:
    (tmp_path / "inner").mkdir()
    write(tmp_path, "outside.toml", '[ruleset]\nid = "o"\nversion = "1"\n')
    path = write(
        tmp_path / "inner",
        "c.toml",
        '[ruleset]\nid = "c"\nversion = "1"\nextends = "../outside.toml"\n',
    )
    with pytest.raises(RulesetError, match=r":4:\d+: extends unknown ruleset '../outside.toml'"):
        load(path)


def test_a_derived_column_cycle_is_refused(tmp_path: Path) -> None:
    text = CHILD + '[derived.dossiers]\nx_one = "x_two"\nx_two = "x_one"\n'
    with pytest.raises(RulesetError, match="cycle: x_one, x_two"):
        load(write(tmp_path, "child.toml", text))


def test_indicator_points_may_not_exceed_their_group(tmp_path: Path) -> None:
    text = CHILD + '[indicators."timeliness.on_time"]\npoints = 25\n'
    with pytest.raises(RulesetError, match="carry 25 points, more than its 20"):
        load(write(tmp_path, "child.toml", text))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ('scoring = "banded"', "unknown scoring 'banded'; allowed: linear, target"),
        ('scoring = "target"', "scoring 'target' needs target"),
        ("target = 1.5", "target must be a ratio in (0, 1]"),
        ('empty = "skip"', "empty = 'skip' is not one of: zero, full, null"),
        ("points = -1", "points must be between 0 and 1000"),
        ('numerator = { table = "files", where = "TRUE" }', "numerator needs table = one of"),
        ('count = "names"', "count = 'names' is not 'rows' or a column of dossiers"),
    ],
)
def test_wrong_values_name_the_allowed_ones(tmp_path: Path, fields: str, message: str) -> None:
    text = CHILD + f'[indicators."timeliness.on_time"]\n{fields}\n'
    with pytest.raises(RulesetError) as error:
        load(write(tmp_path, "child.toml", text))
    assert message in str(error.value)
    assert str(error.value).startswith(str(tmp_path))
