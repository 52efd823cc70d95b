"""Demo relationships for `seed_demo`: every stage and personality type, activities of every
type (notes in Chinese and English), a pending gift for the manager, a birthday coming up.

Idempotent: rows are found by natural keys and only created when missing. Works on the demo
contacts of the accounts app; if the rep has none yet, a small demo account is added."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Account, Contact, Function, Level, PersonalProfile
from relationships.defaults import ensure_defaults
from relationships.greetings import demo as greetings_demo
from relationships.models import (
    Activity,
    ActivityType,
    CoolingThreshold,
    Festival,
    Relationship,
    StageChange,
    StagnationSetting,
)
from relationships.planning import demo as planning_demo

# Used only when the accounts demo gave the rep fewer contacts than the plan below needs.
FALLBACK_ACCOUNT = "苏州精工机械 Suzhou Precision Machinery"
FALLBACK_CONTACTS = [
    ("周建国", "总经理 General Manager", Level.DECISION, Function.USER),
    ("Linda Xu 徐琳", "IT Director", Level.MANAGEMENT, Function.TECHNICAL),
    ("孙磊", "采购经理 Procurement Manager", Level.MANAGEMENT, Function.PROCUREMENT),
    ("吴芳", "财务总监 CFO", Level.DECISION, Function.PROCUREMENT),
    ("陈晓东", "生产主管 Production Lead", Level.OPERATIONAL, Function.USER),
    ("Kevin Ma 马凯", "系统工程师 Systems Engineer", Level.OPERATIONAL, Function.TECHNICAL),
]

# stage, personality, interest points, institutional need, met, personal need, met
PLAN = [
    (
        4,
        "owl",
        ["数据分析", "technology", "茶"],
        "ERP 月结从 5 天缩短到 2 天",
        True,
        "Wants the project to support his promotion to CIO",
        True,
    ),
    (
        3,
        "tiger",
        ["golf", "高尔夫"],
        "Cut production downtime by 20%",
        True,
        "希望在集团会议上展示成绩",
        False,
    ),
    (
        2,
        "peacock",
        ["摄影 photography", "travel"],
        "统一采购平台",
        False,
        "Recognition in the industry",
        True,
    ),
    (1, "koala", ["孩子教育 children", "钓鱼"], "预算控制", False, "工作稳定，不担风险", False),
    (2, "unknown", [], "Stable shop-floor terminals", False, "", False),
    (1, "unknown", [], "", False, "", False),
]

# contact indexes, type code, days ago, cost, notes, outcome, next step, next step in days
ACTIVITIES = [
    ([0], "phone_call", 120, 0, "电话自我介绍，约下周拜访。", "愿意见面", "", None),
    (
        [0, 1],
        "office_visit",
        110,
        0,
        "First visit: exchanged cards, left the product brochure.",
        "Asked for a technical session",
        "",
        None,
    ),
    ([0], "small_gift", 105, Decimal("150"), "送公司定制茶具一套（价值 150 元）。", "", "", None),
    (
        [0, 1],
        "tech_exchange",
        90,
        0,
        "Technical exchange on month-end closing: showed the data model and cost calculation.",
        "IT Director asked for a test environment",
        "",
        None,
    ),
    ([1], "test_sample", 80, 0, "提供测试环境两周，IT 部门完成性能测试。", "测试通过", "", None),
    ([0], "meal_tea", 70, Decimal("380"), "下午茶，聊行业趋势和集团数字化规划。", "", "", None),
    (
        [1],
        "site_visit",
        65,
        0,
        "Visited our reference customer in Wuxi with the IT team.",
        "Impressed by the uptime figures",
        "",
        None,
    ),
    (
        [0],
        "family_activity",
        45,
        Decimal("600"),
        "周末亲子农场活动，两家人一起参加。",
        "",
        "",
        None,
    ),
    (
        [1],
        "social_event",
        40,
        Decimal("900"),
        "Golf afternoon with the IT Director.",
        "Talked openly about the budget process",
        "",
        None,
    ),
    (
        [0],
        "introduction",
        30,
        0,
        "周总引荐我们认识集团 CIO。",
        "CIO 同意听取方案汇报",
        "准备 CIO 汇报材料 Prepare the CIO briefing",
        5,
    ),
    (
        [0],
        "guide_intelligence",
        20,
        0,
        "Zhou shared the evaluation committee list and the competitor's pricing.",
        "",
        "",
        None,
    ),
    ([0], "decision_support", 12, 0, "内部评审会上周总明确支持我们的方案。", "", "", None),
    (
        [1],
        "out_of_town_visit",
        25,
        Decimal("1500"),
        "Two-day visit to our Shenzhen headquarters.",
        "",
        "",
        None,
    ),
    (
        [2],
        "email",
        15,
        0,
        "Sent the procurement platform case study.",
        "",
        "Follow up by phone 电话跟进",
        3,
    ),
    ([2, 3], "meeting", 50, 0, "采购与财务联合会议，讨论付款条件。", "", "", None),
    (
        [4],
        "meal_tea",
        50,
        Decimal("260"),
        "Lunch near the plant with the production lead.",
        "",
        "",
        None,
    ),
    ([5], "other", 10, 0, "在展会上偶遇，交换了微信。", "", "", None),
]

# contact index, type code, days ago, cost, notes, approval status, decision reason
GIFTS = [
    (
        1,
        "valuable_gift",
        5,
        Decimal("800"),
        "中秋节礼盒（茶叶与月饼），价值 800 元。",
        "pending",
        "",
    ),
    (
        0,
        "valuable_gift",
        60,
        Decimal("650"),
        "Calligraphy book set for his collection.",
        "approved",
        "Within policy; keep the receipt.",
    ),
    (
        2,
        "social_event",
        35,
        Decimal("2400"),
        "KTV 包间招待采购团队。",
        "rejected",
        "超出公司招待标准，不符合合规要求。Over the hospitality policy.",
    ),
]


def _contacts_for(rep) -> list[Contact]:
    contacts = list(
        Contact.objects.filter(account__owner=rep, is_active=True)
        .select_related("account")
        .order_by("account_id", "pk")
    )
    if len(contacts) >= len(PLAN):
        return contacts[: len(PLAN)]
    account, _created = Account.objects.get_or_create(
        name=FALLBACK_ACCOUNT,
        owner=rep,
        defaults={"industry": "制造业 Manufacturing", "region": "江苏 Jiangsu"},
    )
    return [
        Contact.objects.get_or_create(
            account=account,
            name=name,
            defaults={"title": title, "level": level, "function": function},
        )[0]
        for name, title, level, function in FALLBACK_CONTACTS
    ]


def _birthday_soon(contacts: list[Contact], today: date) -> None:
    """Make sure one of the rep's contacts has a birthday within two weeks of today."""
    soon = {today + timedelta(days=n) for n in range(15)}
    solar = PersonalProfile.objects.filter(contact__in=contacts, birthday_calendar="solar")
    for profile in solar.filter(birthday__isnull=False):
        if any((d.month, d.day) == (profile.birthday.month, profile.birthday.day) for d in soon):
            return
    target = today + timedelta(days=9)
    if (target.month, target.day) == (2, 29):
        target -= timedelta(days=1)
    birthday = target.replace(year=target.year - 46)
    lunar = set(
        PersonalProfile.objects.filter(contact__in=contacts, birthday_calendar="lunar").values_list(
            "contact_id", flat=True
        )
    )
    person = next(c for c in contacts if c.pk not in lunar)
    profile, _created = PersonalProfile.objects.get_or_create(contact=person)
    profile.birthday = birthday
    profile.save(update_fields=["birthday", "updated_at"])


def _activity(owner, contacts, code, types, today, days_ago, cost, notes, **extra):
    activity, created = Activity.objects.get_or_create(
        owner=owner,
        type=types[code],
        notes=notes,
        defaults={
            "account": contacts[0].account,
            "date": today - timedelta(days=days_ago),
            "cost": cost,
            **extra,
        },
    )
    if created:
        activity.contacts.set(contacts)
    return activity


def seed(context: dict) -> None:
    ensure_defaults(ActivityType, CoolingThreshold, Festival, StagnationSetting)
    users = context["users"]
    rep, manager = users["rep"], users["manager"]
    today = timezone.localdate()
    types = {t.code: t for t in ActivityType.objects.all()}
    contacts = _contacts_for(rep)

    relationships = []
    for contact, plan in zip(contacts, PLAN, strict=True):
        stage, personality, interests, inst, inst_met, pers, pers_met = plan
        relationship, _created = Relationship.objects.get_or_create(
            contact=contact,
            defaults={
                "stage": stage,
                "personality": personality,
                "interest_points": interests,
                "institutional_needs": inst,
                "institutional_needs_met": inst_met,
                "personal_needs": pers,
                "personal_needs_met": pers_met,
            },
        )
        relationships.append(relationship)

    logged = {}
    for indexes, code, days_ago, cost, notes, outcome, next_step, next_in in ACTIVITIES:
        people = [contacts[i] for i in indexes]
        logged[(indexes[0], code)] = _activity(
            rep,
            people,
            code,
            types,
            today,
            days_ago,
            cost,
            notes,
            outcome=outcome,
            next_step=next_step,
            next_step_date=today + timedelta(days=next_in) if next_in is not None else None,
        )

    decided_at = timezone.now() - timedelta(days=1)
    for index, code, days_ago, cost, notes, status, reason in GIFTS:
        decision = {}
        if status != "pending":
            decision = {"decided_by": manager, "decided_at": decided_at, "decision_reason": reason}
        _activity(
            rep,
            [contacts[index]],
            code,
            types,
            today,
            days_ago,
            cost,
            notes,
            approval_status=status,
            **decision,
        )

    # The ladder each relationship climbed, with the activity that supports each step.
    evidence = {
        (0, 2): logged[(0, "tech_exchange")],
        (0, 3): logged[(0, "family_activity")],
        (0, 4): logged[(0, "introduction")],
        (1, 2): logged[(1, "test_sample")],
        (1, 3): logged[(1, "social_event")],
        (2, 2): None,
        (4, 2): logged[(4, "meal_tea")],
    }
    for (index, to_stage), activity in evidence.items():
        StageChange.objects.get_or_create(
            relationship=relationships[index],
            from_stage=to_stage - 1,
            to_stage=to_stage,
            defaults={
                "changed_by": rep,
                "activity": activity,
                "changed_at": timezone.now()
                - timedelta(days=(today - activity.date).days if activity else 20),
            },
        )

    _birthday_soon(contacts, today)
    planning_demo.seed(rep=rep, contacts=contacts, types=types, today=today)
    greetings_demo.seed(rep=rep, contacts=contacts, today=today)
    context["relationship_contacts"] = contacts
