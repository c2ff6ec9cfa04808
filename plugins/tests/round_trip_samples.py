"""One set of dossiers, written three ways: DVCQG sync JSON, OpenCPS CSV, normalized CSV.

The dossiers are generated deterministically from their index so that every
attribute the national rules read varies: units, channels, statuses, due and
finish times around the due date, supplements, fees and payment, result and
data-reuse flags. Each writer uses its source's own conventions (codes, field
names, date layouts); dates are mixed within a file the way real exports mix
them. Broken rows are broken in every format and must be rejected by each;
personal values are planted where the source has such fields and must not
appear in any output.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

UNITS = """unit_code,unit_name,level,parent_code,e_certified_copy
T01,UBND tỉnh Mẫu,province,,
T01.01,Sở Tư pháp,department,T01,
T01.02,Sở Xây dựng,department,T01,
T01.100,UBND xã Hòa Bình,commune,T01,1
T01.101,UBND phường Đông Hà,commune,T01,0
"""
# Per unit: (procedure code, online service code, has fee, paper result, max days).
CATALOG = {
    "T01.01": [("1.001", "DVC1001", True, True, 10), ("1.002", "DVC1002", False, True, 5)],
    "T01.02": [("1.010", "DVC1010", True, True, 20), ("1.011", "", False, False, 15)],
    "T01.100": [("2.001", "DVC2001", True, False, 3), ("2.002", "DVC2002", False, True, 5)],
    "T01.101": [("2.001", "DVC2001", True, False, 3), ("2.003", "", True, True, 7)],
}
PETITIONS = """petition_id,unit_code,received_at,due_at,resolved_at,rating,category
PA-01,T01.01,02/08/2026 09:00,22/08/2026 17:00,12/08/2026 10:00,satisfied,Thủ tục
PA-02,T01.100,10/08/2026 09:00,31/08/2026 17:00,,,Hành vi cán bộ
PA-03,T01.02,01/07/2026 09:00,20/07/2026 17:00,25/08/2026 10:00,unsatisfied,Quy định
"""
PERSONAL = {
    "name": "Lê Thị Thu Hương",
    "phone": "0903111222",
    "email": "thuhuong.le@example.vn",
    "id_number": "079185003456",
    "address": "Số 8 đường Trần Phú, phường Đông Hà",
}
STATUSES = [10, 9, 4, 5, 10, 3, 7, 10, 8, 6, 10, 9]
OPENCPS_STATUS = {
    3: "denied", 4: "processing", 5: "waiting", 6: "paying", 7: "cancelled", 8: "unresolved",
    9: "releasing", 10: "done",
}  # fmt: skip
VN = timezone(timedelta(hours=7))


@dataclass
class Dossier:
    dossier_id: str
    unit: str
    procedure: str
    service: str
    channel: str  # direct | online | postal
    received: datetime | None
    due: datetime
    status: int | str
    finished: datetime | None = None
    returned: datetime | None = None
    supplements: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    fee: int = 0
    paid: bool = False
    e_result: bool = False
    digitized: bool = False
    reused: bool = False
    personal_store: bool = False
    citizen_data: bool = False
    postal_return: bool = False
    broken: str = ""  # which source field is made unusable

    @property
    def supplement_days(self) -> float | None:
        waited = [(b - a).total_seconds() / 86400 for a, b in self.supplements if b is not None]
        return sum(waited) if waited else None


def make_dossier(i: int) -> Dossier:
    unit = list(CATALOG)[i % 4]
    procedure, service, has_fee, _, _ = CATALOG[unit][(i // 2) % 2]
    # Day 1..28 of August, some in late July (carried over), one in September.
    received = datetime(2026, 8, 1) + timedelta(days=(i * 5) % 28, hours=8 + i % 9)
    if i % 4 == 0:
        received = received.replace(hour=0)  # midnight: also writable as a bare date
    if i in (3, 17):
        received -= timedelta(days=20)
    if i == 22:
        received = datetime(2026, 9, 1, 0, 0)
    due = (received + timedelta(days=3 + i % 5)).replace(hour=17)
    status = STATUSES[i % len(STATUSES)]
    dossier = Dossier(f"000.00.{i:02d}.H99-2608-{i:04d}", unit, procedure, service,
                      ("direct", "online", "postal", "online")[i % 4], received, due, status)  # fmt: skip
    if status in (9, 10):
        # Finished between two days early and two days late, at 10:30.
        dossier.finished = (due + timedelta(days=i % 5 - 2)).replace(hour=10, minute=30)
        if status == 10:
            dossier.returned = dossier.finished + timedelta(days=1)
    if i % 6 == 0:
        asked = received + timedelta(days=1)
        dossier.supplements.append((asked, asked + timedelta(days=1, hours=12)))
    if i % 11 == 0:
        dossier.supplements.append((received + timedelta(days=2), None))
    dossier.fee = 50_000 * (1 + i % 4) if has_fee and i % 3 else 0
    dossier.paid = dossier.fee > 0 and i % 2 == 0
    dossier.e_result = dossier.finished is not None and i % 3 != 1
    dossier.digitized, dossier.reused = i % 3 == 0, i % 5 == 0
    dossier.personal_store, dossier.citizen_data = i % 7 == 0, i % 2 == 1
    dossier.postal_return = i % 8 == 0
    return dossier


GOOD = [make_dossier(i) for i in range(24)]
BROKEN = [
    Dossier("000.00.01.H99-2608-0901", "T01.01", "1.001", "DVC1001", "online",
            datetime(2026, 8, 5, 9), datetime(2026, 8, 9, 17), 4, broken="received"),
    Dossier("000.00.01.H99-2608-0902", "T01.01", "1.001", "DVC1001", "online",
            datetime(2026, 8, 5, 9), datetime(2026, 8, 9, 17), "unknown", broken="status"),
    Dossier("000.00.99.H99-2608-0903", "T99.99", "1.001", "DVC1001", "direct",
            datetime(2026, 8, 5, 9), datetime(2026, 8, 9, 17), 4, broken="unit"),
    Dossier("", "T01.02", "1.010", "DVC1010", "direct",
            datetime(2026, 8, 6, 9), datetime(2026, 8, 9, 17), 4, broken="id"),
]  # fmt: skip
ALL = GOOD + BROKEN


def write_tables(folder: Path) -> Path:
    """units, procedures and petitions: the same files beside every source."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    (folder / "petitions.csv").write_text(PETITIONS, encoding="utf-8")
    header = (
        "procedure_code,unit_code,procedure_name,online_level,service_code,has_fee,"
        "payment_integrated,paper_result,for_citizens,max_duration_days\n"
    )
    lines = [
        f"{code},{unit},Thủ tục {code},{'full' if service else 'none'},{service},"
        f"{int(fee)},{int(fee)},{int(paper)},1,{days}\n"
        for unit, rows in CATALOG.items()
        for code, service, fee, paper, days in rows
    ]
    (folder / "procedures.csv").write_text(header + "".join(lines), encoding="utf-8-sig")
    return folder


# --- the normalized model ---------------------------------------------------------------

NORMALIZED_COLUMNS = [
    "dossier_id", "unit_code", "procedure_code", "service_code", "channel", "received_at",
    "due_at", "finished_at", "returned_at", "status", "supplement_requests", "supplement_days",
    "synced", "fee_due", "paid_online", "e_result", "digitized", "reused_data",
    "personal_store", "citizen_data", "postal_return",
]  # fmt: skip
NORMALIZED_DATES = ("%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y%m%d%H%M%S")


def write_normalized(folder: Path) -> Path:
    write_tables(folder)
    with (folder / "dossiers.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(NORMALIZED_COLUMNS)
        writer.writerows(_normalized_row(n, d) for n, d in enumerate(ALL))
    return folder


def _normalized_row(n: int, d: Dossier) -> list[str]:
    def when(value: datetime | None) -> str:
        return "" if value is None else value.strftime(NORMALIZED_DATES[n % 3])

    def yes(value: bool) -> str:
        return ("có", "1", "true")[n % 3] if value else ("không", "0", "false")[n % 3]

    received = "31/02/2026" if d.broken == "received" else when(d.received)
    status = "đang xử lý?" if d.broken == "status" else str(d.status)
    days = d.supplement_days
    return [
        d.dossier_id, d.unit, d.procedure, d.service, d.channel, received, when(d.due),
        when(d.finished), when(d.returned), status,
        str(len(d.supplements)) if d.supplements else "", "" if days is None else str(days),
        "1", str(d.fee), yes(d.paid), yes(d.e_result), yes(d.digitized), yes(d.reused),
        yes(d.personal_store), yes(d.citizen_data), yes(d.postal_return),
    ]  # fmt: skip


# --- the DVCQG sync payload (DongBoHoSoMC) ------------------------------------------------

CHANNEL_CODES = {"direct": 1, "online": 2, "postal": 3}


def write_dvcqg(folder: Path) -> Path:
    write_tables(folder)
    records = [_dvcqg_record(n, d) for n, d in enumerate(ALL)]
    body = {"service": "DongBoHoSoMC", "isUpdating": False, "data": records}
    text = json.dumps(body, ensure_ascii=False, indent=1)
    (folder / "DongBoHoSoMC-2026-08.json").write_text(text, encoding="utf-8")
    return folder


def _compact(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y%m%d%H%M%S")


def _dvcqg_record(n: int, d: Dossier) -> dict[str, Any]:
    unit_field = ("MaDonVi", "DonViXuLy")[n % 2]
    unit_value = d.unit if unit_field == "MaDonVi" else _unit_name(d.unit)
    return {
        "MaHoSo": d.dossier_id,
        "MaTTHC": d.procedure,
        unit_field: unit_value,
        "KenhThucHien": CHANNEL_CODES[d.channel] if n % 2 else str(CHANNEL_CODES[d.channel]),
        "ChuHoSo": PERSONAL["name"],
        "SoDienThoai": PERSONAL["phone"],
        "Email": PERSONAL["email"],
        "SoGiayToChuHoSo": PERSONAL["id_number"],
        "DiaChiChuHoSo": PERSONAL["address"],
        "NgayTiepNhan": "20260231090000" if d.broken == "received" else _compact(d.received),
        "NgayHenTra": _compact(d.due),
        "NgayKetThucXuLy": _compact(d.finished),
        "NgayTra": _compact(d.returned),
        "TrangThaiHoSo": 13 if d.broken == "status" else (d.status if n % 2 else str(d.status)),
        "DuocThanhToanTrucTuyen": (1 + n % 2) if d.paid else 0,
        "TaiKhoanDuocXacThucVoiVNeID": int(d.citizen_data),
        "HinhThuc": str(int(d.postal_return)),
        "TaiLieuNop": [
            {
                "TenTepDinhKem": "Tờ khai.pdf",
                "DuocSoHoa": int(d.digitized),
                "DuocTaiSuDung": (2 if n % 2 else 1) if d.reused else 0,
                "DuocLayTuKhoDMQG": str(int(d.personal_store)),
            },
        ],
        "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "Gia": f"{d.fee:,}".replace(",", ".")}]
        if d.fee
        else [],
        "DanhSachGiayToKetQua": [{"TenGiayTo": "Kết quả"}] if d.e_result else [],
        **(
            {
                "DanhSachHoSoBoSung": [
                    {"NgayBoSung": _compact(a), "NgayTiepNhanBoSung": _compact(b)}
                    for a, b in d.supplements
                ]
            }
            if d.supplements
            else {}
        ),
    }


def _unit_name(code: str) -> str:
    for line in UNITS.splitlines()[1:]:
        parts = line.split(",")
        if parts[0] == code:
            return parts[1]
    return "Đơn vị không có trong danh mục"


# --- the OpenCPS export (opencps_dossier) ----------------------------------------------------

OPENCPS_COLUMNS = [
    "dossierId", "dossierNo", "serviceCode", "govAgencyCode", "govAgencyName", "applicantName",
    "applicantIdNo", "address", "contactTelNo", "contactEmail", "online", "fromViaPostal",
    "viaPostal", "receiveDate", "dueDate", "extendDate", "releaseDate", "finishDate",
    "dossierStatus", "lockState", "fee_due", "paid_online", "e_result", "digitized",
    "reused_data", "personal_store", "citizen_data", "supplement_requests", "supplement_days",
    "synced",
]  # fmt: skip


def write_opencps(folder: Path) -> Path:
    write_tables(folder)
    with (folder / "opencps_dossier.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OPENCPS_COLUMNS)
        writer.writerows(_opencps_row(n, d) for n, d in enumerate(ALL))
    return folder


def _opencps_date(n: int, value: datetime | None) -> str:
    """Epoch milliseconds, 'yyyy-MM-dd HH:mm:ss', or dd/MM/yyyy for a midnight time."""
    if value is None:
        return ""
    if value.hour == value.minute == 0 and n % 2 == 0:
        return value.strftime("%d/%m/%Y")
    if n % 3 == 0:
        return str(int(value.replace(tzinfo=VN).timestamp() * 1000))
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _opencps_row(n: int, d: Dossier) -> list[str]:
    status = "expired" if d.broken == "status" else OPENCPS_STATUS[int(d.status)]
    received = "31/02/2026" if d.broken == "received" else _opencps_date(n, d.received)
    days = d.supplement_days
    return [
        str(9000 + n), d.dossier_id, d.procedure, d.unit, _unit_name(d.unit), PERSONAL["name"],
        PERSONAL["id_number"], PERSONAL["address"], PERSONAL["phone"], PERSONAL["email"],
        ("true", "1")[n % 2] if d.channel == "online" else ("false", "0")[n % 2],
        "1" if d.channel == "postal" else "0", "2" if d.postal_return else str(n % 2),
        received, _opencps_date(n, d.due), "", _opencps_date(n + 1, d.finished),
        _opencps_date(n, d.returned), status, "", str(d.fee), str(int(d.paid)),
        str(int(d.e_result)), str(int(d.digitized)), str(int(d.reused)),
        str(int(d.personal_store)), str(int(d.citizen_data)),
        str(len(d.supplements)) if d.supplements else "", "" if days is None else str(days), "1",
    ]  # fmt: skip
