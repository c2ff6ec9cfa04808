"""Sync payloads written by the tests: Vietnamese names, planted personal data, broken records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

UNITS = """unit_code,unit_name,level,parent_code
T01,UBND tỉnh Mẫu,province,
T01.01,Sở Tư pháp,department,T01
T01.02,Sở Xây dựng,department,T01
T01.100,UBND xã Hòa Bình,commune,T01
"""
PROCEDURES = """\
procedure_code,unit_code,procedure_name,online_level,service_code,has_fee,paper_result
1.001,T01.01,Cấp Phiếu lý lịch tư pháp,full,DVC1001,true,true
1.002,T01.02,Cấp giấy phép xây dựng,partial,DVC1002,true,true
2.001,T01.100,Chứng thực bản sao từ bản chính,partial,DVC2001,true,false
"""

# Personal values planted in the payload: none may appear in any output.
PERSONAL = {
    "ChuHoSo": "Nguyễn Thị Hồng Nhung",
    "SoDienThoai": "0912345678",
    "Email": "hongnhung.nguyen@example.vn",
    "SoGiayTo": "001190012345",
    "DiaChi": "Số 12 ngõ 34 phố Hàng Bạc",
}


def record(dossier: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "MaHoSo": dossier,
        "MaTTHC": "1.001",
        "DonViXuLy": "Sở Tư pháp",
        "KenhThucHien": "2",
        "NgayTiepNhan": "20260803080000",
        "NgayHenTra": "20260810170000",
        "TrangThaiHoSo": "4",
        **PERSONAL,
    }
    base.update(fields)
    return base


GOOD = [
    # Finished early, paid online through the province gateway (2), e-result, digitized.
    record(
        "000.00.01.H99-260803-0001",
        TrangThaiHoSo=10,
        NgayKetThucXuLy="20260807100000",
        NgayTra="20260808090000",
        DuocThanhToanTrucTuyen=2,
        DanhSachLePhi=[{"Gia": "200.000"}],
        DanhSachGiayToKetQua=[{"TenGiayTo": "Phiếu lý lịch tư pháp"}],
        TaiLieuNop=[{"DuocSoHoa": "1", "DuocTaiSuDung": "2", "DuocLayTuKhoDMQG": "0"}],
        TaiKhoanDuocXacThucVoiVNeID="1",
    ),
    # Finished late: not on time.
    record(
        "000.00.01.H99-260804-0002",
        TrangThaiHoSo="9",
        NgayKetThucXuLy="20260812080000",
        DuocThanhToanTrucTuyen="0",
        DanhSachLePhi=[{"Gia": 100000}, {"Gia": "50000"}],
        DanhSachGiayToKetQua=[],
    ),
    # Late by one day, but the applicant took two days to supplement: on time.
    record(
        "000.00.02.H99-260805-0003",
        MaTTHC="1.002",
        DonViXuLy=None,
        MaDonVi="T01.02",
        KenhThucHien=1,
        TrangThaiHoSo=9,
        NgayHenTra="20260810170000",
        NgayKetThucXuLy="20260811170000",
        DanhSachHoSoBoSung=[
            {"NgayBoSung": "20260805090000", "NgayTiepNhanBoSung": "20260807090000"}
        ],
        DanhSachLePhi=[],
    ),
    # In progress at a commune, due after the period: on time; personal store used.
    record(
        "000.00.100.H99-260820-0004",
        MaTTHC="2.001",
        DonViXuLy="UBND xã Hòa Bình",
        KenhThucHien=3,
        NgayTiepNhan="20260820143000",
        NgayHenTra="20260903170000",
        TaiLieuNop=[{"DuocSoHoa": 0, "DuocTaiSuDung": 0, "DuocLayTuKhoDMQG": 1}],
    ),
]

BROKEN = [
    record("000.00.01.H99-260806-0005", NgayTiepNhan="20261345000000"),  # month 13
    record("000.00.01.H99-260806-0006", TrangThaiHoSo=12),  # not a DVCQG status
    record("", TrangThaiHoSo=2),  # no MaHoSo
    record("000.00.01.H99-260806-0008", DonViXuLy="Sở Không Có"),  # unknown unit
    record("000.00.01.H99-260806-0009", DanhSachLePhi=[{"Gia": "hai trăm"}]),  # bad fee
]


def write_folder(folder: Path, layout: str = "envelope", records: list[Any] | None = None) -> Path:
    """Units, procedures and one sync file in ``layout``: envelope, array or jsonl."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    (folder / "procedures.csv").write_text(PROCEDURES, encoding="utf-8")
    chosen = GOOD + BROKEN if records is None else records
    if layout == "jsonl":
        lines = [json.dumps(r, ensure_ascii=False) for r in chosen]
        (folder / "sync.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        body: Any = chosen if layout == "array" else {"service": "DongBoHoSoMC", "data": chosen}
        (folder / "sync.json").write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return folder
