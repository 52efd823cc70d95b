"""The method's defaults for the admin-editable data of move 2 (METHOD.md §4.2, §10).

Used by the data migration (with the historical models) and by `seed_demo` (so that a database
built without migrations, as in the tests, has them too). Existing rows are left as the admin
edited them: only missing rows are created.
"""

from datetime import date
from decimal import Decimal

# code, English, Chinese, stage evidenced (None: no stage), style, gift approval limit (CNY,
# None: not a gift), interest keywords. Stages and activities from METHOD.md §4.2.
ACTIVITY_TYPES = [
    ("phone_call", "phone call", "电话沟通", 1, "neutral", None, ""),
    ("office_visit", "office visit", "上门拜访", 1, "results", None, ""),
    ("small_gift", "small gift", "小礼品", 1, "rapport", Decimal("200"), "礼品, gift"),
    (
        "meal_tea",
        "business meal or tea",
        "商务宴请或喝茶",
        2,
        "rapport",
        Decimal("500"),
        "tea, 茶, food, 美食, wine, 酒, coffee, 咖啡",
    ),
    ("site_visit", "local site visit", "本地参观考察", 2, "results", None, "参观, factory, 工厂"),
    (
        "tech_exchange",
        "technical exchange or demo",
        "技术交流或演示",
        2,
        "evidence",
        None,
        "technology, 技术, data, 数据, IT, 数字化, digital",
    ),
    ("test_sample", "test or sample", "测试或样品", 2, "results", None, "测试, test"),
    (
        "social_event",
        "social event",
        "社交活动",
        3,
        "recognition",
        Decimal("1000"),
        "golf, 高尔夫, sports, 运动, 体育, music, 音乐, 钓鱼, fishing, 羽毛球, badminton",
    ),
    (
        "family_activity",
        "family activity",
        "家庭活动",
        3,
        "rapport",
        Decimal("1000"),
        "family, 家庭, children, 孩子, kids",
    ),
    (
        "out_of_town_visit",
        "out-of-town visit",
        "外地考察",
        3,
        "results",
        Decimal("2000"),
        "travel, 旅游, 旅行",
    ),
    (
        "valuable_gift",
        "valuable gift (within the law)",
        "贵重礼品（合法合规）",
        3,
        "recognition",
        Decimal("500"),
        "书法, calligraphy, 收藏, collecting, wine, 酒",
    ),
    (
        "introduction",
        "introduction to colleagues or leaders",
        "引荐同事或领导",
        4,
        "recognition",
        None,
        "",
    ),
    ("guide_intelligence", "intelligence from a guide", "向导提供情报", 4, "evidence", None, ""),
    (
        "decision_support",
        "firm support at decision time",
        "决策时坚定支持",
        4,
        "results",
        None,
        "",
    ),
    ("email", "email", "邮件", None, "neutral", None, ""),
    ("meeting", "meeting", "会议", None, "neutral", None, ""),
    ("other", "other", "其他", None, "neutral", None, ""),
]

# Days without an activity after which a relationship at this stage is cooling.
COOLING_DAYS = {1: 30, 2: 30, 3: 45, 4: 60}

# English, Chinese, dates (lunar festivals move every year).
FESTIVALS = [
    ("New Year's Day", "元旦", ["2025-01-01", "2026-01-01", "2027-01-01", "2028-01-01"]),
    ("Spring Festival", "春节", ["2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26"]),
    ("Dragon Boat Festival", "端午节", ["2025-05-31", "2026-06-19", "2027-06-09", "2028-05-28"]),
    ("Mid-Autumn Festival", "中秋节", ["2025-10-06", "2026-09-25", "2027-09-15", "2028-10-03"]),
    ("National Day", "国庆节", ["2025-10-01", "2026-10-01", "2027-10-01", "2028-10-01"]),
]


def ensure_defaults(activity_type_model, cooling_model, festival_model) -> None:
    """Create the default rows that are missing (admins' edits are kept)."""
    for position, (code, en, zh, stage, style, limit, keywords) in enumerate(ACTIVITY_TYPES):
        activity_type_model.objects.get_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_zh": zh,
                "stage": stage,
                "style": style,
                "is_gift": limit is not None,
                "approval_limit": limit,
                "interest_keywords": keywords,
                "position": (position + 1) * 10,
            },
        )
    for stage, days in COOLING_DAYS.items():
        cooling_model.objects.get_or_create(stage=stage, defaults={"days": days})
    for en, zh, dates in FESTIVALS:
        for day in dates:
            festival_model.objects.get_or_create(
                name_en=en, date=date.fromisoformat(day), defaults={"name_zh": zh}
            )
