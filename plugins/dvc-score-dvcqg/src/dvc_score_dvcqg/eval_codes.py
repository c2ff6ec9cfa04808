"""Portal indicator codes, group names and unit levels -> dvc-score ids.

The portal's evaluation views number indicators by group ("1.4 Tỷ lệ hồ sơ đồng
bộ", "2.1 Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", ...), following the indicator
description published with the 2025-26 sheet ("Mô tả công thức tính chỉ số 766").
The payment items sit in group 3 there; the population-data item (4.5) has two
parts, written 4.5a (procedures) and 4.5b (dossiers) here. Codes the portal may
use that are not listed can be added with ``--option indicator-map=FILE``
(CSV ``code,indicator``); dvc-score's own ids are always accepted as they are.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from dvc_score.api import DataError

INDICATOR_CODES: dict[str, str] = {
    "1.1": "publicity.published_on_time",
    "1.2": "publicity.updated_on_time",
    "1.3": "publicity.content_complete",
    "1.4": "publicity.dossier_sync",
    "2.1": "timeliness.on_time",
    "3.1": "online.procedures_online",
    "3.2": "online.services_with_dossiers",
    "3.3": "online.online_dossiers",
    "3.4": "payment.procedures_with_online_payment",
    "3.5": "payment.procedures_integrated",
    "3.6": "payment.dossiers_paid_online",
    "4.1": "digitization.e_result",
    "4.2": "digitization.digitized",
    "4.3": "digitization.reused",
    "4.4": "digitization.personal_store",
    "4.5a": "digitization.citizen_data_procedures",
    "4.5b": "digitization.citizen_data_dossiers",
    "4.6": "digitization.certified_copy",
    "5.2": "satisfaction.petitions_on_time",
    "5.3": "satisfaction.petitions_satisfied",
    "5.4": "satisfaction.dossier_satisfaction",
}

# Group names as the portal shows them (compared without diacritics or case).
GROUP_NAMES: dict[str, str] = {
    "cong khai, minh bach": "publicity",
    "tien do, ket qua giai quyet": "timeliness",
    "dich vu cong truc tuyen": "online",
    "thanh toan truc tuyen": "payment",
    "so hoa ho so": "digitization",
    "muc do hai long": "satisfaction",
}

LEVELS: dict[str, str] = {
    "tinh": "province",
    "cap tinh": "province",
    "so": "department",
    "so, nganh": "department",
    "so, ban, nganh": "department",
    "ban nganh": "department",
    "huyen": "district",
    "cap huyen": "district",
    "xa": "commune",
    "cap xa": "commune",
    "phuong": "commune",
    "thi tran": "commune",
    **{level: level for level in ("province", "department", "district", "commune")},
}


def plain(text: str) -> str:
    """Lowercase without Vietnamese diacritics ("Sở, ngành" -> "so, nganh")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def level_of(value: str) -> str:
    return LEVELS.get(plain(value), value.strip())


def group_of(value: str, known: set[str]) -> str | None:
    if value in known:
        return value
    return GROUP_NAMES.get(plain(value))


def indicator_map(extra: Path | None) -> dict[str, str]:
    """The built-in code table, extended or overridden by a ``code,indicator`` CSV."""
    table = dict(INDICATOR_CODES)
    if extra is None:
        return table
    try:
        with extra.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"code", "indicator"} <= set(reader.fieldnames or ()):
                raise DataError(f"{extra}: an indicator map needs the columns code,indicator")
            for row in reader:
                code, indicator = (row["code"] or "").strip(), (row["indicator"] or "").strip()
                if code and indicator:
                    table[code] = indicator
    except OSError as error:
        raise DataError(f"{extra}: cannot read the indicator map ({error.strerror})") from None
    return table
