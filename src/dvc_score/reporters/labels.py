"""Labels in Vietnamese (default) and English."""

from __future__ import annotations

from dvc_score.model.ruleset import Group, Indicator

GROUP_SHORT = {
    "vi": {
        "publicity": "C.khai",
        "timeliness": "T.độ",
        "online": "DVCTT",
        "payment": "TTTT",
        "digitization": "Số hóa",
        "satisfaction": "H.lòng",
    },
    "en": {
        "publicity": "Public",
        "timeliness": "Timely",
        "online": "Online",
        "payment": "Pay",
        "digitization": "Digit.",
        "satisfaction": "Satisf",
    },
}

LEVELS = {
    "vi": {
        "province": "Tỉnh",
        "department": "Sở, ban, ngành",
        "district": "Cấp huyện",
        "commune": "Cấp xã",
    },
    "en": {
        "province": "Province",
        "department": "Departments",
        "district": "Districts",
        "commune": "Communes",
    },
}

LEVELS["vi"]["commune_group"] = "Cấp xã theo huyện"
LEVELS["en"]["commune_group"] = "Communes by district"

# The statistics' counts and shares (docs/reports.md defines each).
STATS = {
    "vi": {
        "received": "Tiếp nhận mới",
        "carried_over": "Kỳ trước chuyển qua",
        "to_process": "Phải xử lý",
        "online": "Trực tuyến",
        "direct": "Trực tiếp",
        "postal": "Qua bưu chính",
        "resolved": "Đã giải quyết",
        "early": "Trước hạn",
        "on_time": "Đúng hạn",
        "late": "Trễ hạn",
        "in_progress": "Đang giải quyết",
        "overdue": "Quá hạn chưa giải quyết",
        "postal_received": "BCCI tiếp nhận",
        "postal_returned": "BCCI trả kết quả",
        "postal_total": "Hồ sơ qua BCCI",
        "procedures": "Số TTHC",
        "online_share": "Tỷ lệ trực tuyến",
        "direct_share": "Tỷ lệ trực tiếp",
        "postal_share": "Tỷ lệ bưu chính",
        "resolved_share": "Tỷ lệ đã giải quyết",
        "early_share": "Tỷ lệ trước hạn",
        "on_time_share": "Tỷ lệ đúng hạn",
        "late_share": "Tỷ lệ trễ hạn",
        "overdue_share": "Tỷ lệ quá hạn (đang giải quyết)",
    },
    "en": {
        "received": "Received",
        "carried_over": "Carried over",
        "to_process": "To process",
        "online": "Online",
        "direct": "In person",
        "postal": "By post",
        "resolved": "Resolved",
        "early": "Early",
        "on_time": "On time",
        "late": "Late",
        "in_progress": "In progress",
        "overdue": "Overdue in progress",
        "postal_received": "Postal submissions",
        "postal_returned": "Postal returns",
        "postal_total": "Postal (BCCI) total",
        "procedures": "Procedures",
        "online_share": "Online share",
        "direct_share": "In-person share",
        "postal_share": "Postal share",
        "resolved_share": "Resolved share",
        "early_share": "Early share",
        "on_time_share": "On-time share",
        "late_share": "Late share",
        "overdue_share": "Overdue share (in progress)",
    },
}

WORDS = {
    "vi": {
        "unit": "Đơn vị",
        "total": "Tổng",
        "class": "Xếp loại",
        "rank": "#",
        "period": "Kỳ",
        "ruleset": "Bộ chỉ số",
        "change": "Thay đổi",
        "indicator": "Chỉ số",
        "score": "Điểm",
        "max": "Tối đa",
        "ratio": "Tỷ lệ",
        "numerator": "Tử số",
        "denominator": "Mẫu số",
        "n/a": "k/á",
        "level": "Cấp",
        "unit_code": "Mã đơn vị",
        "group": "Nhóm",
        "lost": "Điểm mất",
        "status": "Trạng thái",
        "provenance": "Độ tin cậy",
        "top": "Cao nhất",
        "bottom": "Thấp nhất",
        "value": "Giá trị",
        "summary": "Tổng hợp",
        "indicators": "Chỉ số",
        "statistics": "Thống kê",
        "series": "Kỳ",
        "rankings": "Xếp hạng",
        "charts": "Biểu đồ",
        "scores_by_unit": "Điểm theo đơn vị",
        "group_contributions": "Điểm theo nhóm chỉ số",
        "gaps": "Điểm còn thiếu so với tối đa",
        "trend": "Diễn biến qua các kỳ",
        "province_total": "Tổng điểm toàn tỉnh",
        "generated_by": "Tạo bởi",
        "source": "Dữ liệu",
        "no_stats": "Không có thống kê hồ sơ: đầu vào là số liệu tổng hợp (counts), không có hồ sơ.",
        "level_total": "Cộng",
    },
    "en": {
        "unit": "Unit",
        "total": "Total",
        "class": "Class",
        "rank": "#",
        "period": "Period",
        "ruleset": "Ruleset",
        "change": "Change",
        "indicator": "Indicator",
        "score": "Score",
        "max": "Max",
        "ratio": "Ratio",
        "numerator": "Numerator",
        "denominator": "Denominator",
        "n/a": "n/a",
        "level": "Level",
        "unit_code": "Unit code",
        "group": "Group",
        "lost": "Points lost",
        "status": "Status",
        "provenance": "Provenance",
        "top": "Highest",
        "bottom": "Lowest",
        "value": "Value",
        "summary": "Summary",
        "indicators": "Indicators",
        "statistics": "Statistics",
        "series": "Periods",
        "rankings": "Rankings",
        "charts": "Charts",
        "scores_by_unit": "Scores by unit",
        "group_contributions": "Group contributions",
        "gaps": "Points short of the maximum",
        "trend": "Trend over the periods",
        "province_total": "Province total",
        "generated_by": "Generated by",
        "source": "Data",
        "no_stats": "No dossier statistics: the input holds counts, not dossiers.",
        "level_total": "Total",
    },
}


def word(key: str, lang: str) -> str:
    return WORDS.get(lang, WORDS["vi"]).get(key, key)


def group_short(group: Group, lang: str) -> str:
    return GROUP_SHORT.get(lang, {}).get(group.id) or group_name(group, lang)[:9]


def group_name(group: Group, lang: str) -> str:
    return group.name_en if lang == "en" and group.name_en else group.name_vi or group.id


def indicator_name(indicator: Indicator, lang: str) -> str:
    return (
        indicator.name_en
        if lang == "en" and indicator.name_en
        else indicator.name_vi or indicator.id
    )


def level_name(level: str, lang: str) -> str:
    return LEVELS.get(lang, LEVELS["vi"]).get(level, level)


def stat_name(key: str, lang: str) -> str:
    return STATS.get(lang, STATS["vi"]).get(key, key)


def commune_group_name(district_name: str, lang: str) -> str:
    """``Các xã thuộc huyện X`` for the communes of district X, as provincial reports write it."""
    short = district_name.removeprefix("UBND ").strip()
    return f"Communes of {short}" if lang == "en" else f"Các xã thuộc {short}"
