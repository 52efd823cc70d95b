"""Defaults of the admin-editable data of moves 3–6, used by the data migration, the demo and
the tests (which run without migrations): need categories (METHOD.md §5.1 — the book's example
asks about one attribute only), concern signals (§7.1) and the thresholds."""

# (code, English, Chinese) — the attributes a comprehensive needs analysis covers [I].
CATEGORIES = [
    ("function", "function and business process", "功能与业务流程"),
    ("performance", "performance and quality", "性能与质量"),
    ("price", "price and budget", "价格与预算"),
    ("service", "service and support", "服务与支持"),
    ("delivery", "delivery and implementation", "交付与实施"),
    ("vendor", "vendor standing and standards", "厂商资质与标准"),
]

# (phrase, suggested risk type, meaning) — the signals of METHOD.md §7.1, in both languages.
SIGNALS = [
    ("再等等", "other", "等一等：客户看到了风险"),
    ("还在研究", "other", "还在研究：顾虑没说出口"),
    ("最近忙", "other", "最近忙：在回避决定"),
    ("找领导", "career", "推给领导：怕担责任"),
    ("找我们领导", "career", "推给领导：怕担责任"),
    ("问问专家", "quality", "推给专家：对质量或方案不放心"),
    ("let's wait", "other", "the customer sees a risk"),
    ("wait a little", "other", "the customer sees a risk"),
    ("still studying", "other", "an unspoken concern"),
    ("busy lately", "other", "avoiding the decision"),
    ("been busy", "other", "avoiding the decision"),
    ("ask my boss", "career", "passed on to a leader: afraid of the responsibility"),
    ("check with our leader", "career", "passed on to a leader: afraid of the responsibility"),
    ("ask an expert", "quality", "passed on to an expert: unsure of the quality"),
]


def ensure_defaults(NeedCategory, ConcernSignal, MoveThresholdSetting) -> None:  # noqa: N803
    """Create the default rows that are missing (admins' edits are kept)."""
    for position, (code, english, chinese) in enumerate(CATEGORIES):
        NeedCategory.objects.get_or_create(
            code=code, defaults={"name_en": english, "name_zh": chinese, "position": position}
        )
    for phrase, risk_type, meaning in SIGNALS:
        ConcernSignal.objects.get_or_create(
            phrase=phrase, defaults={"risk_type": risk_type, "meaning": meaning}
        )
    MoveThresholdSetting.objects.get_or_create(pk=1)
