"""The HTML page shell and table markup shared by the score and statistics reports.

One self-contained file: inline CSS, inline SVG, no script, no font, no URL.
Tables sit in horizontally scrolling boxes so the page reads on a phone; every
number cell carries its exact value in ``data-value`` (and its column in
``data-key``) so tools and tests can read the figures back without parsing
Vietnamese number formats.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from dvc_score import __version__
from dvc_score.reporters.views import Cell, Col, View, cell_text

CSS = """
:root{--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--head:#f3f4f6;--accent:#2563eb}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:16px;color:var(--ink);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif}
h1{font-size:1.5rem;margin:.2em 0}h2{font-size:1.25rem;margin:1.6em 0 .5em;
border-bottom:2px solid var(--accent);padding-bottom:.2em}h3{font-size:1.05rem;margin:1.2em 0 .4em}
.meta{color:var(--muted);font-size:.9rem;margin:0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.5em 0 1em;
border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);white-space:nowrap;text-align:left}
th{background:var(--head);position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:600;background:#fafafa}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:12px}
.pair{display:flex;flex-wrap:wrap;gap:8px}.pair table{flex:1 1 150px;width:auto}
.card{border:1px solid var(--line);border-radius:6px;padding:8px;overflow-x:auto}
.card h4{margin:0 0 .3em;font-size:.95rem}
.big{font-size:2rem;font-weight:700}
.note{background:#fff7ed;border-left:4px solid #f59e0b;padding:8px 12px}
figure{margin:.5em 0 1.2em;overflow-x:auto}figcaption{font-weight:600;margin-bottom:.3em}
svg.chart{width:100%;min-width:540px;max-width:900px;height:auto;font-size:13px}
svg .label,svg .legend,svg .tick,svg .value{fill:var(--ink)}
svg .value,svg .tick{fill:var(--muted)}
svg .axis{stroke:#9ca3af}svg .max{stroke:#9ca3af;stroke-dasharray:4 3}
svg .line{stroke-width:2.5}
@media (max-width:640px){body{padding:8px;font-size:14px}h1{font-size:1.2rem}
th,td{padding:3px 5px}}
@media print{.scroll{overflow:visible;border:0}}
"""


def page(title: str, lang: str, meta: str, sections: Sequence[str]) -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f'<header><h1>{escape(title)}</h1><p class="meta">{meta}</p></header>'
        f"<main>{''.join(sections)}</main>"
        f'<footer><p class="meta">dvc-score {escape(__version__)}</p></footer></body></html>\n'
    )


def section(section_id: str, heading: str, *parts: str) -> str:
    return f'<section id="{section_id}"><h2>{escape(heading)}</h2>{"".join(parts)}</section>'


def figure(caption: str, svg: str) -> str:
    return f"<figure><figcaption>{escape(caption)}</figcaption>{svg}</figure>"


def view_table(
    view: View,
    lang: str,
    keys: Sequence[str] | None = None,
    table_id: str = "",
    total_rows: Sequence[int] = (),
) -> str:
    """A view as an HTML table; ``keys`` picks and orders columns (default: all)."""
    columns = [view.columns[view.column(k)] for k in keys] if keys else list(view.columns)
    indexes = [view.column(c.key) for c in columns]
    head = "".join(_th(c) for c in columns)
    has_code = any(c.key == "unit_code" for c in view.columns)
    body = []
    for number, row in enumerate(view.rows):
        attrs = _row_attrs(view, row, has_code)
        css = ' class="total"' if number in total_rows else ""
        cells = "".join(_td(col, row[i], lang) for col, i in zip(columns, indexes, strict=True))
        body.append(f"<tr{css}{attrs}>{cells}</tr>")
    ident = f' id="{table_id}"' if table_id else ""
    return (
        f'<div class="scroll"><table{ident}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _row_attrs(view: View, row: list[Cell], has_code: bool) -> str:
    attrs = ""
    if has_code and row[view.column("unit_code")]:
        attrs += f' data-unit="{escape(str(row[view.column("unit_code")]))}"'
    if any(c.key == "period" for c in view.columns):
        attrs += f' data-period="{escape(str(row[view.column("period")]))}"'
    return attrs


def _th(column: Col) -> str:
    css = ' class="num"' if column.kind != "text" else ""
    return f"<th{css}>{escape(column.label)}</th>"


def _td(column: Col, value: Cell, lang: str) -> str:
    text = escape(cell_text(value, column.kind, lang))
    if column.kind == "text":
        return f'<td data-key="{column.key}">{text}</td>'
    raw = "" if value is None else raw_value(value)
    return f'<td class="num" data-key="{column.key}" data-value="{raw}">{text}</td>'


def raw_value(value: Cell) -> str:
    """The exact value for ``data-value``: scores as written in the JSON, ratios to 6 places."""
    if isinstance(value, Decimal):
        return f"{float(value):.6f}".rstrip("0").rstrip(".") if value else "0"
    return str(value)


def paragraphs(lines: Sequence[str]) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def note(text: str) -> str:
    return f'<p class="note">{escape(text)}</p>'
