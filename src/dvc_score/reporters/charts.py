"""Inline SVG charts, drawn in Python: the HTML report must open with no network.

Each function returns one ``<svg>`` element (no ``xmlns``: inline SVG in HTML
needs none, and the report must contain no URL at all). Charts scale to the
page through their ``viewBox``; every bar and point carries a ``<title>`` so a
tap or hover shows the exact figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
LABEL_WIDTH = 230
ROW = 22
BAR = 15
PALETTE = ("#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9", "#84cc16", "#ec4899")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    color: str = PALETTE[0]
    note: str = ""
    """Text after the bar (defaults to the formatted value)."""


@dataclass(frozen=True)
class Stack:
    label: str
    parts: tuple[float, ...]
    note: str = ""


@dataclass(frozen=True)
class Line:
    name: str
    values: tuple[float | None, ...]
    color: str


def bar_chart(bars: Sequence[Bar], maximum: float, label: str, fmt: Callable[[float], str]) -> str:
    """Horizontal bars on a shared scale from 0 to ``maximum``."""
    scale = _scale(maximum)
    height = len(bars) * ROW + 8
    body = []
    for index, bar in enumerate(bars):
        y = 4 + index * ROW
        width = max(bar.value, 0) * scale
        note = bar.note or fmt(bar.value)
        tip = f"{bar.label}: {note}"
        body.append(
            _row_label(bar.label, y)
            + f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR}"'
            f' fill="{bar.color}"><title>{escape(tip)}</title></rect>'
            + _value_text(LABEL_WIDTH + width + 4, y, note)
        )
    return _svg(height, label, "bars", "".join(body) + _axis(height, maximum))


def stacked_chart(
    stacks: Sequence[Stack],
    names: Sequence[str],
    colors: Sequence[str],
    maximum: float,
    label: str,
    fmt: Callable[[float], str],
) -> str:
    """Horizontal bars split into coloured parts (one per name), with a legend on top."""
    scale = _scale(maximum)
    legend = _legend(names, colors)
    top = legend[1]
    height = top + len(stacks) * ROW + 8
    body = [legend[0]]
    for index, stack in enumerate(stacks):
        y = top + 4 + index * ROW
        x = float(LABEL_WIDTH)
        body.append(_row_label(stack.label, y))
        for name, color, part in zip(names, colors, stack.parts, strict=True):
            width = max(part, 0) * scale
            tip = f"{stack.label} · {name}: {fmt(part)}"
            body.append(
                f'<rect class="part" x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}"'
                f' fill="{color}"><title>{escape(tip)}</title></rect>'
            )
            x += width
        body.append(_value_text(x + 4, y, stack.note or fmt(sum(stack.parts))))
    return _svg(height, label, "stacked", "".join(body))


def line_chart(
    x_labels: Sequence[str],
    lines: Sequence[Line],
    maximum: float,
    label: str,
    fmt: Callable[[float], str],
) -> str:
    """Values over periods, one polyline per series, on a 0..maximum vertical scale."""
    legend, top = _legend([line.name for line in lines], [line.color for line in lines])
    plot_h, left, right = 220, 48, WIDTH - 40
    bottom = top + plot_h
    step = (right - left) / max(len(x_labels) - 1, 1)
    scale = plot_h / maximum if maximum > 0 else 0

    def point(index: int, value: float) -> tuple[float, float]:
        return left + index * step, bottom - value * scale

    body = [legend, _line_axes(x_labels, left, right, top, bottom, step, maximum, fmt)]
    for line in lines:
        points = [(i, v) for i, v in enumerate(line.values) if v is not None]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in points))
        body.append(f'<polyline class="line" points="{coords}" fill="none" stroke="{line.color}"/>')
        for index, value in points:
            x, y = point(index, value)
            tip = f"{line.name} · {x_labels[index]}: {fmt(value)}"
            body.append(
                f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{line.color}">'
                f"<title>{escape(tip)}</title></circle>"
            )
    return _svg(bottom + 28, label, "lines", "".join(body))


def _line_axes(
    x_labels: Sequence[str],
    left: float,
    right: float,
    top: float,
    bottom: float,
    step: float,
    maximum: float,
    fmt: Callable[[float], str],
) -> str:
    parts = [
        f'<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>',
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{bottom}"/>',
        f'<text class="tick" x="{left - 4}" y="{top + 4}" text-anchor="end">{fmt(maximum)}</text>',
        f'<text class="tick" x="{left - 4}" y="{bottom}" text-anchor="end">{fmt(0)}</text>',
    ]
    for index, name in enumerate(x_labels):
        x = left + index * step
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">'
            f"{escape(name)}</text>"
        )
    return "".join(parts)


def _legend(names: Sequence[str], colors: Sequence[str]) -> tuple[str, int]:
    """A wrapping legend; returns the markup and the height it takes."""
    items, x, y = [], 0.0, 4
    for name, color in zip(names, colors, strict=True):
        width = 30 + 8.5 * len(name)  # 13 px text: about 8 units a character
        if x + width > WIDTH and x > 0:
            x, y = 0.0, y + 18
        items.append(
            f'<rect class="key" x="{x:.1f}" y="{y}" width="12" height="12" fill="{color}"/>'
            f'<text class="legend" x="{x + 16:.1f}" y="{y + 10}">{escape(name)}</text>'
        )
        x += width
    return "".join(items), y + 22


def _row_label(text: str, y: int) -> str:
    short = text if len(text) <= 31 else text[:30] + "…"
    return (
        f'<text class="label" x="{LABEL_WIDTH - 6}" y="{y + BAR - 3}" text-anchor="end">'
        f"{escape(short)}<title>{escape(text)}</title></text>"
    )


def _value_text(x: float, y: int, text: str) -> str:
    return f'<text class="value" x="{x:.1f}" y="{y + BAR - 3}">{escape(text)}</text>'


def _axis(height: int, maximum: float) -> str:
    end = LABEL_WIDTH + maximum * _scale(maximum)
    return (
        f'<line class="max" x1="{end:.1f}" y1="0" x2="{end:.1f}" y2="{height}"/>'
        f'<line class="axis" x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}"/>'
    )


def _scale(maximum: float) -> float:
    # Leave room after the longest bar for its value text.
    return (WIDTH - LABEL_WIDTH - 60) / maximum if maximum > 0 else 0.0


def _svg(height: float, label: str, kind: str, body: str) -> str:
    return (
        f'<svg class="chart {kind}" viewBox="0 0 {WIDTH} {height:.0f}" role="img"'
        f' aria-label="{escape(label)}"><title>{escape(label)}</title>{body}</svg>'
    )
