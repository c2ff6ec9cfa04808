"""OpenCPS exports written by the tests: mixed date formats, personal data, broken rows."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path

UNITS = """unit_code,unit_name,level,parent_code
T01,UBND tỉnh Mẫu,province,
T01.01,Sở Tư pháp,department,T01
T01.100,UBND xã Hòa Bình,commune,T01
"""
PROCEDURES = """\
procedure_code,unit_code,procedure_name,online_level,service_code,has_fee,paper_result
1.001,T01.01,Cấp Phiếu lý lịch tư pháp,full,DVC1001,true,true
2.001,T01.100,Chứng thực bản sao từ bản chính,partial,DVC2001,true,false
"""
HEADER = [
    "dossierId", "dossierNo", "serviceCode", "serviceName", "govAgencyCode", "govAgencyName",
    "applicantName", "applicantIdNo", "address", "contactName", "contactTelNo", "contactEmail",
    "online", "viaPostal", "submitDate", "receiveDate", "dueDate", "extendDate", "releaseDate",
    "finishDate", "dossierStatus", "dossierSubStatus", "lockState", "fee_due", "paid_online",
]  # fmt: skip
PERSONAL = {
    "applicantName": "Trần Văn Khoa",
    "applicantIdNo": "036088001234",
    "address": "Thôn Đông, xã Hòa Bình",
    "contactName": "Trần Thị Lụa",
    "contactTelNo": "0987001122",
    "contactEmail": "khoa.tran@example.vn",
}
VN = timezone(timedelta(hours=7))


def epoch_ms(local: str) -> str:
    """A local (UTC+7) 'yyyy-MM-dd HH:mm' as OpenCPS's epoch milliseconds."""
    moment = datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=VN)
    return str(int(moment.timestamp() * 1000))


def dossier(number: str, **fields: str) -> dict[str, str]:
    row = {name: "" for name in HEADER}
    row.update(
        dossierId=number[-4:], dossierNo=number, serviceCode="1.001", serviceName="Cấp phiếu",
        govAgencyCode="T01.01", govAgencyName="Sở Tư pháp", online="true", viaPostal="0",
        receiveDate="2026-08-03 08:00:00", dueDate="2026-08-10 17:00:00",
        dossierStatus="processing", **PERSONAL,
    )  # fmt: skip
    row.update(fields)
    return row


ROWS = [
    # Done early: epoch dates, paid online, result by post.
    dossier(
        "HS-0001",
        receiveDate=epoch_ms("2026-08-03 08:00"),
        dueDate=epoch_ms("2026-08-10 17:00"),
        releaseDate=epoch_ms("2026-08-07 10:00"),
        finishDate="08/08/2026",
        dossierStatus="done",
        viaPostal="2",
        fee_due="200000",
        paid_online="1",
    ),
    # Finished late (released after the due date), day-first dates, direct.
    dossier(
        "HS-0002",
        online="0",
        receiveDate="04/08/2026 08:00:00",
        dueDate="05/08/2026 17:00:00",
        releaseDate="06/08/2026 09:00:00",
        dossierStatus="releasing",
    ),
    # Received just after midnight on 1 September local time: not in August.
    dossier(
        "HS-0003", receiveDate=epoch_ms("2026-09-01 03:00"), dueDate=epoch_ms("2026-09-10 17:00")
    ),
    # A commune's dossier in progress, not yet due; status given in capitals.
    dossier(
        "HS-0004",
        serviceCode="2.001",
        govAgencyCode="T01.100",
        online="FALSE",
        receiveDate="2026-08-20 14:30:00",
        dueDate="2026-09-03 17:00:00",
        dossierStatus="WAITING",
    ),
    # Withdrawn: not judged.
    dossier("HS-0005", dossierStatus="cancelled"),
]
BROKEN = [
    dossier("HS-0006", dossierStatus="expired"),  # not in the status map
    dossier("HS-0007", govAgencyCode="T99.99"),  # not a unit
    dossier("HS-0008", online="có lẽ"),  # neither true nor false
    dossier("HS-0009", receiveDate="31/02/2026"),  # no such day
    dossier("", dossierStatus="new"),  # no dossierNo
]


def write_folder(folder: Path, rows: list[dict[str, str]] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    (folder / "procedures.csv").write_text(PROCEDURES, encoding="utf-8")
    with (folder / "opencps_dossier.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, HEADER)
        writer.writeheader()
        writer.writerows(ROWS + BROKEN if rows is None else rows)
    return folder
