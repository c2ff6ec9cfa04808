"""Column headers and text-file sniffing shared by the file adapters.

Province exports name their columns in Vietnamese ("Mã hồ sơ", "Ngày tiếp
nhận"), in the DVCQG payload's names ("MaHoSo") or in the model's own names
("received_at"); :data:`MODEL_HEADERS` maps all of them to model columns. A
table whose headers are Vietnamese is read with the ``vi`` number locale unless
the user says otherwise (docs/data.md).

Before DuckDB reads a CSV or JSON file, :func:`check_text_sample` looks at its
first 64 KB: a legacy-encoded (TCVN3, VNI, CP1258) or UTF-16 file fails with one
line saying how to convert it, instead of loading mangled unit names.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dvc_score.adapters import encoding
from dvc_score.adapters.parsing import VIETNAMESE_HEADERS, HeaderMap, normalize_header
from dvc_score.adapters.sql_parsing import word_key
from dvc_score.errors import DataError
from dvc_score.model.schema import TABLES

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")

MODEL_HEADERS = HeaderMap(
    {
        **VIETNAMESE_HEADERS,
        **{c.name: c.name for t in TABLES.values() for c in t.columns},
    }
)

# Sheet (or file) names that stand for a table, besides the table's own name.
TABLE_ALIASES: dict[str, tuple[str, ...]] = {
    "units": ("Đơn vị", "Cơ quan", "Đơn vị hành chính", "Danh sách đơn vị", "DonVi"),
    "procedures": (
        "Thủ tục",
        "TTHC",
        "Thủ tục hành chính",
        "Danh mục TTHC",
        "Danh mục thủ tục",
        "ThuTuc",
    ),
    "dossiers": ("Hồ sơ", "Danh sách hồ sơ", "HoSo"),
    "petitions": ("Phản ánh kiến nghị", "Phản ánh, kiến nghị", "PAKN", "Phản ánh", "PhanAnh"),
}
_NON_ALNUM = re.compile(r"[\W_]+")


def table_for_name(name: str) -> str | None:
    """The model table a sheet name stands for ("Hồ sơ", "ho so", "dossiers"), or None."""
    key = _NON_ALNUM.sub("", word_key(normalize_header(name)))
    for table, aliases in TABLE_ALIASES.items():
        for alias in (table, *aliases):
            if key == _NON_ALNUM.sub("", word_key(alias)):
                return table
    return None


@dataclass(frozen=True)
class HeaderMapping:
    """Where each source header goes, and whether the headers were Vietnamese."""

    targets: dict[str, str]
    vietnamese: bool


def map_headers(headers: Sequence[str], source: str) -> HeaderMapping:
    """Map source headers to column names: model columns where recognised.

    An unrecognised header keeps a snake_case form of itself ("Ghi chú" ->
    "ghi_chú"), so extra columns stay available. ``source`` (a file name)
    prefixes any error.
    """
    try:
        recognised = MODEL_HEADERS.resolve(list(headers))
    except DataError as error:
        raise DataError(f"{source}: {error}") from None
    targets: dict[str, str] = {}
    taken = set(recognised.values())
    for position, header in enumerate(headers, start=1):
        target = recognised.get(header) or _fallback_name(header, position, taken)
        taken.add(target)
        targets[header] = target
    vietnamese = any(_is_alias(header, column) for header, column in recognised.items())
    return HeaderMapping(targets, vietnamese)


def _fallback_name(header: str, position: int, taken: set[str]) -> str:
    base = normalize_header(header).replace(" ", "_") or f"column{position}"
    if base.startswith("__"):  # __file and __row belong to the loader
        base = base.lstrip("_") or f"column{position}"
    name, suffix = base, 2
    while name in taken:
        name, suffix = f"{base}_{suffix}", suffix + 1
    return name


def _is_alias(header: str, column: str) -> bool:
    """Whether ``header`` names ``column`` by a Vietnamese alias, not by its model name."""
    return _NON_ALNUM.sub("", word_key(normalize_header(header))) != column.replace("_", "")


def check_text_sample(path: Path) -> bytes:
    """Return the first 64 KB of a text file, or raise DataError if it is not UTF-8.

    Only a sample is read: files may be several GB. A BOM-less UTF-8 file cut in
    the middle of a character at the sample's end is still valid.
    """
    try:
        with path.open("rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
    except OSError as error:
        raise DataError(f"{path}: cannot read the file ({error.strerror or error})") from None
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DataError(
            f"{path}: the file is UTF-16 text (Excel's 'Unicode text'); save it as "
            "'CSV UTF-8' and try again"
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample.removeprefix(codecs.BOM_UTF8), final=False)
    except UnicodeDecodeError as error:
        raise encoding._not_utf8(path, sample, error) from None
    return sample


def first_record(sample: bytes, delimiter: str) -> list[str]:
    """The header cells of a CSV sample (BOM removed, quotes honoured)."""
    text = sample.decode("utf-8-sig", errors="replace")
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    return next(rows, [])


def sniff_delimiter(sample: bytes) -> str:
    """The delimiter that splits the header line into the most cells (``,`` on a tie).

    Sniffed here rather than by DuckDB, whose sniffer can be misled by the very
    broken rows that should be rejected one by one.
    """
    widths = {d: len(first_record(sample, d)) for d in DELIMITERS}
    best = max(widths.values())
    return next(d for d in DELIMITERS if widths[d] == best)


# --- Reference for docs/data.md ------------------------------------------------------

_TYPE_NAMES = {
    "VARCHAR": "text",
    "BOOLEAN": "yes/no",
    "TIMESTAMP": "date-time",
    "DATE": "date",
    "DOUBLE": "number",
    "INTEGER": "whole number",
}


def columns_reference() -> str:
    """The model's tables as Markdown: columns, types, accepted headers and words.

    Generated from :mod:`dvc_score.model.schema` and the header and word maps,
    so docs/data.md cannot drift from what the adapters accept.
    """
    from dvc_score.adapters.sql_parsing import CHOICE_WORDS
    from dvc_score.adapters.typed_load import KEYS

    lines: list[str] = []
    for table in TABLES.values():
        names = ", ".join(f"`{n}`" for n in (table.name, *TABLE_ALIASES[table.name]))
        lines += [f"### `{table.name}`", "", table.doc, ""]
        lines += [f"File or sheet names: {names}. Key: `{'`, `'.join(KEYS[table.name])}`.", ""]
        lines += ["| column | type | required | meaning | other accepted headers |"]
        lines += ["|---|---|---|---|---|"]
        for column in table.columns:
            aliases = ", ".join(f"`{h}`" for h, c in VIETNAMESE_HEADERS.items() if c == column.name)
            meaning = column.doc.replace("|", "\\|")
            lines.append(
                f"| `{column.name}` | {_TYPE_NAMES.get(column.type, column.type)} |"
                f" {'yes' if column.required else ''} | {meaning} | {aliases} |"
            )
        lines.append("")
    lines += ["### Words accepted for coded columns", ""]
    lines += ["Matched ignoring case, spacing and diacritics.", ""]
    for name, words in CHOICE_WORDS.items():
        grouped: dict[str, list[str]] = {}
        for word, value in words.items():
            grouped.setdefault(value, []).append(word)
        listed = "; ".join(f"`{v}`: {', '.join(f'`{w}`' for w in ws)}" for v, ws in grouped.items())
        lines += [f"- `{name}` — {listed}"]
    return "\n".join(lines) + "\n"
