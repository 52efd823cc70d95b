"""The method's defaults for the admin-editable data of move 2 (METHOD.md §4.2, §10).

Used by the data migration (with the historical models) and by `seed_demo` (so that a database
built without migrations, as in the tests, has them too). Existing rows are left as the admin
edited them: only missing rows are created.
"""

from decimal import Decimal

# code, English, Chinese, stage evidenced (None: no stage), style, gift approval limit (CNY,
# None: not a gift), interest keywords. Stages and activities from METHOD.md §4.2.
ACTIVITY_TYPES = [
    ("phone_call", "phone call", "电话", 1, "neutral", None, ""),
    ("office_visit", "visit", "拜访", 1, "results", None, ""),
    ("small_gift", "small gift", "小礼品", 1, "rapport", Decimal("200"), "礼品, gift"),
    (
        "meal_tea",
        "business activity (meal, tea)",
        "商务活动",
        2,
        "rapport",
        Decimal("500"),
        "tea, 茶, food, 美食, wine, 酒, coffee, 咖啡",
    ),
    ("site_visit", "local site visit", "本地参观", 2, "results", None, "参观, factory, 工厂"),
    (
        "tech_exchange",
        "technical exchange",
        "技术交流",
        2,
        "evidence",
        None,
        "technology, 技术, data, 数据, IT, 数字化, digital",
    ),
    ("test_sample", "tests and samples", "测试和样品", 2, "results", None, "测试, test"),
    (
        "social_event",
        "social event",
        "联谊活动",
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
        "异地参观",
        3,
        "results",
        Decimal("2000"),
        "travel, 旅游, 旅行",
    ),
    (
        "valuable_gift",
        "valuable gift",
        "贵重礼品",
        3,
        "recognition",
        Decimal("500"),
        "书法, calligraphy, 收藏, collecting, wine, 酒",
    ),
    (
        "introduction",
        "introduces colleagues and leaders",
        "穿针引线",
        4,
        "recognition",
        None,
        "",
    ),
    ("guide_intelligence", "becomes a guide", "成为向导", 4, "evidence", None, ""),
    ("decision_support", "firm support", "坚定支持", 4, "results", None, ""),
    ("email", "email", "邮件", None, "neutral", None, ""),
    ("meeting", "meeting", "会议", None, "neutral", None, ""),
    # Planned by a handover (bulk/handover.py): the previous owner introduces the new one.
    (
        "handover_introduction",
        "introduction by the previous owner",
        "交接引荐",
        None,
        "neutral",
        None,
        "",
    ),
    ("other", "other", "其他", None, "neutral", None, ""),
]

# The names the defaults had before they followed the handout word for word (code: English,
# Chinese). A row still carrying one is renamed; a name an admin typed is kept.
FORMER_NAMES = {
    "phone_call": ("phone call", "电话沟通"),
    "office_visit": ("office visit", "上门拜访"),
    "meal_tea": ("business meal or tea", "商务宴请或喝茶"),
    "site_visit": ("local site visit", "本地参观考察"),
    "tech_exchange": ("technical exchange or demo", "技术交流或演示"),
    "test_sample": ("test or sample", "测试或样品"),
    "social_event": ("social event", "社交活动"),
    "out_of_town_visit": ("out-of-town visit", "外地考察"),
    "valuable_gift": ("valuable gift (within the law)", "贵重礼品（合法合规）"),
    "introduction": ("introduction to colleagues or leaders", "引荐同事或领导"),
    "guide_intelligence": ("intelligence from a guide", "向导提供情报"),
    "decision_support": ("firm support at decision time", "决策时坚定支持"),
}

# The activity type that records a contact becoming a guide (成为向导, METHOD.md §4.2).
GUIDE_TYPE_CODE = "guide_intelligence"

# Days a person of an open deal may stay on one stage before the relationship counts as
# stagnant (METHOD.md §4.5 [I]; StagnationSetting).
STAGNATION_DAYS = 60

# Days without an activity after which a relationship at this stage is cooling.
COOLING_DAYS = {1: 30, 2: 30, 3: 45, 4: 60}

# The festivals the care page knows (move 2: keep in touch before there is a deal), as rules that
# recur every year: relationships.care computes their dates for any year.
FESTIVALS = [
    {
        "name_en": "New Year's Day",
        "name_zh": "元旦",
        "calendar": "solar",
        "month": 1,
        "day": 1,
        "advice_en": "A New Year's message: thank them for the year's work together.",
        "advice_zh": "新年问候，感谢一年来的合作。",
    },
    {
        "name_en": "Laba Festival",
        "name_zh": "腊八节",
        "calendar": "lunar",
        "month": 12,
        "day": 8,
        "advice_en": "A warm word; a good moment to plan the visits before Spring Festival.",
        "advice_zh": "送上问候，顺势安排春节前的拜访。",
    },
    {
        "name_en": "Little New Year",
        "name_zh": "小年",
        "calendar": "lunar",
        "month": 12,
        "day": 23,
        "advice_en": "Visit key people before the holiday; gifts within the approval limits.",
        "advice_zh": "节前拜访重点客户，礼品在审批额度内。",
    },
    {
        "name_en": "Spring Festival",
        "name_zh": "春节",
        "calendar": "lunar",
        "month": 1,
        "day": 1,
        "advice_en": "New Year greetings by call or message to everyone; key people in person.",
        "advice_zh": "电话或短信拜年，重点客户当面拜年。",
    },
    {
        "name_en": "Lantern Festival",
        "name_zh": "元宵节",
        "calendar": "lunar",
        "month": 1,
        "day": 15,
        "advice_en": "A short greeting; the holidays end, a natural first meeting of the year.",
        "advice_zh": "简短问候；假期结束，正好约新年第一次见面。",
    },
    {
        "name_en": "Qingming Festival",
        "name_zh": "清明节",
        "calendar": "term",
        "term": "清明",
        "advice_en": "Not a day for selling: any message brief and respectful.",
        "advice_zh": "不宜谈业务，问候简短得体。",
    },
    {
        "name_en": "Labour Day",
        "name_zh": "劳动节",
        "calendar": "solar",
        "month": 5,
        "day": 1,
        "advice_en": "Holiday wishes; ask about their holiday plans.",
        "advice_zh": "假期问候，顺便了解对方的假期安排。",
    },
    {
        "name_en": "Dragon Boat Festival",
        "name_zh": "端午节",
        "calendar": "lunar",
        "month": 5,
        "day": 5,
        "advice_en": 'Wish them 安康 (well-being), not "happy"; zongzi make a fitting small gift.',
        "advice_zh": "祝“端午安康”而非“快乐”；粽子是合适的小礼品。",
    },
    {
        "name_en": "Qixi Festival",
        "name_zh": "七夕节",
        "calendar": "lunar",
        "month": 7,
        "day": 7,
        "advice_en": "Rarely a business occasion: only for people who value it.",
        "advice_zh": "一般不作商务问候，对方看重时再表示。",
    },
    {
        "name_en": "Mid-Autumn Festival",
        "name_zh": "中秋节",
        "calendar": "lunar",
        "month": 8,
        "day": 15,
        "advice_en": "Mooncakes or a small gift within the limits, delivered before the day.",
        "advice_zh": "月饼等小礼品在额度内，节前送到。",
    },
    {
        "name_en": "National Day",
        "name_zh": "国庆节",
        "calendar": "solar",
        "month": 10,
        "day": 1,
        "advice_en": "Holiday wishes; confirm project plans before the long break.",
        "advice_zh": "长假问候，节前确认项目安排。",
    },
    {
        "name_en": "Double Ninth Festival",
        "name_zh": "重阳节",
        "calendar": "lunar",
        "month": 9,
        "day": 9,
        "advice_en": "A day for elders: ask after their parents.",
        "advice_zh": "敬老之日，可问候对方家中长辈。",
    },
]


def ensure_stagnation_setting(stagnation_model) -> None:
    """The stagnation setting's row, unless an admin already keeps one."""
    if not stagnation_model.objects.exists():
        stagnation_model.objects.create(days=STAGNATION_DAYS)


def ensure_activity_defaults(activity_type_model, cooling_model) -> None:
    """Create the default activity types and cooling thresholds that are missing (admins'
    edits are kept)."""
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


def rename_former_defaults(activity_type_model) -> None:
    """Give the types still named as the former defaults the handout's names (§4.2)."""
    names = {code: (en, zh) for code, en, zh, *_rest in ACTIVITY_TYPES}
    for row in activity_type_model.objects.filter(code__in=FORMER_NAMES):
        old_en, old_zh = FORMER_NAMES[row.code]
        new_en, new_zh = names[row.code]
        changed = []
        if row.name_en == old_en and old_en != new_en:
            row.name_en = new_en
            changed.append("name_en")
        if row.name_zh == old_zh:
            row.name_zh = new_zh
            changed.append("name_zh")
        if changed:
            row.save(update_fields=changed)


def ensure_festivals(festival_model) -> None:
    """Create the default festival rules that are missing (found by name and calendar, so an
    admin's edits of the dates or advice are kept)."""
    for rule in FESTIVALS:
        values = dict(rule)
        festival_model.objects.get_or_create(
            name_en=values.pop("name_en"), calendar=values.pop("calendar"), defaults=values
        )


def ensure_defaults(
    activity_type_model, cooling_model, festival_model, stagnation_model=None
) -> None:
    """Create the default rows that are missing (admins' edits are kept)."""
    ensure_activity_defaults(activity_type_model, cooling_model)
    if stagnation_model is not None:
        ensure_stagnation_setting(stagnation_model)
    ensure_festivals(festival_model)
