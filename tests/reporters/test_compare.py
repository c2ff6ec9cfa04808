"""dvc_score.reporters.compare (load, diff, thresholds) and compare_render."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvc_score.errors import UserError
from dvc_score.reporters.compare import (
    Comparison,
    compare_results,
    load_result,
    parse_threshold,
    relative_change_pct,
    result_from_document,
)
from dvc_score.reporters.compare_render import (
    comparison_document,
    fmt_delta,
    render_markdown,
)

# --- a hand-written result document: a province, a department and two communes -------------

Counts = tuple[int, int]
BASE_COUNTS: dict[str, dict[str, Counts]] = {
    "H44": {"on_time": (900, 1000), "paid": (300, 400), "integrated": (250, 310)},
    "H44.10": {"on_time": (380, 400), "paid": (100, 150), "integrated": (40, 50)},
    "H44.100": {"on_time": (90, 100), "paid": (30, 40), "integrated": (30, 35)},
    "H44.101": {"on_time": (45, 50), "paid": (10, 20), "integrated": (20, 35)},
}
UNITS = {
    "H44": ("UBND tỉnh Phú Thọ", "province", None),
    "H44.10": ("Sở Tư pháp", "department", "H44"),
    "H44.100": ("UBND xã Hùng Lô", "commune", "H44"),
    "H44.101": ("UBND xã Kim Đức", "commune", "H44"),
}
# indicator id -> (counts key, group, points, target ratio or None for linear)
INDICATORS = {
    "timeliness.on_time": ("on_time", "timeliness", 20.0, None),
    "payment.dossiers_paid_online": ("paid", "payment", 6.0, None),
    "payment.procedures_integrated": ("integrated", "payment", 2.0, 0.8),
}


def _indicator(counts: Counts, points: float, target: float | None) -> dict[str, Any]:
    numerator, denominator = counts
    ratio = round(numerator / denominator, 6)
    score = points * ratio if target is None else min(points, points * ratio / target)
    return {
        "numerator": numerator, "denominator": denominator, "ratio": ratio,
        "score": round(score, 2), "max": points, "status": "scored", "provenance": "verified",
    }  # fmt: skip


def make_unit(code: str, counts: dict[str, Counts]) -> dict[str, Any]:
    name, level, parent = UNITS[code]
    indicators = {
        iid: _indicator(counts[key], points, target)
        for iid, (key, _, points, target) in INDICATORS.items()
    }
    groups: dict[str, dict[str, float]] = {}
    for iid, (_, gid, points, _) in INDICATORS.items():
        group = groups.setdefault(gid, {"score": 0.0, "max": 0.0})
        group["score"] = round(group["score"] + indicators[iid]["score"], 2)
        group["max"] += points
    total = round(sum(g["score"] for g in groups.values()), 2)
    return {
        "unit_code": code, "unit_name": name, "level": level, "parent_code": parent,
        "total": total, "class": "yeu" if total < 50 else "kha", "class_name": "Yếu",
        "groups": groups, "indicators": indicators,
    }  # fmt: skip


def make_doc(
    period: str = "2026-07",
    changes: dict[str, dict[str, Counts]] | None = None,
    ruleset: tuple[str, str] = ("national2026", "2026.1"),
    codes: tuple[str, ...] = tuple(UNITS),
) -> dict[str, Any]:
    """A result document; ``changes`` overrides some counts of some units."""
    changes = changes or {}
    return {
        "report_version": 1,
        "tool": {"name": "dvc-score", "version": "0.1.0"},
        "ruleset": {"id": ruleset[0], "version": ruleset[1], "title": "Bộ chỉ số 766"},
        "period": {"id": period, "start": f"{period}-01", "end": f"{period}-31"},
        "data": {"source": "bundled:default", "fingerprint": "sha256:00"},
        "units": [make_unit(c, {**BASE_COUNTS[c], **changes.get(c, {})}) for c in codes],
    }


def write(tmp_path: Path, name: str, document: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def compare_docs(
    tmp_path: Path,
    base: dict[str, Any],
    head: dict[str, Any],
    *specs: str,
    fail_on_missing: bool = False,
) -> Comparison:
    thresholds = [parse_threshold(spec) for spec in specs]
    return compare_results(
        load_result(write(tmp_path, "base.json", base)),
        load_result(write(tmp_path, "head.json", head)),
        thresholds,
        fail_on_missing=fail_on_missing,
    )


def kinds(comparison: Comparison) -> list[str]:
    return [notice.kind for notice in comparison.warnings]


def failed(comparison: Comparison) -> list[tuple[str, str]]:
    return [(f.unit_code, f.target) for f in comparison.failures]


# --- loading ----------------------------------------------------------------------------------


def test_load_result_keeps_units_and_meta(tmp_path: Path) -> None:
    doc = load_result(write(tmp_path, "r.json", make_doc()))
    assert list(doc.units) == ["H44", "H44.10", "H44.100", "H44.101"]
    assert (doc.meta.ruleset_id, doc.meta.period_id, doc.meta.series_size) == (
        "national2026", "2026-07", None,
    )  # fmt: skip
    assert doc.units["H44.100"].indicators["timeliness.on_time"].numerator == 90


def test_load_series_takes_the_last_result(tmp_path: Path) -> None:
    series = {"report_version": 1, "kind": "series", "results": [make_doc(), make_doc("2026-08")]}
    doc = load_result(write(tmp_path, "s.json", series))
    assert (doc.meta.period_id, doc.meta.series_size) == ("2026-08", 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "bad.json: not JSON: Expecting property name"),
        ("[1, 2]", "bad.json: not a result document: expected a JSON object, got a list"),
        ('{"report_version": 1}', "bad.json: not a result document: missing key 'ruleset'"),
        ('{"kind": "comparison"}', "bad.json: not a result document (kind 'comparison'"),
        ('{"kind": "series", "results": []}', "bad.json: results: expected a non-empty list"),
        ('{"total": NaN}', "bad.json: not JSON: NaN is not a JSON number"),
    ],
)
def test_malformed_file_names_the_file_and_the_problem(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_result(path)
    assert str(caught.value).startswith(str(tmp_path / message))


def test_wrong_value_type_names_the_json_path(tmp_path: Path) -> None:
    document = make_doc()
    document["units"][2]["total"] = "71.5"
    with pytest.raises(
        UserError, match=r"units\[2\]\.total: expected a number or null, got a string \(\"71\.5\"\)"
    ):
        load_result(write(tmp_path, "r.json", document))


def test_missing_unit_key_is_named(tmp_path: Path) -> None:
    document = make_doc()
    del document["units"][1]["indicators"]["timeliness.on_time"]["ratio"]
    with pytest.raises(
        UserError, match=r"units\[1\]\.indicators\.timeliness\.on_time: missing key 'ratio'"
    ):
        load_result(write(tmp_path, "r.json", document))


def test_duplicate_unit_code_is_an_error(tmp_path: Path) -> None:
    document = make_doc()
    document["units"].append(document["units"][0])
    with pytest.raises(UserError, match=r"units\[4\]: duplicate unit_code 'H44'"):
        load_result(write(tmp_path, "r.json", document))


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"nope\.json: no such file"):
        load_result(tmp_path / "nope.json")


# --- --fail-on grammar ------------------------------------------------------------------------


def test_parse_absolute_total() -> None:
    threshold = parse_threshold("total:-1.0")
    assert (threshold.target, threshold.limit, threshold.relative) == ("total", -1.0, False)
    assert (threshold.level, threshold.units) == (None, None)


def test_parse_relative_group() -> None:
    threshold = parse_threshold("group.timeliness:-5%")
    assert (threshold.kind, threshold.target_id, threshold.limit, threshold.relative) == (
        "group", "timeliness", -5.0, True,
    )  # fmt: skip


def test_parse_indicator_id_with_a_dot() -> None:
    threshold = parse_threshold("indicator.payment.dossiers_paid_online:-0.5")
    assert (threshold.kind, threshold.target_id) == ("indicator", "payment.dossiers_paid_online")


def test_parse_restrictions() -> None:
    assert parse_threshold("total:-1@level=province").level == "province"
    assert parse_threshold("total:0@unit=H44.100, H44.101").units == ("H44.100", "H44.101")


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("total", "missing ':DELTA'"),
        ("total:1", "DELTA must be negative or zero"),
        ("total:abc", "DELTA 'abc' is not a number"),
        ("total:-1%%", "DELTA '-1%' is not a number"),
        ("score:-1", "unknown target 'score'"),
        ("group.:-1", "unknown target 'group.'"),
        ("total:-1@level=village", "unknown level 'village'; expected one of province"),
        ("total:-1@region=north", "restriction must be"),
        ("total:-1@unit=", "restriction must be"),
    ],
)
def test_malformed_spec_is_a_user_error(spec: str, problem: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_threshold(spec)
    assert f"--fail-on {spec!r}: {problem}" in str(caught.value)


def test_relative_change_from_zero_base() -> None:
    assert relative_change_pct(0, 0) == 0.0
    assert relative_change_pct(0, 5) == 0.0
    assert relative_change_pct(0, -1) == -math.inf
    assert relative_change_pct(20.0, 19.0) == -5.0


def test_float_noise_does_not_break_a_threshold() -> None:
    # 71.37 - 72.37 == -1.0000000000000142 in binary floating point.
    assert not parse_threshold("total:-1.0").breaks(72.37, 71.37)
    assert parse_threshold("total:-1.0").breaks(72.37, 71.36)


# --- comparing --------------------------------------------------------------------------------


def test_self_compare_reports_no_change_even_with_thresholds(tmp_path: Path) -> None:
    specs = ("total:0", "group.timeliness:0%", "indicator.payment.dossiers_paid_online:0")
    comparison = compare_docs(tmp_path, make_doc(), make_doc(), *specs)
    assert comparison.no_change
    assert (comparison.warnings, comparison.failures) == ((), ())


@given(
    st.dictionaries(
        st.sampled_from(list(UNITS)),
        st.tuples(st.integers(0, 500), st.integers(1, 500)).map(lambda c: (min(c), max(c))),
    )
)
def test_any_result_compared_with_itself_holds_every_zero_threshold(
    on_time: dict[str, Counts],
) -> None:
    document = make_doc(changes={code: {"on_time": counts} for code, counts in on_time.items()})
    parsed = result_from_document(document, "x.json")
    specs = [parse_threshold(s) for s in ("total:0", "group.timeliness:0%")]
    comparison = compare_results(parsed, parsed, specs)
    assert comparison.no_change
    assert (comparison.warnings, comparison.failures) == ((), ())


def test_units_are_sorted_province_first_then_level_and_code(tmp_path: Path) -> None:
    order = ("H44.101", "H44.100", "H44.10", "H44")
    comparison = compare_docs(tmp_path, make_doc(codes=order), make_doc(codes=order))
    assert [u.code for u in comparison.units] == ["H44", "H44.10", "H44.100", "H44.101"]


def test_a_count_change_is_reported_per_indicator_and_group(tmp_path: Path) -> None:
    head = make_doc("2026-08", {"H44.100": {"on_time": (80, 100)}})
    comparison = compare_docs(tmp_path, make_doc(), head)
    unit = {u.code: u for u in comparison.units}["H44.100"]
    indicator = unit.indicators["timeliness.on_time"]
    assert (indicator.numerator.delta, indicator.ratio.delta, indicator.score.delta) == (
        -10, -0.1, -2.0,
    )  # fmt: skip
    assert (unit.groups["timeliness"].delta, unit.total.delta) == (-2.0, -2.0)
    assert [u.code for u in comparison.changed_units] == ["H44.100"]
    assert kinds(comparison) == ["period_changed"]


def test_absolute_total_threshold_fails_only_beyond_the_limit(tmp_path: Path) -> None:
    head = make_doc(changes={"H44.100": {"on_time": (85, 100)}, "H44.101": {"on_time": (44, 50)}})
    comparison = compare_docs(tmp_path, make_doc(), head, "total:-0.5")
    # H44.100 fell 1.0, H44.101 fell 0.4.
    assert failed(comparison) == [("H44.100", "total")]
    failure = comparison.failures[0]
    assert (failure.base, failure.head, failure.delta, failure.threshold) == (
        24.5, 23.5, -1.0, "total:-0.5",
    )  # fmt: skip


def test_relative_group_threshold(tmp_path: Path) -> None:
    # timeliness 18.0 -> 17.2 is -4.44 %; 18.0 -> 17.0 is -5.56 %.
    head = make_doc(changes={"H44": {"on_time": (860, 1000)}, "H44.100": {"on_time": (85, 100)}})
    comparison = compare_docs(tmp_path, make_doc(), head, "group.timeliness:-5%")
    assert failed(comparison) == [("H44.100", "group.timeliness")]
    assert comparison.failures[0].relative_pct == pytest.approx(-5.555556)


def test_indicator_threshold_with_dotted_id(tmp_path: Path) -> None:
    head = make_doc(changes={"H44.10": {"paid": (50, 150)}})
    spec = "indicator.payment.dossiers_paid_online:-1"
    comparison = compare_docs(tmp_path, make_doc(), head, spec)
    assert failed(comparison) == [("H44.10", "indicator.payment.dossiers_paid_online")]


def test_level_restriction_checks_only_that_level(tmp_path: Path) -> None:
    head = make_doc(changes={code: {"on_time": (0, 1)} for code in UNITS})
    comparison = compare_docs(tmp_path, make_doc(), head, "total:-1@level=commune")
    assert failed(comparison) == [("H44.100", "total"), ("H44.101", "total")]


def test_unit_restriction_checks_only_those_units(tmp_path: Path) -> None:
    head = make_doc(changes={code: {"on_time": (0, 1)} for code in UNITS})
    comparison = compare_docs(tmp_path, make_doc(), head, "total:-1@unit=H44.10,H44.999")
    assert failed(comparison) == [("H44.10", "total")]
    assert "threshold_unit_unknown" in kinds(comparison)


def test_level_without_units_is_a_warning(tmp_path: Path) -> None:
    comparison = compare_docs(tmp_path, make_doc(), make_doc(), "total:-1@level=district")
    assert kinds(comparison) == ["threshold_matches_nothing"]


def test_threshold_on_an_absent_group_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    base, head = make_doc(), make_doc()
    for document in (base, head):
        del document["units"][3]["groups"]["payment"]
    comparison = compare_docs(tmp_path, base, head, "group.payment:-1")
    assert comparison.failures == ()
    message = comparison.warnings[0].message
    assert message == (
        "--fail-on group.payment:-1: group.payment absent for 1 unit(s), not checked there: H44.101"
    )


def test_indicator_in_one_side_only_is_a_warning(tmp_path: Path) -> None:
    head = make_doc()
    for unit in head["units"]:
        unit["indicators"]["payment.new_thing"] = dict(
            unit["indicators"]["payment.procedures_integrated"]
        )
    comparison = compare_docs(tmp_path, make_doc(), head, "indicator.payment.new_thing:-1")
    assert kinds(comparison) == ["indicator_only_in_head", "threshold_target_absent"]
    assert comparison.warnings[0].message == (
        "indicator payment.new_thing only in HEAD for 4 unit(s): H44, H44.10, H44.100, H44.101"
    )


def test_score_na_on_one_side_is_a_warning(tmp_path: Path) -> None:
    head = make_doc()
    head["units"][0]["indicators"]["timeliness.on_time"]["score"] = None
    comparison = compare_docs(tmp_path, make_doc(), head, "indicator.timeliness.on_time:-1")
    assert comparison.failures == ()
    assert kinds(comparison) == ["threshold_target_not_applicable"]


def test_missing_units_are_warnings_and_optionally_failures(tmp_path: Path) -> None:
    base = make_doc(codes=("H44", "H44.10", "H44.100"))
    head = make_doc(codes=("H44", "H44.10", "H44.101"))
    comparison = compare_docs(tmp_path, base, head)
    assert [r.code for r in comparison.only_in_base] == ["H44.100"]
    assert [r.code for r in comparison.only_in_head] == ["H44.101"]
    assert kinds(comparison) == ["units_only_in_base", "units_only_in_head"]
    assert comparison.warnings[0].message == "1 unit(s) missing from HEAD: H44.100"
    assert not comparison.no_change and comparison.failures == ()
    strict = compare_docs(tmp_path, base, head, fail_on_missing=True)
    assert failed(strict) == [("H44.100", "unit")]


def test_changed_ruleset_and_report_version_are_warnings(tmp_path: Path) -> None:
    head = make_doc(ruleset=("national2023", "2023.2"))
    head["report_version"] = 2
    comparison = compare_docs(tmp_path, make_doc(), head)
    assert kinds(comparison) == [
        "report_version_unsupported",
        "report_version_changed",
        "ruleset_changed",
        "ruleset_version_changed",
    ]
    assert comparison.warnings[2].message == (
        "ruleset id changed: national2026 (BASE) -> national2023 (HEAD); "
        "scores may not be comparable"
    )


# --- rendering --------------------------------------------------------------------------------


def test_fmt_delta_arrows() -> None:
    assert [fmt_delta(d) for d in (1.25, -0.5, 0.0, None)] == ["▲ +1.25", "▼ -0.50", "=", "n/a"]


def test_json_document_keys_and_values(tmp_path: Path) -> None:
    head = make_doc(
        "2026-08", {"H44.100": {"on_time": (80, 100)}}, codes=("H44", "H44.10", "H44.100")
    )
    comparison = compare_docs(tmp_path, make_doc(), head, "total:-1", fail_on_missing=True)
    document = json.loads(json.dumps(comparison_document(comparison)))
    assert list(document) == [
        "report_version", "kind", "base", "head", "units",
        "only_in_base", "only_in_head", "warnings", "failures",
    ]  # fmt: skip
    assert (document["report_version"], document["kind"]) == (1, "comparison")
    assert list(document["base"]) == [
        "file", "report_version", "tool", "ruleset", "period", "data", "series",
    ]  # fmt: skip
    assert document["head"]["period"]["id"] == "2026-08"
    unit = document["units"][2]
    assert list(unit) == [
        "unit_code", "unit_name", "level", "changed", "total", "class", "groups", "indicators",
    ]  # fmt: skip
    assert unit["total"] == {"base": 24.5, "head": 22.5, "delta": -2.0}
    assert unit["indicators"]["timeliness.on_time"]["numerator"] == {
        "base": 90, "head": 80, "delta": -10.0,
    }  # fmt: skip
    assert document["only_in_base"] == [
        {"unit_code": "H44.101", "unit_name": "UBND xã Kim Đức", "level": "commune", "total": 22.43}
    ]
    assert document["failures"] == [
        {
            "unit_code": "H44.100", "unit_name": "UBND xã Hùng Lô", "level": "commune",
            "target": "total", "threshold": "total:-1", "base": 24.5, "head": 22.5,
            "delta": -2.0, "relative_change_pct": -8.163265,
        },
        {
            "unit_code": "H44.101", "unit_name": "UBND xã Kim Đức", "level": "commune",
            "target": "unit", "threshold": "--fail-on-missing", "base": 22.43, "head": None,
            "delta": None, "relative_change_pct": None,
        },
    ]  # fmt: skip
    assert [w["kind"] for w in document["warnings"]] == ["period_changed", "units_only_in_base"]


def test_markdown_summary_sections(tmp_path: Path) -> None:
    head = make_doc("2026-08", {"H44": {"on_time": (850, 1000)}, "H44.101": {"paid": (20, 20)}})
    comparison = compare_docs(tmp_path, make_doc(), head, "total:-0.5@level=province")
    markdown = render_markdown(comparison)
    assert markdown.startswith(
        "## dvc-score compare: 2026-07 → 2026-08\n\n"
        "**H44 UBND tỉnh Phú Thọ: total 24.50 → 23.50 (▼ -1.00)**, class yeu → yeu\n\n"
        "ruleset `national2026` 2026.1 · 4 units compared · 2 changed · 0 only in base · "
        "0 only in head · **1 threshold failure(s)**\n\n"
    )
    assert "### Biggest falls\n\n| Unit | Level | Base | Head | Δ |\n" in markdown
    assert "| H44 UBND tỉnh Phú Thọ | province | 24.50 | 23.50 | ▼ -1.00 |" in markdown
    assert "| H44.101 UBND xã Kim Đức | commune | 22.43 | 25.43 | ▲ +3.00 |" in markdown
    assert "| timeliness | 18.00 | 17.00 | ▼ -1.00 | 1 | 0 |" in markdown
    assert "### Warnings\n\n- periods differ: 2026-07 (BASE) -> 2026-08 (HEAD)\n" in markdown
    assert markdown.endswith(
        "### Failures\n\n| Unit | Target | Base | Head | Δ | Threshold |\n"
        "| --- | --- | ---: | ---: | ---: | --- |\n"
        "| H44 UBND tỉnh Phú Thọ | total | 24.50 | 23.50 | ▼ -1.00 "
        "| `total:-0.5@level=province` |\n"
    )
