"""The report's summary sentences, in Vietnamese (default) or English.

They follow the wording of a provincial quarterly report ("Toàn tỉnh đã tiếp
nhận 99.854 hồ sơ với 4.747 TTHC. Trong đó, 69.967 hồ sơ tiếp nhận trực tuyến
(chiếm 70,06%) …") so an officer can paste them into the report unchanged.
"""

from __future__ import annotations

from dvc_score.analysis.numfmt import fmt_int, fmt_pct
from dvc_score.analysis.stats_model import Figures, StatsReport

_SUBJECTS = {
    "vi": {
        "province": "Toàn tỉnh",
        "department": "Các sở, ban, ngành",
        "district": "Cấp huyện (gồm cả cấp xã)",
        "commune": "Cấp xã",
    },
    "en": {
        "province": "The province",
        "department": "Departments",
        "district": "Districts (communes included)",
        "commune": "Communes",
    },
}

_VI = {
    "received": "{s} đã tiếp nhận {received} hồ sơ với {procedures} TTHC. Trong đó, {online} hồ sơ"
    " tiếp nhận trực tuyến (chiếm {online_share}); {direct} hồ sơ tiếp nhận trực tiếp (chiếm"
    " {direct_share}); {postal} hồ sơ tiếp nhận qua bưu chính (chiếm {postal_share}).",
    "resolved": "Tổng số hồ sơ phải xử lý là {to_process} hồ sơ (bao gồm {carried_over} hồ sơ kỳ"
    " trước). Trong đó, đã giải quyết được {resolved} hồ sơ (chiếm {resolved_share}); {early} hồ"
    " sơ trả trước hạn (chiếm {early_share}), {on_time} hồ sơ trả đúng hạn (chiếm"
    " {on_time_share}); trễ hạn {late} hồ sơ (chiếm {late_share}).",
    "pending": "Đang giải quyết {in_progress} hồ sơ, trong đó {overdue} hồ sơ quá hạn.",
    "postal": "{s} đã tiếp nhận và trả {postal_total} hồ sơ qua dịch vụ bưu chính công ích."
    " Trong đó, tiếp nhận {postal_received} hồ sơ; trả kết quả là {postal_returned} hồ sơ.",
}

_EN = {
    "received": "{s} received {received} dossiers for {procedures} procedures: {online} online"
    " ({online_share}), {direct} in person ({direct_share}), {postal} by post ({postal_share}).",
    "resolved": "{to_process} dossiers were to be processed ({carried_over} carried over from"
    " earlier periods): {resolved} resolved ({resolved_share}); {early} early ({early_share}),"
    " {on_time} on time ({on_time_share}), {late} late ({late_share}).",
    "pending": "{in_progress} dossiers were still in progress at the end of the period,"
    " {overdue} of them overdue.",
    "postal": "{s} handled {postal_total} dossiers through the public postal service (BCCI):"
    " {postal_received} submitted and {postal_returned} results returned.",
}


def sentences(figures: Figures, subject: str, lang: str) -> list[str]:
    """The summary of one province or level; ``subject`` is a key of the subjects table."""
    templates = _EN if lang == "en" else _VI
    names = _SUBJECTS["en" if lang == "en" else "vi"]
    values = _values(figures, lang)
    values["s"] = names.get(subject, subject)
    return [template.format(**values) for template in templates.values()]


def summary(report: StatsReport, lang: str) -> dict[str, list[str]]:
    """Sentences for the province, then each level (departments, districts, communes)."""
    result = {"province": sentences(report.province.figures, "province", lang)}
    for level in report.levels:
        if level.level in _SUBJECTS["vi"]:
            result[level.level] = sentences(level.figures, level.level, lang)
    return result


def _values(figures: Figures, lang: str) -> dict[str, str]:
    values = {name: fmt_int(figures[name], lang) for name in figures.counts}
    values["procedures"] = fmt_int(figures.procedures, lang)
    for name in (
        "online_share",
        "direct_share",
        "postal_share",
        "resolved_share",
        "early_share",
        "on_time_share",
        "late_share",
    ):
        values[name] = fmt_pct(figures.share(name), lang)
    return values
