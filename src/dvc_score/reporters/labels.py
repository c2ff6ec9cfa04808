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
