"""One DongBoHoSoMC record -> one row of the normalized ``dossiers`` table.

Values the shared loader can judge (dates, channel, status text) are passed
through as text; what only this payload has (nested document, fee and
supplement lists, portal yes/no codes) is decided here. Mapping decisions:

- ``paid_online``: DuocThanhToanTrucTuyen 1 (paid on the national portal) or
  2 (paid through the province's payment gateway); 0 is not paid.
- ``digitized``: HoSoCoThanhPhanSoHoa = 1 (dossiers synced from ministries and
  provinces) or any TaiLieuNop[].DuocSoHoa = 1 (dossiers created on the portal).
- ``reused_data``: any TaiLieuNop[].DuocTaiSuDung = 1 or 2 (2: reused with a
  replacing result code, MaKetQuaThayThe).
- ``personal_store``: any TaiLieuNop[].DuocLayTuKhoDMQG = 1 (taken from the
  citizen's document store on the portal).
- ``citizen_data``: TaiKhoanDuocXacThucVoiVNeID = 1.
- ``e_result``: DanhSachGiayToKetQua holds at least one result document.
- ``fee_due``: the sum of DanhSachLePhi[].Gia (an empty list is 0, no list is unknown).
- ``supplement_requests``: the number of DanhSachHoSoBoSung entries;
  ``supplement_days``: the sum over entries of NgayTiepNhanBoSung - NgayBoSung.
- ``postal_return``: HinhThuc = 1 (OpenCPS sends 1 when the result goes by post).
- ``synced``: always true: the record is in the sync payload.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from dvc_score_dvcqg import fields, values

Row = dict[str, str | None]


class RecordProblem(Exception):
    """A record cannot be used; ``value`` is never a personal field's value."""

    def __init__(self, column: str, value: str | None, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


@dataclass(frozen=True)
class UnitIndex:
    """The units of units.csv, to resolve a record's handling unit by code or name."""

    codes: frozenset[str]
    names: Mapping[str, str]  # name key -> unit code, for names that are unique

    def resolve(self, value: str) -> str | None:
        if value in self.codes:
            return value
        return self.names.get(name_key(value))


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class RecordSettings:
    units: UnitIndex
    unit_fields: tuple[str, ...] = fields.UNIT_FIELDS
    default_unit: str | None = None


def build_row(record: object, settings: RecordSettings) -> Row:
    """The model row of one record; raises :class:`RecordProblem` when it is unusable."""
    if not isinstance(record, dict):
        raise RecordProblem("(record)", None, "a record must be a JSON object")
    row: Row = {column: values.text(record.get(f)) for f, column in fields.PASSED_THROUGH.items()}
    _check_status(record)
    row["unit_code"] = _unit(record, settings)
    row["service_code"] = _first_text(record, fields.SERVICE_FIELDS)
    row["synced"] = "true"
    row["paid_online"] = _flag(record, "DuocThanhToanTrucTuyen", yes=(1, 2))
    row["citizen_data"] = _flag(record, "TaiKhoanDuocXacThucVoiVNeID")
    row["postal_return"] = _flag(record, "HinhThuc")
    row.update(_documents(record))
    row["e_result"] = _bool_text(_non_empty(record, "DanhSachGiayToKetQua"))
    row["fee_due"] = _fees(record)
    row.update(_supplements(record))
    return row


def _check_status(record: Mapping[str, object]) -> None:
    try:
        status = values.code(record.get("TrangThaiHoSo"))
    except ValueError:
        return  # not a number at all: the shared loader rejects it as "status: not an integer"
    if status is not None and status not in fields.STATUS_CODES:
        raise RecordProblem(
            "TrangThaiHoSo", str(status), "unknown status (DVCQG statuses are 1-10)"
        )


def _unit(record: Mapping[str, object], settings: RecordSettings) -> str:
    for field in settings.unit_fields:
        value = values.text(record.get(field))
        if value is None:
            continue
        code = settings.units.resolve(value)
        if code is None:
            raise RecordProblem(field, value, "unit not in units.csv (by code or name)")
        return code
    if settings.default_unit is not None:
        return settings.default_unit
    tried = ", ".join(settings.unit_fields)
    raise RecordProblem(
        "(unit)", None, f"no handling unit: none of {tried} is set (or give --option unit=CODE)"
    )


def _first_text(record: Mapping[str, object], names: tuple[str, ...]) -> str | None:
    return next((v for v in (values.text(record.get(n)) for n in names) if v is not None), None)


def _flag(record: Mapping[str, object], field: str, yes: tuple[int, ...] = (1,)) -> str | None:
    return _flag_value(field, record.get(field), yes)


def _flag_value(column: str, value: object, yes: tuple[int, ...] = (1,)) -> str | None:
    return _guarded(column, value, lambda v: _bool_text(values.flag(v, yes)))


def _guarded(column: str, value: object, parse: Callable[[object], str | None]) -> str | None:
    try:
        return parse(value)
    except ValueError as error:
        raise RecordProblem(column, values.text(value), f"{column}: {error}") from None


def _bool_text(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def _items(record: Mapping[str, object], field: str) -> list[Mapping[str, object]] | None:
    """A nested list, also when wrapped as {"TaiLieuNop": [...]} (XML-derived payloads)."""
    value = record.get(field)
    if value is None:
        return None
    if isinstance(value, dict):
        lists = [v for v in value.values() if isinstance(v, list)]
        value = lists[0] if len(lists) == 1 else (value or [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RecordProblem(field, None, f"{field} must be a list of objects")
    return value


def _non_empty(record: Mapping[str, object], field: str) -> bool | None:
    items = _items(record, field)
    return None if items is None else bool(items)


def _documents(record: Mapping[str, object]) -> Row:
    documents = _items(record, "TaiLieuNop")
    whole = _flag(record, "HoSoCoThanhPhanSoHoa")
    if documents is None:
        return {"digitized": whole, "reused_data": None, "personal_store": None}
    digitized = _any_flag(documents, "DuocSoHoa") or whole == "true"
    return {
        "digitized": _bool_text(digitized),
        "reused_data": _bool_text(_any_flag(documents, "DuocTaiSuDung", yes=(1, 2))),
        "personal_store": _bool_text(_any_flag(documents, "DuocLayTuKhoDMQG")),
    }


def _any_flag(
    documents: list[Mapping[str, object]], name: str, yes: tuple[int, ...] = (1,)
) -> bool:
    """Whether any document says yes; every document's value is checked (and may reject)."""
    answers = [
        _flag_value(f"TaiLieuNop[{index}].{name}", item.get(name), yes)
        for index, item in enumerate(documents)
    ]
    return "true" in answers


def _fees(record: Mapping[str, object]) -> str | None:
    fees = _items(record, "DanhSachLePhi")
    if fees is None:
        return None
    total = 0.0
    for index, fee in enumerate(fees):
        name = next((n for n in fields.FEE_AMOUNT_FIELDS if n in fee), fields.FEE_AMOUNT_FIELDS[0])
        column = f"DanhSachLePhi[{index}].{name}"
        try:
            total += values.amount(fee.get(name))
        except ValueError as error:
            raise RecordProblem(column, values.text(fee.get(name)), f"{column}: {error}") from None
    return values.number_text(total)


def _supplements(record: Mapping[str, object]) -> Row:
    entries = _items(record, "DanhSachHoSoBoSung")
    if entries is None:
        return {"supplement_requests": None, "supplement_days": None}
    days: float | None = None
    for index, entry in enumerate(entries):
        asked = _entry_moment(entry, index, fields.SUPPLEMENT_REQUESTED)
        answered = _entry_moment(entry, index, fields.SUPPLEMENT_ANSWERED)
        if asked is not None and answered is not None:
            waited = (answered - asked).total_seconds() / 86400
            days = (days or 0.0) + max(waited, 0.0)
    return {
        "supplement_requests": str(len(entries)),
        "supplement_days": None if days is None else values.number_text(days),
    }


def _entry_moment(
    entry: Mapping[str, object], index: int, names: tuple[str, ...]
) -> datetime | None:
    name = next((n for n in names if n in entry), names[0])
    column = f"DanhSachHoSoBoSung[{index}].{name}"
    try:
        return values.moment(entry.get(name))
    except ValueError as error:
        raise RecordProblem(column, values.text(entry.get(name)), f"{column}: {error}") from None
