# ruff: noqa: E501  (the seeded texts are data; a line per text reads best)
"""The seeded greeting templates, the "greeting" activity type and the setting's row. Used by
the data migration (historical models) and by the demo and tests (only missing rows are
created, so an admin's edits are kept)."""

GREETING_TYPE = ("greeting", "greeting", "问候")

# occasion, personality ("" = everyone), language, subject, text. The tone per type follows
# METHOD.md §4.4: peacocks warm and lively, koalas gentle, owls brief and precise, tigers
# short and respectful.
TEMPLATES = [
    (
        "festival",
        "",
        "zh-hans",
        "{occasion}快乐",
        "{称呼}您好！值此{节日}，祝您和家人节日快乐、万事顺意。\n{签名}",
    ),
    (
        "festival",
        "peacock",
        "zh-hans",
        "{occasion}快乐！",
        "{称呼}，{节日}快乐！🎉 祝您节日里欢聚畅怀，好运连连，继续闪耀！\n{签名}",
    ),
    (
        "festival",
        "koala",
        "zh-hans",
        "{occasion}问候",
        "{称呼}您好，{节日}到了，愿您和家人平安喜乐、温暖安康。一直感谢您的关照。\n{签名}",
    ),
    ("festival", "owl", "zh-hans", "{occasion}问候", "{称呼}您好，祝{节日}快乐。\n{签名}"),
    ("festival", "tiger", "zh-hans", "{occasion}问候", "{称呼}，{节日}快乐，祝事业顺利。\n{签名}"),
    (
        "birthday",
        "",
        "zh-hans",
        "生日快乐",
        "{称呼}您好！今天是您的生日，祝您生日快乐、身体健康、万事如意。\n{签名}",
    ),
    (
        "birthday",
        "peacock",
        "zh-hans",
        "生日快乐！",
        "{称呼}，生日快乐！🎂 愿新的一岁精彩纷呈，快乐加倍！\n{签名}",
    ),
    (
        "birthday",
        "koala",
        "zh-hans",
        "生日快乐",
        "{称呼}您好，生日快乐。愿您在新的一岁里健康平安，家庭幸福。\n{签名}",
    ),
    ("birthday", "owl", "zh-hans", "生日快乐", "{称呼}您好，祝您生日快乐。\n{签名}"),
    ("birthday", "tiger", "zh-hans", "生日快乐", "{称呼}，生日快乐，祝新的一年再创佳绩。\n{签名}"),
    (
        "festival",
        "",
        "en",
        "Happy {occasion}",
        "Dear {salutation},\nWarm wishes for {occasion} to you and your family.\n{signature}",
    ),
    (
        "festival",
        "peacock",
        "en",
        "Happy {occasion}!",
        "Dear {salutation},\nHappy {occasion}! Wishing you a joyful celebration with everyone you love.\n{signature}",
    ),
    (
        "festival",
        "koala",
        "en",
        "{occasion} greetings",
        "Dear {salutation},\nAs {occasion} comes, I wish you and your family peace and good health. Thank you for your kind support.\n{signature}",
    ),
    (
        "festival",
        "owl",
        "en",
        "{occasion} greetings",
        "Dear {salutation},\nBest wishes for {occasion}.\n{signature}",
    ),
    (
        "festival",
        "tiger",
        "en",
        "{occasion} greetings",
        "Dear {salutation},\nHappy {occasion} and continued success.\n{signature}",
    ),
    (
        "birthday",
        "",
        "en",
        "Happy birthday",
        "Dear {salutation},\nHappy birthday! Wishing you good health and a wonderful year.\n{signature}",
    ),
    (
        "birthday",
        "peacock",
        "en",
        "Happy birthday!",
        "Dear {salutation},\nHappy birthday! May your new year be full of great moments.\n{signature}",
    ),
    (
        "birthday",
        "koala",
        "en",
        "Happy birthday",
        "Dear {salutation},\nHappy birthday. Wishing you a calm, healthy and happy year with your family.\n{signature}",
    ),
    ("birthday", "owl", "en", "Happy birthday", "Dear {salutation},\nHappy birthday.\n{signature}"),
    (
        "birthday",
        "tiger",
        "en",
        "Happy birthday",
        "Dear {salutation},\nHappy birthday and continued success.\n{signature}",
    ),
]

# Festivals with a text of their own: 中秋 has its moon, 清明 is a day of remembrance and is
# never "happy".
FESTIVAL_TEMPLATES = [
    (
        "Mid-Autumn Festival",
        "zh-hans",
        "中秋快乐",
        "{称呼}您好！月圆人团圆，祝您和家人中秋快乐、阖家幸福。\n{签名}",
    ),
    (
        "Mid-Autumn Festival",
        "en",
        "Happy Mid-Autumn Festival",
        "Dear {salutation},\nMay the full moon bring you and your family togetherness and joy. Happy Mid-Autumn Festival!\n{signature}",
    ),
    (
        "Qingming Festival",
        "zh-hans",
        "清明问候",
        "{称呼}您好，清明时节，愿您和家人安康顺遂。\n{签名}",
    ),
    (
        "Qingming Festival",
        "en",
        "Qingming greetings",
        "Dear {salutation},\nAt Qingming, I wish you and your family peace and good health.\n{signature}",
    ),
]


def ensure_greeting_defaults(template_model, festival_model, setting_model, type_model) -> None:
    """Create the missing templates, the greeting activity type (no stage: a greeting is
    keeping in touch, never evidence of trust) and the setting's row."""
    for occasion, personality, language, subject, body in TEMPLATES:
        template_model.objects.get_or_create(
            occasion=occasion,
            festival=None,
            language=language,
            personality=personality,
            defaults={"subject": subject, "body": body},
        )
    festivals = {f.name_en: f for f in festival_model.objects.filter(year__isnull=True)}
    for name, language, subject, body in FESTIVAL_TEMPLATES:
        if name in festivals:
            template_model.objects.get_or_create(
                occasion="festival",
                festival=festivals[name],
                language=language,
                personality="",
                defaults={"subject": subject, "body": body},
            )
    ensure_greeting_type(type_model)
    if not setting_model.objects.exists():
        setting_model.objects.create()


def ensure_greeting_type(type_model):
    code, en, zh = GREETING_TYPE
    found, _created = type_model.objects.get_or_create(
        code=code, defaults={"name_en": en, "name_zh": zh, "stage": None, "position": 900}
    )
    return found
