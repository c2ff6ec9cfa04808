"""Mapping decisions for one record, tested without DuckDB."""

from __future__ import annotations

from typing import Any

import pytest
from dvcqg_samples import PERSONAL

from dvc_score_dvcqg import fields
from dvc_score_dvcqg.records import RecordProblem, RecordSettings, UnitIndex, build_row

UNITS = UnitIndex(frozenset({"T01", "T01.01"}), {"sở tư pháp": "T01.01"})
SETTINGS = RecordSettings(UNITS)


def row(**fields: Any) -> dict[str, str | None]:
    return build_row({"MaHoSo": "A", "MaDonVi": "T01.01", **fields}, SETTINGS)


def problem(**fields: Any) -> RecordProblem:
    with pytest.raises(RecordProblem) as caught:
        row(**fields)
    return caught.value


@pytest.mark.parametrize(
    ("code", "paid"), [(1, "true"), ("2", "true"), ("0", "false"), (None, None)]
)
def test_paid_online_is_portal_code_1_or_2(code: object, paid: str | None) -> None:
    assert row(DuocThanhToanTrucTuyen=code)["paid_online"] == paid


def test_documents_decide_digitized_reused_and_personal_store() -> None:
    documents = [
        {"DuocSoHoa": "0", "DuocTaiSuDung": "2", "DuocLayTuKhoDMQG": "0"},
        {"DuocSoHoa": 1, "DuocTaiSuDung": 0, "DuocLayTuKhoDMQG": True},
    ]
    built = row(TaiLieuNop=documents)
    assert (built["digitized"], built["reused_data"], built["personal_store"]) == (
        "true", "true", "true",
    )  # fmt: skip
    assert row(HoSoCoThanhPhanSoHoa="1", TaiLieuNop=[])["digitized"] == "true"
    assert row()["digitized"] is None  # nothing said: unknown, not "no"
    wrapped = row(TaiLieuNop={"TaiLieuNop": [{"DuocSoHoa": "1"}]})  # XML-derived payloads
    assert wrapped["digitized"] == "true"


def test_fees_are_summed_in_either_number_style() -> None:
    assert (
        row(DanhSachLePhi=[{"Gia": "1.500.000"}, {"Gia": 20000}, {"SoTien": "0"}])["fee_due"]
        == "1520000"
    )
    assert row(DanhSachLePhi=[])["fee_due"] == "0"
    assert row()["fee_due"] is None


def test_supplement_days_add_up_over_requests() -> None:
    built = row(
        DanhSachHoSoBoSung=[
            {"NgayBoSung": "20260801080000", "NgayTiepNhanBoSung": "20260802200000"},
            {"NgayBoSung": "20260805080000"},  # not answered yet: counted, no waiting time
        ]
    )
    assert (built["supplement_requests"], built["supplement_days"]) == ("2", "1.5")


def test_e_result_needs_a_result_document() -> None:
    assert row(DanhSachGiayToKetQua=[{"TenGiayTo": "Giấy phép"}])["e_result"] == "true"
    assert row(DanhSachGiayToKetQua=[])["e_result"] == "false"


def test_units_resolve_by_code_then_unique_name() -> None:
    assert row(MaDonVi=None, DonViXuLy="  SỞ TƯ PHÁP ")["unit_code"] == "T01.01"
    assert problem(MaDonVi=None).column == "(unit)"
    assert problem(MaDonVi="T99").value == "T99"


@pytest.mark.parametrize(
    ("fields", "column"),
    [
        ({"TrangThaiHoSo": 11}, "TrangThaiHoSo"),
        ({"DuocThanhToanTrucTuyen": "5"}, "DuocThanhToanTrucTuyen"),
        ({"TaiLieuNop": [{"DuocSoHoa": "có"}]}, "TaiLieuNop[0].DuocSoHoa"),
        ({"TaiLieuNop": "x"}, "TaiLieuNop"),
        (
            {"DanhSachHoSoBoSung": [{"NgayBoSung": "31/02/2026"}]},
            "DanhSachHoSoBoSung[0].NgayBoSung",
        ),
    ],
)
def test_unusable_values_name_their_field(fields: dict[str, Any], column: str) -> None:
    assert problem(**fields).column == column


def test_personal_fields_are_never_read() -> None:
    built = row(**PERSONAL)
    assert not set(PERSONAL.values()) & {v for v in built.values() if v}
    with pytest.raises(RecordProblem) as caught:
        build_row(["not", "an", "object"], SETTINGS)
    assert caught.value.value is None


def test_no_field_read_is_a_personal_field() -> None:
    read = {*fields.PASSED_THROUGH, *fields.UNIT_FIELDS, *fields.SERVICE_FIELDS}
    assert not read & fields.PERSONAL_FIELDS
    assert set(PERSONAL) <= fields.PERSONAL_FIELDS  # the tests plant the fields listed
