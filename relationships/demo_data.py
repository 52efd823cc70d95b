"""The demo relationships of `seed_demo` as named records (relationships/demo.py creates them):
every stage and personality type, activities of every type, gifts awaiting and past approval."""

from decimal import Decimal
from typing import NamedTuple

from accounts.models import Function, Level


class PersonRow(NamedTuple):
    name: str
    title: str
    level: str
    function: str


class RelationshipRow(NamedTuple):
    stage: int
    personality: str
    interest_points: list[str]
    institutional_needs: str
    institutional_needs_met: bool
    personal_needs: str
    personal_needs_met: bool


class ActivityRow(NamedTuple):
    contacts: list[int]  # indexes into the rep's contacts
    type: str  # an ActivityType code
    days_ago: int
    cost: Decimal | int
    notes: str
    outcome: str
    next_step: str
    next_step_in_days: int | None


class GiftRow(NamedTuple):
    contact: int  # an index into the rep's contacts
    type: str  # an ActivityType code
    days_ago: int
    cost: Decimal
    notes: str
    approval_status: str
    decision_reason: str


# Used only when the accounts demo gave the rep fewer contacts than the plan below needs.
FALLBACK_ACCOUNT = "苏州精工机械 Suzhou Precision Machinery"
FALLBACK_CONTACTS = [
    PersonRow(
        name="周建国", title="总经理 General Manager", level=Level.DECISION, function=Function.USER
    ),
    PersonRow(
        name="Linda Xu 徐琳",
        title="IT Director",
        level=Level.MANAGEMENT,
        function=Function.TECHNICAL,
    ),
    PersonRow(
        name="孙磊",
        title="采购经理 Procurement Manager",
        level=Level.MANAGEMENT,
        function=Function.PROCUREMENT,
    ),
    PersonRow(
        name="吴芳", title="财务总监 CFO", level=Level.DECISION, function=Function.PROCUREMENT
    ),
    PersonRow(
        name="陈晓东",
        title="生产主管 Production Lead",
        level=Level.OPERATIONAL,
        function=Function.USER,
    ),
    PersonRow(
        name="Kevin Ma 马凯",
        title="系统工程师 Systems Engineer",
        level=Level.OPERATIONAL,
        function=Function.TECHNICAL,
    ),
]

# The rep's contacts in order: the relationship each one has.
PLAN = [
    RelationshipRow(
        stage=4,
        personality="owl",
        interest_points=["数据分析", "technology", "茶"],
        institutional_needs="ERP 月结从 5 天缩短到 2 天",
        institutional_needs_met=True,
        personal_needs="Wants the project to support his promotion to CIO",
        personal_needs_met=True,
    ),
    RelationshipRow(
        stage=3,
        personality="tiger",
        interest_points=["golf", "高尔夫"],
        institutional_needs="Cut production downtime by 20%",
        institutional_needs_met=True,
        personal_needs="希望在集团会议上展示成绩",
        personal_needs_met=False,
    ),
    RelationshipRow(
        stage=2,
        personality="peacock",
        interest_points=["摄影 photography", "travel"],
        institutional_needs="统一采购平台",
        institutional_needs_met=False,
        personal_needs="Recognition in the industry",
        personal_needs_met=True,
    ),
    RelationshipRow(
        stage=1,
        personality="koala",
        interest_points=["孩子教育 children", "钓鱼"],
        institutional_needs="预算控制",
        institutional_needs_met=False,
        personal_needs="工作稳定，不担风险",
        personal_needs_met=False,
    ),
    RelationshipRow(
        stage=2,
        personality="unknown",
        interest_points=[],
        institutional_needs="Stable shop-floor terminals",
        institutional_needs_met=False,
        personal_needs="",
        personal_needs_met=False,
    ),
    RelationshipRow(
        stage=1,
        personality="unknown",
        interest_points=[],
        institutional_needs="",
        institutional_needs_met=False,
        personal_needs="",
        personal_needs_met=False,
    ),
]

# Activities with the rep's contacts (by their place in the list above).
ACTIVITIES = [
    ActivityRow(
        contacts=[0],
        type="handover_introduction",
        days_ago=130,
        cost=0,
        notes="前任客户经理把我们介绍给信息中心。 The previous account manager introduced us.",
        outcome="",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[0],
        type="phone_call",
        days_ago=120,
        cost=0,
        notes="电话自我介绍，约下周拜访。",
        outcome="愿意见面",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[0, 1],
        type="office_visit",
        days_ago=110,
        cost=0,
        notes="First visit: exchanged cards, left the product brochure.",
        outcome="Asked for a technical session",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[0],
        type="small_gift",
        days_ago=105,
        cost=Decimal("150"),
        notes="送公司定制茶具一套（价值 150 元）。",
        outcome="",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[0, 1],
        type="tech_exchange",
        days_ago=90,
        cost=0,
        notes=(
            "Technical exchange on month-end closing: showed the data model and cost calculation."
        ),
        outcome="IT Director asked for a test environment",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[1],
        type="test_sample",
        days_ago=80,
        cost=0,
        notes="提供测试环境两周，IT 部门完成性能测试。",
        outcome="测试通过",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[0],
        type="meal_tea",
        days_ago=70,
        cost=Decimal("380"),
        notes="下午茶，聊行业趋势和集团数字化规划。",
        outcome="",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[1],
        type="site_visit",
        days_ago=65,
        cost=0,
        notes="Visited our reference customer in Wuxi with the IT team.",
        outcome="Impressed by the uptime figures",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[0],
        type="family_activity",
        days_ago=45,
        cost=Decimal("600"),
        notes="周末亲子农场活动，两家人一起参加。",
        outcome="",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[1],
        type="social_event",
        days_ago=40,
        cost=Decimal("900"),
        notes="Golf afternoon with the IT Director.",
        outcome="Talked openly about the budget process",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[0],
        type="introduction",
        days_ago=30,
        cost=0,
        notes="周总引荐我们认识集团 CIO。",
        outcome="CIO 同意听取方案汇报",
        next_step="准备 CIO 汇报材料 Prepare the CIO briefing",
        next_step_in_days=5,
    ),
    ActivityRow(
        contacts=[0],
        type="guide_intelligence",
        days_ago=20,
        cost=0,
        notes="Zhou shared the evaluation committee list and the competitor's pricing.",
        outcome="",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[0],
        type="decision_support",
        days_ago=12,
        cost=0,
        notes="内部评审会上周总明确支持我们的方案。",
        outcome="",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[1],
        type="out_of_town_visit",
        days_ago=25,
        cost=Decimal("1500"),
        notes="Two-day visit to our Shenzhen headquarters.",
        outcome="",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[2],
        type="email",
        days_ago=15,
        cost=0,
        notes="Sent the procurement platform case study.",
        outcome="",
        next_step="Follow up by phone 电话跟进",
        next_step_in_days=3,
    ),
    ActivityRow(
        contacts=[2, 3],
        type="meeting",
        days_ago=50,
        cost=0,
        notes="采购与财务联合会议，讨论付款条件。",
        outcome="",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[4],
        type="meal_tea",
        days_ago=50,
        cost=Decimal("260"),
        notes="Lunch near the plant with the production lead.",
        outcome="",
        next_step="",
        next_step_in_days=None,
    ),
    ActivityRow(
        contacts=[5],
        type="other",
        days_ago=10,
        cost=0,
        notes="在展会上偶遇，交换了微信。",
        outcome="",
        next_step="",
        next_step_in_days=None,
    ),
]

# Gifts and hospitality that need a manager's approval, and the manager's decision.
GIFTS = [
    GiftRow(
        contact=1,
        type="valuable_gift",
        days_ago=5,
        cost=Decimal("800"),
        notes="中秋节礼盒（茶叶与月饼），价值 800 元。",
        approval_status="pending",
        decision_reason="",
    ),
    GiftRow(
        contact=0,
        type="valuable_gift",
        days_ago=60,
        cost=Decimal("650"),
        notes="Calligraphy book set for his collection.",
        approval_status="approved",
        decision_reason="Within policy; keep the receipt.",
    ),
    GiftRow(
        contact=2,
        type="social_event",
        days_ago=35,
        cost=Decimal("2400"),
        notes="KTV 包间招待采购团队。",
        approval_status="rejected",
        decision_reason="超出公司招待标准，不符合合规要求。Over the hospitality policy.",
    ),
]
