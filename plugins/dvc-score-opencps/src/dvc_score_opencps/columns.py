"""SQL turning ``opencps_dossier`` columns into the normalized ``dossiers`` columns.

dvc-score's raw reader renames headers (``dossierNo`` -> ``dossierno``, and a
header that loosely matches a model column to that column: ``serviceCode`` ->
``service_code``), so OpenCPS fields are found by their letters and digits
alone (:func:`resolve`). Mapping decisions, following OpenCPS's own DVCQG sync
(``DVCQGIntegrationActionImpl``: NgayKetThucXuLy <- releaseDate, NgayTra <- finishDate):

- ``dossierNo`` -> ``dossier_id``; ``govAgencyCode`` -> ``unit_code``;
  ``serviceCode`` -> ``procedure_code`` unless the service map names another.
- ``submitDate``, ``receiveDate``, ``dueDate`` -> submitted/received/due;
  ``releaseDate`` (result ready) -> ``finished_at``; ``finishDate`` -> ``returned_at``.
  Dates are epoch milliseconds, ``yyyy-MM-dd HH:mm:ss`` or ``dd/MM/yyyy[ HH:mm:ss]``;
  epoch milliseconds are UTC and are shifted to Vietnam time (UTC+7).
- ``online`` (or the table's ``online_``) true/1 -> online; false/0 -> direct, or
  postal when ``fromViaPostal`` is 1 or 2 (submitted by post).
- ``viaPostal`` 2 (result sent by VNPost) -> ``postal_return``; 0 and 1 -> not.
- ``dossierStatus`` (+ ``dossierSubStatus``) -> ``status`` through the status map.
- Columns named like a model column (``fee_due``, ``paid_online``, ``e_result``,
  ``digitized``, ``rating``, ``supplement_days``, ``synced``, ...) pass through:
  deployments add them from joined tables (payment files, dossier files).

Anything not recognised is passed on as written, so dvc-score's shared loader
rejects it with its usual reason (``channel: not one of ...``, ``received_at: not a
date ...``) instead of it turning silently into "no".
"""

from __future__ import annotations

import re

from dvc_score.api import TABLES

from dvc_score_opencps.mapping import SERVICE_TABLE, STATUS_TABLE

# OpenCPS fields read, by key (letters and digits, lowercase) -> name as exported.
FIELDS = {
    "dossierno": "dossierNo",
    "govagencycode": "govAgencyCode",
    "servicecode": "serviceCode",
    "submitdate": "submitDate",
    "receivedate": "receiveDate",
    "duedate": "dueDate",
    "releasedate": "releaseDate",
    "finishdate": "finishDate",
    "dossierstatus": "dossierStatus",
    "dossiersubstatus": "dossierSubStatus",
    "online": "online",
    "viapostal": "viaPostal",
    "fromviapostal": "fromViaPostal",
}
REQUIRED = {
    "dossierno": "dossierNo",
    "govagencycode": "govAgencyCode",
    "servicecode": "serviceCode",
    "receivedate": "receiveDate",
    "dossierstatus": "dossierStatus",
}
DATES = {
    "submitdate": "submitted_at",
    "receivedate": "received_at",
    "duedate": "due_at",
    "releasedate": "finished_at",
    "finishdate": "returned_at",
}
COMPUTED = {
    "dossier_id", "unit_code", "procedure_code", "channel", "status", "postal_return",
    *DATES.values(),
}  # fmt: skip
_TRUE = "('true', '1', 't', 'yes', 'y')"
_FALSE = "('false', '0', 'f', 'no', 'n')"


def key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def resolve(found: set[str]) -> dict[str, str]:
    """OpenCPS field key -> the raw column holding it (``online_`` is the table's ``online``)."""
    resolved: dict[str, str] = {}
    for field in FIELDS:
        candidates = sorted(c for c in found if key(c) == field)
        if field in candidates:
            resolved[field] = field
        elif candidates:
            resolved[field] = candidates[0]
    return resolved


def text(column: str | None) -> str:
    """The trimmed cell, NULL when blank or when the column is absent."""
    return "CAST(NULL AS VARCHAR)" if column is None else f"NULLIF(trim(r.\"{column}\"), '')"


def moment(column: str | None) -> str:
    value = text(column)
    # 13 digits: epoch milliseconds, 2001-2286. Other text goes to the shared parser.
    epoch = f"CAST(epoch_ms(CAST({value} AS BIGINT)) + INTERVAL 7 HOUR AS VARCHAR)"
    return f"CASE WHEN regexp_full_match({value}, '[0-9]{{13}}') THEN {epoch} ELSE {value} END"


def channel(online: str | None, from_postal: str | None) -> str:
    flag = f"lower({text(online)})"
    return (
        f"CASE WHEN {flag} IN {_TRUE} THEN 'online'"
        f" WHEN {flag} IN {_FALSE} AND {text(from_postal)} IN ('1', '2') THEN 'postal'"
        f" WHEN {flag} IN {_FALSE} THEN 'direct' ELSE {text(online)} END"
    )


def postal_return(via_postal: str | None) -> str:
    value = text(via_postal)
    known = "WHEN '2' THEN 'true' WHEN '0' THEN 'false' WHEN '1' THEN 'false'"
    return f"CASE {value} {known} ELSE {value} END"


def staging_sql(staged: str, raw: str, found: set[str]) -> str:
    """CREATE the staged relation: model columns as text, plus the map lookups' verdicts."""
    fields = resolve(found)
    used = set(fields.values())
    select = {
        "dossier_id": text(fields["dossierno"]),
        "unit_code": text(fields["govagencycode"]),
        "procedure_code": f"COALESCE(sm.procedure_code, {text(fields['servicecode'])})",
        "channel": channel(fields.get("online"), fields.get("fromviapostal")),
        "status": "CAST(COALESCE(s1.code, s2.code) AS VARCHAR)",
        "postal_return": postal_return(fields.get("viapostal")),
        **{model: moment(fields.get(source)) for source, model in DATES.items()},
        **{
            c.name: text(c.name)
            for c in TABLES["dossiers"].columns
            if c.name not in COMPUTED and c.name in found and c.name not in used
        },
    }
    select.setdefault("service_code", text(None))  # filled from the catalog when absent
    status = text(fields["dossierstatus"])
    substatus = text(fields.get("dossiersubstatus"))
    listed = ", ".join(f'{expression} AS "{name}"' for name, expression in select.items())
    return (
        f"CREATE OR REPLACE TEMP TABLE {staged} AS SELECT r.__file, r.__row, {listed},"
        f" {status} AS __status_raw,"
        f" COALESCE(s1.code, s2.code) IS NULL AND {status} IS NOT NULL AS __status_unknown"
        f" FROM {raw} r"
        f" LEFT JOIN {STATUS_TABLE} s1 ON s1.status = lower({status})"
        f" AND s1.substatus <> '' AND s1.substatus = lower({substatus})"
        f" LEFT JOIN {STATUS_TABLE} s2 ON s2.status = lower({status}) AND s2.substatus = ''"
        f" LEFT JOIN {SERVICE_TABLE} sm ON sm.service_code = {text(fields['servicecode'])}"
    )
