"""The DongBoHoSoMC fields this adapter reads, and the ones it must never touch.

Only the fields named here are read; every other field of a record is ignored,
so personal data (applicant names, phone numbers, e-mail and ID numbers,
addresses) cannot reach the dataset, the reject file or a message by accident.
``PERSONAL_FIELDS`` exists for the tests that check exactly that.
"""

from __future__ import annotations

# Payload field -> model column, for values passed through as text and parsed
# by dvc-score's shared loader (dates, codes).
PASSED_THROUGH: dict[str, str] = {
    "MaHoSo": "dossier_id",
    "MaTTHC": "procedure_code",
    "KenhThucHien": "channel",
    "NgayNopHoSo": "submitted_at",
    "NgayTiepNhan": "received_at",
    "NgayHenTra": "due_at",
    "NgayKetThucXuLy": "finished_at",
    "NgayTra": "returned_at",
    "TrangThaiHoSo": "status",
}

# Where the handling unit is named. Vendors differ: OpenCPS sends the agency
# *name* in DonViXuLy, others send a code in MaDonVi / MaCoQuan. The first
# non-empty field wins; a value is matched to units.csv by code, then by name.
UNIT_FIELDS: tuple[str, ...] = (
    "MaDonViXuLy",
    "MaCoQuanXuLy",
    "MaCoQuanThucHien",
    "MaDonVi",
    "MaCoQuan",
    "DonViXuLy",
    "CoQuanThucHien",
)

# An online service code is not part of the standard payload; some vendors add it.
SERVICE_FIELDS: tuple[str, ...] = ("MaDVC", "MaDichVuCong")

# Keys under which an envelope object carries its list of records.
ENVELOPE_KEYS: tuple[str, ...] = ("data", "HoSo", "DanhSachHoSo", "result", "items")

# Nested-list field names, with the alternatives seen in vendor payloads.
FEE_AMOUNT_FIELDS: tuple[str, ...] = ("Gia", "SoTien", "MucPhi")
SUPPLEMENT_REQUESTED: tuple[str, ...] = ("NgayBoSung", "NgayYeuCauBoSung")
SUPPLEMENT_ANSWERED: tuple[str, ...] = ("NgayTiepNhanBoSung", "NgayHoanThanhBoSung")

PERSONAL_FIELDS: frozenset[str] = frozenset(
    {
        "ChuHoSo", "TenChuHoSo", "SoDienThoai", "Email", "Fax", "SoCMND", "SoGiayTo",
        "SoGiayToChuHoSo", "SoDinhDanh", "DiaChi", "DiaChiChuHoSo", "NgaySinh",
        "NguoiUyQuyen", "SoDienThoaiNguoiUyQuyen", "EmailNguoiUyQuyen", "SoGiayToNguoiUyQuyen",
        "DiaChiNguoiUyQuyen", "MaDoiTuong", "TrichYeuHoSo", "GhiChu", "ThongTinKhac",
    }
)  # fmt: skip

STATUS_CODES = range(1, 11)  # TrangThaiHoSo 1 (new) .. 10 (result returned)
