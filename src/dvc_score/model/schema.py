"""The normalized data model: the tables every adapter produces.

Column names are a stable contract (domain.md §4): adapters may add columns but
never rename these. Types are DuckDB types. All timestamps are local wall-clock
time in Asia/Ho_Chi_Minh (UTC+7), stored as naive ``TIMESTAMP``.
"""

from __future__ import annotations

from dataclasses import dataclass

UNIT_LEVELS = ("province", "department", "district", "commune")
CHANNELS = ("direct", "online", "postal")
ONLINE_LEVELS = ("none", "partial", "full")
RATINGS = ("satisfied", "unsatisfied")

# DVCQG dossier status codes (TrangThaiHoSo).
DOSSIER_STATUSES: dict[int, str] = {
    1: "new",
    2: "received",
    3: "refused at reception",
    4: "processing",
    5: "supplement requested",
    6: "awaiting payment",
    7: "withdrawn",
    8: "stopped",
    9: "finished",
    10: "result returned",
}


@dataclass(frozen=True)
class Column:
    """One column of a normalized table."""

    name: str
    type: str
    required: bool = True
    doc: str = ""


@dataclass(frozen=True)
class Table:
    """One normalized table and its columns."""

    name: str
    columns: tuple[Column, ...]
    key: str
    doc: str = ""

    def column(self, name: str) -> Column | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)


def _c(name: str, type_: str, doc: str = "", required: bool = True) -> Column:
    return Column(name, type_, required, doc)


UNITS = Table(
    "units",
    (
        _c("unit_code", "VARCHAR", "unit code, e.g. H44.100"),
        _c("unit_name", "VARCHAR", "unit name"),
        _c("level", "VARCHAR", "province | department | district | commune"),
        _c("parent_code", "VARCHAR", "parent unit code; empty for the root", required=False),
        _c(
            "e_certified_copy",
            "BOOLEAN",
            "the unit offers electronic certified copies (chứng thực bản sao điện tử)",
            required=False,
        ),
    ),
    key="unit_code",
    doc="Administrative units (đơn vị): province, departments, districts, communes.",
)

PROCEDURES = Table(
    "procedures",
    (
        _c("procedure_code", "VARCHAR", "national procedure code, e.g. 1.005129"),
        _c("unit_code", "VARCHAR", "the unit applying the procedure"),
        _c("procedure_name", "VARCHAR", "procedure name", required=False),
        _c("online_level", "VARCHAR", "none | partial | full", required=False),
        _c("service_code", "VARCHAR", "online public service code", required=False),
        _c("has_fee", "BOOLEAN", "the procedure carries a non-zero fee", required=False),
        _c("payment_integrated", "BOOLEAN", "integrated with online payment", required=False),
        _c("paper_result", "BOOLEAN", "the procedure returns a paper result", required=False),
        _c("for_citizens", "BOOLEAN", "the procedure serves citizens", required=False),
        _c("max_duration_days", "DOUBLE", "legal maximum processing time, days", required=False),
        _c("decision_date", "DATE", "publication decision date", required=False),
        _c("legal_effective_date", "DATE", "legal basis effective date", required=False),
        _c("published_date", "DATE", "made public on the national database", required=False),
        _c("content_complete", "BOOLEAN", "every required component published", required=False),
    ),
    key="procedure_code",
    doc="The procedure catalog, one row per procedure and applying unit.",
)

DOSSIERS = Table(
    "dossiers",
    (
        _c("dossier_id", "VARCHAR", "dossier id (MaHoSo)"),
        _c("unit_code", "VARCHAR", "the unit handling the dossier"),
        _c("procedure_code", "VARCHAR", "procedure code (MaTTHC)"),
        _c("service_code", "VARCHAR", "online service code", required=False),
        _c("channel", "VARCHAR", "direct | online | postal (KenhThucHien 1/2/3)", required=False),
        _c("submitted_at", "TIMESTAMP", "submitted", required=False),
        _c("received_at", "TIMESTAMP", "received (NgayTiepNhan)"),
        _c("due_at", "TIMESTAMP", "due (NgayHenTra)", required=False),
        _c("finished_at", "TIMESTAMP", "end of processing (NgayKetThucXuLy)", required=False),
        _c("returned_at", "TIMESTAMP", "result returned (NgayTra)", required=False),
        _c("status", "INTEGER", "DVCQG status code 1-10 (TrangThaiHoSo)"),
        _c("supplement_requests", "INTEGER", "number of supplement requests", required=False),
        _c(
            "supplement_days",
            "DOUBLE",
            "days waiting for the applicant's supplements",
            required=False,
        ),
        _c("synced", "BOOLEAN", "synced to the national portal", required=False),
        _c("fee_due", "DOUBLE", "fees and charges due, VND", required=False),
        _c("paid_online", "BOOLEAN", "paid online", required=False),
        _c("e_result", "BOOLEAN", "has an electronic result", required=False),
        _c("digitized", "BOOLEAN", "has digitized components", required=False),
        _c("reused_data", "BOOLEAN", "reuses digitized data", required=False),
        _c("personal_store", "BOOLEAN", "uses the citizen's personal data store", required=False),
        _c("citizen_data", "BOOLEAN", "uses national population data (VNeID)", required=False),
        _c("rating", "VARCHAR", "satisfied | unsatisfied | empty", required=False),
        _c("complaint", "BOOLEAN", "a complaint was filed", required=False),
        _c("postal_return", "BOOLEAN", "result returned by post (BCCI)", required=False),
    ),
    key="dossier_id",
    doc="Dossiers (hồ sơ), one row per dossier.",
)

PETITIONS = Table(
    "petitions",
    (
        _c("petition_id", "VARCHAR", "petition id"),
        _c("unit_code", "VARCHAR", "the unit handling the petition"),
        _c("received_at", "TIMESTAMP", "received"),
        _c("due_at", "TIMESTAMP", "due", required=False),
        _c("resolved_at", "TIMESTAMP", "resolved", required=False),
        _c("rating", "VARCHAR", "satisfied | unsatisfied | empty", required=False),
        _c("category", "VARCHAR", "category", required=False),
    ),
    key="petition_id",
    doc="Petitions (phản ánh, kiến nghị, PAKN).",
)

TABLES: dict[str, Table] = {t.name: t for t in (UNITS, PROCEDURES, DOSSIERS, PETITIONS)}

# Tables whose rows may be joined into another table's expressions under an
# alias: dossier expressions may read ``procedure.<column>`` (the catalog row of
# the dossier's procedure at its unit).
LOOKUPS: dict[str, dict[str, str]] = {"dossiers": {"procedure": "procedures"}}
