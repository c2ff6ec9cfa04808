"""Read the portal's evaluation figures: per unit, counts and the official scores.

The shape (documented in the README) is modelled on the portal's published
evaluation views; the API behind them is not public::

    {"Ky": "2026-08",
     "DonVi": [{"MaDonVi": "H44", "TenDonVi": "UBND tỉnh Phú Thọ", "Cap": "Tỉnh",
                "MaDonViCha": null, "TongDiem": 59.92,
                "NhomChiSo": [{"MaNhom": "publicity", "Diem": 7.96}],
                "ChiSo": [{"MaChiSo": "1.3", "TuSo": 87, "MauSo": 89, "Diem": 1.96}]}]}

A top-level list of units, or the list under "data" / "DanhSachDonVi", is also
accepted. A missing ``Diem`` means the portal showed no score; ``"Diem": null``
means it showed "n/a". Entries that cannot be used go to the reject log (table
``counts``) with the unit's position as the row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from dvc_score.api import Count, Counts, DataError, RejectLog, UnitInfo, order_units

from dvc_score_dvcqg import values
from dvc_score_dvcqg.eval_codes import group_of, level_of

GROUPS = ("publicity", "timeliness", "online", "payment", "digitization", "satisfaction")
UNIT_LIST_KEYS = ("DonVi", "DanhSachDonVi", "data", "result")
ABSENT = object()  # the portal showed no score (distinct from None: "n/a")
TABLE = "counts"


@dataclass
class Official:
    """The portal's figures for one unit. Scores are ``ABSENT``, None (n/a) or a number."""

    unit: UnitInfo
    counts: dict[str, Count] = field(default_factory=dict)
    indicators: dict[str, object] = field(default_factory=dict)
    groups: dict[str, object] = field(default_factory=dict)
    total: object = ABSENT


@dataclass
class Evaluation:
    period_id: str
    units: list[Official]

    def counts(self) -> Counts:
        indicators: list[str] = []
        values_: dict[tuple[str, str], Count] = {}
        for official in self.units:
            for indicator, count in official.counts.items():
                if indicator not in indicators:
                    indicators.append(indicator)
                values_[(official.unit.unit_code, indicator)] = count
        units = order_units([o.unit for o in self.units])
        return Counts(self.period_id, units, values_, indicators)


def read_evaluation(path: Path, rejects: RejectLog, codes: dict[str, str]) -> Evaluation:
    document = _load(path)
    period, listed = _unit_list(path, document)
    units: list[Official] = []
    seen: set[str] = set()
    for row, item in enumerate(listed, start=1):
        official = _unit(path, row, item, rejects, codes)
        if official is None:
            continue
        if official.unit.unit_code in seen:
            rejects.add(TABLE, str(path), row, "MaDonVi", official.unit.unit_code, "duplicate unit")
            continue
        seen.add(official.unit.unit_code)
        units.append(official)
    if not units:
        raise DataError(f"{path}: no usable unit in the evaluation file")
    return Evaluation(period, units)


def _load(path: Path) -> object:
    try:
        with path.open(encoding="utf-8-sig") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except json.JSONDecodeError as error:
        raise DataError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text ({error.reason})") from None


def _unit_list(path: Path, document: object) -> tuple[str, list[object]]:
    if isinstance(document, list):
        return "", document
    if isinstance(document, dict):
        period = values.text(document.get("Ky")) or ""
        for key in UNIT_LIST_KEYS:
            if isinstance(document.get(key), list):
                return period, document[key]
    raise DataError(
        f"{path}: expected a list of units, or an object with it under {', '.join(UNIT_LIST_KEYS)}"
    )


def _unit(
    path: Path, row: int, item: object, rejects: RejectLog, codes: dict[str, str]
) -> Official | None:
    code = values.text(item.get("MaDonVi")) if isinstance(item, dict) else None
    if not isinstance(item, dict) or code is None:
        rejects.add(TABLE, str(path), row, "MaDonVi", None, "a unit needs MaDonVi")
        return None
    name = values.text(item.get("TenDonVi")) or code
    level = level_of(values.text(item.get("Cap")) or "")
    official = Official(UnitInfo(code, name, level, values.text(item.get("MaDonViCha"))))
    for index, entry in enumerate(_list(item, "ChiSo", "DanhSachChiSo")):
        _indicator(path, row, f"ChiSo[{index}]", entry, official, rejects, codes)
    for index, entry in enumerate(_list(item, "NhomChiSo", "DanhSachNhom")):
        _group(path, row, f"NhomChiSo[{index}]", entry, official, rejects)
    if "TongDiem" in item:
        official.total = _score(path, row, "TongDiem", item["TongDiem"], rejects)
    return official


def _list(item: dict[str, object], *keys: str) -> list[object]:
    for key in keys:
        value = item.get(key)
        if isinstance(value, list):
            return value
    return []


def _indicator(
    path: Path,
    row: int,
    where: str,
    entry: object,
    official: Official,
    rejects: RejectLog,
    codes: dict[str, str],
) -> None:
    raw = values.text(entry.get("MaChiSo")) if isinstance(entry, dict) else None
    indicator = _indicator_id(raw, codes)
    if not isinstance(entry, dict) or indicator is None:
        reason = "unknown indicator code; add it with --option indicator-map=FILE (code,indicator)"
        rejects.add(TABLE, str(path), row, f"{where}.MaChiSo", raw, reason)
        return
    try:
        numerator = _count(entry.get("TuSo"))
        denominator = _count(entry.get("MauSo"))
    except ValueError as error:
        rejects.add(TABLE, str(path), row, f"{where}.TuSo/MauSo", None, str(error))
        return
    official.counts[indicator] = Count(numerator, denominator)  # both None: no data
    if "Diem" in entry:
        official.indicators[indicator] = _score(path, row, f"{where}.Diem", entry["Diem"], rejects)


def _indicator_id(raw: str | None, codes: dict[str, str]) -> str | None:
    """A portal code from the table, or one of dvc-score's own ids ("group.name")."""
    if raw is None:
        return None
    if raw in codes:
        return codes[raw]
    return raw if "." in raw and not raw[0].isdigit() else None


def _group(
    path: Path, row: int, where: str, entry: object, official: Official, rejects: RejectLog
) -> None:
    raw = None
    if isinstance(entry, dict):
        raw = values.text(entry.get("MaNhom")) or values.text(entry.get("TenNhom"))
    group = group_of(raw or "", set(GROUPS))
    if not isinstance(entry, dict) or group is None:
        reason = f"unknown group; one of {', '.join(GROUPS)} or the portal's group name"
        rejects.add(TABLE, str(path), row, f"{where}.MaNhom", raw, reason)
        return
    if "Diem" in entry:
        official.groups[group] = _score(path, row, f"{where}.Diem", entry["Diem"], rejects)


def _count(value: object) -> int | None:
    if value is None or value == "":
        return None
    number = values.amount(value)
    if not number.is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def _score(path: Path, row: int, column: str, value: object, rejects: RejectLog) -> object:
    if value is None:
        return None
    try:
        return values.amount(value)
    except ValueError as error:
        rejects.add(TABLE, str(path), row, column, values.text(value), f"not a score: {error}")
        return ABSENT
