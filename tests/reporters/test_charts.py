"""Inline SVG charts: well-formed, escaped, scaled, and free of any URL."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from dvc_score.reporters.charts import Bar, Line, Stack, bar_chart, line_chart, stacked_chart


def fmt(value: float) -> str:
    return f"{value:.2f}"


def parse(svg: str) -> ET.Element:
    assert not re.search(r"https?://|xmlns|href", svg)  # inline SVG in HTML needs no namespace
    return ET.fromstring(svg)  # well-formed XML, so it is well-formed in HTML too


def test_bars_scale_to_the_maximum_and_escape_names() -> None:
    svg = parse(bar_chart([Bar("Sở <A&B>", 50.0), Bar("Xã C", 100.0)], 100.0, "Điểm", fmt))
    widths = [float(r.get("width", "0")) for r in svg.iter("rect")]
    assert widths[1] == 2 * widths[0] > 0
    labels = [t.text for t in svg.iter("text") if t.get("class") == "label"]
    assert labels == ["Sở <A&B>", "Xã C"]  # parsed back: escaped in the markup


def test_stacked_parts_add_up_to_the_bar() -> None:
    stack = Stack("Xã A", (10.0, 20.0, 30.0))
    svg = parse(stacked_chart([stack], ["a", "b", "c"], ["#111", "#222", "#333"], 100.0, "G", fmt))
    parts = [float(r.get("width", "0")) for r in svg.iter("rect") if r.get("class") == "part"]
    assert len(parts) == 3 and parts[1] == 2 * parts[0]
    assert [t.text for t in svg.iter("text") if t.get("class") == "value"] == ["60.00"]


def test_line_chart_skips_missing_periods() -> None:
    line = Line("Tỉnh", (70.0, None, 80.0), "#123456")
    svg = parse(line_chart(["2026-Q1", "2026-Q2", "2026-Q3"], [line], 100.0, "Trend", fmt))
    (polyline,) = svg.iter("polyline")
    assert len(polyline.get("points", "").split()) == 2
    assert len(list(svg.iter("circle"))) == 2


def test_long_labels_are_shortened_with_the_full_name_as_tooltip() -> None:
    name = "Ban Quản lý các khu công nghiệp và khu kinh tế cửa khẩu tỉnh"
    svg = parse(bar_chart([Bar(name, 1.0)], 1.0, "x", fmt))
    label = next(t for t in svg.iter("text") if t.get("class") == "label")
    assert label.text is not None and label.text.endswith("…") and len(label.text) == 31
    assert label.find("title") is not None and label.find("title").text == name  # type: ignore[union-attr]
