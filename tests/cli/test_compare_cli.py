"""``dvc-score compare``: exit codes, streams and exact output through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from dvc_score.cli.app import make_app
from dvc_score.cli.compare import register

runner = CliRunner()

# unit code -> name, level, on-time dossiers of 100, paid-online dossiers of 50
UNITS = {
    "H44": ("UBND tỉnh Phú Thọ", "province", 90, 40),
    "H44.10": ("Sở Tư pháp", "department", 95, 30),
    "H44.100": ("UBND xã Hùng Lô", "commune", 80, 25),
    "H44.101": ("UBND xã Kim Đức", "commune", 70, 10),
}


def _indicator(numerator: int, denominator: int, points: float) -> dict[str, Any]:
    ratio = round(numerator / denominator, 6)
    score = round(points * ratio, 2)
    return {"numerator": numerator, "denominator": denominator, "ratio": ratio, "score": score}


def _unit(code: str, on_time: int, paid: int) -> dict[str, Any]:
    name, level, _, _ = UNITS[code]
    timeliness = _indicator(on_time, 100, 20.0)
    payment = _indicator(paid, 50, 6.0)
    return {
        "unit_code": code, "unit_name": name, "level": level,
        "parent_code": None if level == "province" else "H44",
        "total": round(timeliness["score"] + payment["score"], 2), "class": "yeu",
        "groups": {"timeliness": {"score": timeliness["score"]},
                   "payment": {"score": payment["score"]}},
        "indicators": {"timeliness.on_time": timeliness,
                       "payment.dossiers_paid_online": payment},
    }  # fmt: skip


def make_doc(
    period: str = "2026-07",
    on_time: dict[str, int] | None = None,
    paid: dict[str, int] | None = None,
    codes: tuple[str, ...] = tuple(UNITS),
    ruleset: str = "national2026",
) -> dict[str, Any]:
    """A result document; ``on_time`` / ``paid`` override a unit's counts."""
    on_time, paid = on_time or {}, paid or {}
    units = [
        _unit(code, on_time.get(code, UNITS[code][2]), paid.get(code, UNITS[code][3]))
        for code in codes
    ]
    return {
        "report_version": 1,
        "ruleset": {"id": ruleset, "version": "2026.1"},
        "period": {"id": period, "start": f"{period}-01", "end": f"{period}-28"},
        "units": units,
    }


def app() -> typer.Typer:
    application = make_app()
    register(application)

    @application.command("noop")
    def noop() -> None:
        """A second command, so that typer builds a group with the error boundary."""

    return application


def write(tmp_path: Path, name: str, document: Any) -> str:
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return str(path)


def invoke(*args: str) -> Result:
    """Run ``dvc-score compare ARGS`` at 100 columns; any exit must be clean, never a traceback."""
    result = runner.invoke(app(), ["compare", *args], env={"COLUMNS": "100"})
    # CliRunner reports an escaped exception as exit code 1; only SystemExit is a clean exit.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def pair(tmp_path: Path, base: dict[str, Any], head: dict[str, Any]) -> tuple[str, str]:
    return write(tmp_path, "base.json", base), write(tmp_path, "head.json", head)


def test_self_compare_is_no_change_and_exit_0(tmp_path: Path) -> None:
    path = write(tmp_path, "r.json", make_doc())
    result = invoke(path, path, "--fail-on", "total:0", "--fail-on", "group.timeliness:0%")
    assert result.exit_code == 0
    assert result.stdout == "No change: 4 units compared, every value identical.\n"
    assert result.stderr == ""


def test_self_compare_json_has_no_failures(tmp_path: Path) -> None:
    path = write(tmp_path, "r.json", make_doc())
    result = invoke(path, path, "--format", "json", "--fail-on", "total:0")
    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert (document["warnings"], document["failures"], document["only_in_base"]) == ([], [], [])
    assert not any(unit["changed"] for unit in document["units"])


def test_absolute_threshold_failure_exits_1_and_lists_the_failure(tmp_path: Path) -> None:
    base, head = pair(tmp_path, make_doc(), make_doc("2026-08", on_time={"H44.100": 70}))
    result = invoke(base, head, "--fail-on", "total:-1.0")
    assert result.exit_code == 1
    assert "Threshold failures" in result.stdout
    assert result.stderr == (
        "warning: periods differ: 2026-07 (BASE) -> 2026-08 (HEAD)\n"
        "failed: 1 threshold failure(s):\n"
        "  H44.100 UBND xã Hùng Lô: total 19.00 -> 17.00 (delta ▼ -2.00, -10.53%) "
        "breaks total:-1.0\n"
    )


def test_relative_group_threshold(tmp_path: Path) -> None:
    # timeliness 18.00 -> 17.20 is -4.4 % (holds); 16.00 -> 15.00 is -6.25 % (fails).
    head = make_doc(on_time={"H44": 86, "H44.100": 75})
    result = invoke(*pair(tmp_path, make_doc(), head), "--fail-on", "group.timeliness:-5%")
    assert result.exit_code == 1
    assert "H44.100 UBND xã Hùng Lô: group.timeliness 16.00 -> 15.00" in result.stderr
    assert "H44 UBND" not in result.stderr


def test_indicator_threshold_with_dotted_id(tmp_path: Path) -> None:
    head = make_doc(paid={"H44.10": 20})
    spec = "indicator.payment.dossiers_paid_online:-1"
    result = invoke(*pair(tmp_path, make_doc(), head), "--fail-on", spec, "--format", "json")
    assert result.exit_code == 1
    failures = json.loads(result.stdout)["failures"]
    assert [(f["unit_code"], f["target"], f["base"], f["head"]) for f in failures] == [
        ("H44.10", "indicator.payment.dossiers_paid_online", 3.6, 2.4)
    ]


@pytest.mark.parametrize(
    ("spec", "exit_code"),
    [
        ("total:-1@level=commune", 0),
        ("total:-1@level=province", 1),
        ("total:-1@unit=H44.100,H44.101", 0),
        ("total:-1@unit=H44", 1),
    ],
)
def test_restricted_thresholds(tmp_path: Path, spec: str, exit_code: int) -> None:
    head = make_doc(on_time={"H44": 80})
    result = invoke(*pair(tmp_path, make_doc(), head), "--fail-on", spec)
    assert result.exit_code == exit_code


def test_missing_units_warn_and_fail_with_fail_on_missing(tmp_path: Path) -> None:
    base, head = pair(tmp_path, make_doc(), make_doc(codes=("H44", "H44.10", "H44.100")))
    result = invoke(base, head)
    assert result.exit_code == 0
    assert "warning: 1 unit(s) missing from HEAD: H44.101" in result.stderr
    assert "missing in HEAD" in result.stdout
    strict = invoke(base, head, "--fail-on-missing")
    assert strict.exit_code == 1
    assert "H44.101 UBND xã Kim Đức: missing from HEAD (--fail-on-missing)" in strict.stderr


def test_changed_ruleset_is_a_warning_on_stderr(tmp_path: Path) -> None:
    base, head = pair(tmp_path, make_doc(), make_doc(ruleset="national2023"))
    result = invoke(base, head)
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: ruleset id changed: national2026 (BASE) -> national2023 (HEAD); "
        "scores may not be comparable\n"
    )


def test_series_document_compares_its_last_result_and_says_so(tmp_path: Path) -> None:
    series = {"report_version": 1, "kind": "series", "results": [make_doc(), make_doc("2026-08")]}
    base = write(tmp_path, "base.json", make_doc("2026-08"))
    head = write(tmp_path, "series.json", series)
    result = invoke(base, head, "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {head} is a series of 2 results; comparing its last result (period 2026-08)\n"
    )
    assert json.loads(result.stdout)["head"]["series"] == {"results": 2}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{oops", "not JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
        ('{"units": []}', "not a result document: missing key 'report_version'"),
        ('"a string"', 'not a result document: expected a JSON object, got a string ("a string")'),
    ],
)
def test_malformed_file_exits_2_with_one_line(tmp_path: Path, content: str, problem: str) -> None:
    good = write(tmp_path, "good.json", make_doc())
    bad = write(tmp_path, "bad.json", content)
    result = invoke(good, bad)
    assert result.exit_code == 2
    assert result.stderr == f"error: {bad}: {problem}\n"
    assert result.stdout == ""


def test_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    good = write(tmp_path, "good.json", make_doc())
    result = invoke(str(tmp_path / "absent.json"), good)
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'absent.json'}: no such file\n"


@pytest.mark.parametrize("spec", ["total:+1", "total", "score:-1", "total:-1@level=ward"])
def test_bad_fail_on_spec_exits_2(tmp_path: Path, spec: str) -> None:
    path = write(tmp_path, "r.json", make_doc())
    result = invoke(path, path, "--fail-on", spec)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --fail-on '{spec}': ")
    assert result.stderr.count("\n") == 1


def test_json_output_keys(tmp_path: Path) -> None:
    head = make_doc("2026-08", on_time={"H44": 85}, codes=("H44", "H44.10", "H44.100"))
    result = invoke(*pair(tmp_path, make_doc(), head), "--format", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert list(document) == [
        "report_version", "kind", "base", "head", "units",
        "only_in_base", "only_in_head", "warnings", "failures",
    ]  # fmt: skip
    assert [u["unit_code"] for u in document["units"]] == ["H44", "H44.10", "H44.100"]
    assert document["units"][0]["total"] == {"base": 22.8, "head": 21.8, "delta": -1.0}
    assert document["units"][0]["groups"]["timeliness"] == {
        "present": "both", "base": 18.0, "head": 17.0, "delta": -1.0,
    }  # fmt: skip
    assert [w["kind"] for w in document["warnings"]] == ["period_changed", "units_only_in_base"]
    assert result.stderr == ""


def test_markdown_output_with_failure(tmp_path: Path) -> None:
    head = make_doc("2026-08", on_time={"H44": 85})
    args = ("--format", "markdown", "--fail-on", "total:-0.5")
    result = invoke(*pair(tmp_path, make_doc(), head), *args)
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "## dvc-score compare: 2026-07 → 2026-08\n\n"
        "**H44 UBND tỉnh Phú Thọ: total 22.80 → 21.80 (▼ -1.00)**, class yeu → yeu\n\n"
    )
    assert "| H44 UBND tỉnh Phú Thọ | total | 22.80 | 21.80 | ▼ -1.00 | `total:-0.5` |" in (
        result.stdout
    )
    assert "- periods differ: 2026-07 (BASE) -> 2026-08 (HEAD)" in result.stdout
    assert result.stderr.startswith("failed: 1 threshold failure(s):")


def test_detail_adds_group_and_indicator_rows(tmp_path: Path) -> None:
    head = make_doc(paid={"H44.100": 30})
    plain = invoke(*pair(tmp_path, make_doc(), head))
    detailed = invoke(*pair(tmp_path, make_doc(), head), "--detail")
    assert "payment.dossiers_paid_online" not in plain.stdout
    assert "payment.dossiers_paid_online" in detailed.stdout
    assert "25/50 → 30/50 (0.5000 → 0.6000)" in detailed.stdout
    assert max(len(line) for line in detailed.stdout.splitlines()) <= 100


def test_table_hides_unchanged_units_unless_all(tmp_path: Path) -> None:
    head = make_doc(paid={"H44.100": 30})
    default = invoke(*pair(tmp_path, make_doc(), head))
    everything = invoke(*pair(tmp_path, make_doc(), head), "--all")
    assert "Sở Tư pháp" not in default.stdout
    assert "1 of 4 units changed; 3 unchanged not shown" in default.stdout
    assert "Sở Tư pháp" in everything.stdout


def test_a_threshold_on_an_id_neither_file_has_is_a_usage_error(tmp_path: Path) -> None:
    base, head = pair(tmp_path, make_doc(), make_doc())
    result = invoke(base, head, "--fail-on", "group.timelines:-5%")
    assert result.exit_code == 2
    assert "no unit of either file has group.timelines" in result.output


def test_compare_reads_real_run_results(tmp_path: Path) -> None:
    from dvc_score.testing import run_cli

    july, august = tmp_path / "2026-07.json", tmp_path / "2026-08.json"
    for period, target in (("2026-07", july), ("2026-08", august)):
        ran = run_cli(
            [
                "run",
                "--option",
                "dossiers=5000",
                "--period",
                period,
                "--format",
                "json",
                "-o",
                str(target),
            ]
        )
        assert ran.exit_code == 0, ran.output
    same = run_cli(["compare", str(august), str(august), "--fail-on", "total:-0.01"])
    assert same.exit_code == 0
    moved = run_cli(["compare", str(july), str(august), "--format", "markdown"])
    assert moved.exit_code == 0
    assert "2026-07" in moved.stdout and "2026-08" in moved.stdout
