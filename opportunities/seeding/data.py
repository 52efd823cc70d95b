"""The demo deals of `seed_demo` as named records (opportunities/demo.py and seeding/moves.py
create them): products, deals in every move with their line items, qualification and buying
group, and the move 3–6 records of the deals that reached them."""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from accounts.models import Function, Level
from opportunities.models import Status


class ProductRow(NamedTuple):
    name: str
    series: str
    list_price: str  # a Decimal literal


class AccountRow(NamedTuple):
    name: str
    owner: str  # a demo username


class PersonRow(NamedTuple):
    name: str
    title: str
    level: str
    function: str
    is_guide: bool


class StakeholderRow(NamedTuple):
    roles: list[str]
    attitude: str
    influence: str
    stage: int  # the relationship stage the contact is at


class LineRow(NamedTuple):
    product: int  # an index into PRODUCTS
    quantity: int
    discount: int  # percent


class QualificationRow(NamedTuple):
    budget: str  # a Decimal literal, "" when unknown
    budget_status: str
    decision_in_days: int  # from today; negative for a decision in the past
    fit: int
    margin: str  # percent, a Decimal literal
    cost_of_sale: str  # a Decimal literal
    risk: str  # implementation risk
    win_estimate: int


class DealRow(NamedTuple):
    account: int  # an index into DEMO_ACCOUNTS
    owner: str  # a demo username
    name: str
    move: int  # the move reached
    outcome: str  # a Status
    items: list[LineRow]
    qualification: QualificationRow
    stakeholders: int  # how many of GROUP, in order
    days_ago: int  # created


class NeedRow(NamedTuple):
    category: str  # a NeedCategory code
    problem: str
    target: str
    motive_organisation: str
    motive_personal: str
    severity: str


class CriterionRow(NamedTuple):
    text: str
    threshold: str
    weight: int
    origin: str
    our_fit: int
    competitor_fits: tuple[int, ...]  # by the index of COMPETITORS
    status: str


class MilestoneRow(NamedTuple):
    name: str
    share: Decimal  # of the contract amount
    due: date
    condition: str
    paid: int  # 1 when its receipt is in


PRODUCTS = [
    ProductRow(name="摧龙 ERP 财务云 Finance Cloud", series="ERP", list_price="180000"),
    ProductRow(name="摧龙 ERP 供应链 Supply Chain", series="ERP", list_price="240000"),
    ProductRow(name="智能制造 MES 车间版 Shop-floor MES", series="MES", list_price="320000"),
    ProductRow(name="数据中台 Data Platform", series="Data", list_price="450000"),
    ProductRow(name="BI 报表 Analytics seat (per user)", series="Data", list_price="3600"),
    ProductRow(name="实施服务 Implementation (per day)", series="Services", list_price="4800"),
    ProductRow(name="年度运维 Annual support", series="Services", list_price="60000"),
    ProductRow(name="培训 Training course", series="Services", list_price="15000"),
]

# The accounts of accounts/demo.py (same names), created here only if that demo did not run.
DEMO_ACCOUNTS = [
    AccountRow(name="华东电网信息中心", owner="rep"),
    AccountRow(name="江南银行", owner="rep"),
    AccountRow(name="Shanghai Metro Group", owner="rep"),
    AccountRow(name="杭州智慧城市研究院", owner="rep2"),
    AccountRow(name="北方重工集团", owner="rival"),
]

FALLBACK_CONTACTS = [
    PersonRow(
        name="张建国 Zhang Jianguo",
        title="总经理 CEO",
        level=Level.DECISION,
        function=Function.OTHER,
        is_guide=False,
    ),
    PersonRow(
        name="刘芳 Liu Fang",
        title="财务总监 CFO",
        level=Level.DECISION,
        function=Function.PROCUREMENT,
        is_guide=False,
    ),
    PersonRow(
        name="陈磊 Chen Lei",
        title="信息部经理 IT manager",
        level=Level.MANAGEMENT,
        function=Function.TECHNICAL,
        is_guide=True,
    ),
    PersonRow(
        name="王敏 Wang Min",
        title="生产部主管 Production lead",
        level=Level.MANAGEMENT,
        function=Function.USER,
        is_guide=False,
    ),
    PersonRow(
        name="赵婷 Zhao Ting",
        title="采购专员 Buyer",
        level=Level.OPERATIONAL,
        function=Function.PROCUREMENT,
        is_guide=False,
    ),
    PersonRow(
        name="孙浩 Sun Hao",
        title="系统工程师 Systems engineer",
        level=Level.OPERATIONAL,
        function=Function.TECHNICAL,
        is_guide=True,
    ),
]

COMPETITORS = ["用友 Yonyou", "浪潮 Inspur"]

# Roles by the contact's place in the account's list (decision level first).
GROUP = [
    StakeholderRow(roles=["decision_maker"], attitude="supporter", influence="high", stage=3),
    StakeholderRow(
        roles=["decision_maker", "evaluator"], attitude="neutral", influence="high", stage=2
    ),
    StakeholderRow(
        roles=["designer", "evaluator"], attitude="supporter", influence="medium", stage=4
    ),
    StakeholderRow(roles=["initiator", "user"], attitude="supporter", influence="medium", stage=3),
    StakeholderRow(roles=["evaluator"], attitude="neutral", influence="low", stage=1),
    StakeholderRow(roles=["designer"], attitude="opponent", influence="medium", stage=2),
]

DEALS = [
    DealRow(
        account=0,
        owner="rep",
        name="变电站巡检 MES Substation inspection MES",
        move=1,
        outcome=Status.OPEN,
        items=[
            LineRow(product=2, quantity=1, discount=5),
            LineRow(product=5, quantity=40, discount=0),
        ],
        qualification=QualificationRow(
            budget="",
            budget_status="unknown",
            decision_in_days=200,
            fit=4,
            margin="35",
            cost_of_sale="20000",
            risk="medium",
            win_estimate=40,
        ),
        stakeholders=2,
        days_ago=12,
    ),
    DealRow(
        account=0,
        owner="rep",
        name="财务共享中心 Finance shared-service centre",
        move=1,
        outcome=Status.OPEN,
        items=[
            LineRow(product=0, quantity=1, discount=0),
            LineRow(product=5, quantity=30, discount=0),
        ],
        qualification=QualificationRow(
            budget="400000",
            budget_status="approved",
            decision_in_days=60,
            fit=5,
            margin="45",
            cost_of_sale="15000",
            risk="low",
            win_estimate=60,
        ),
        stakeholders=4,
        days_ago=20,
    ),
    DealRow(
        account=1,
        owner="rep",
        name="信贷数据中台 Credit data platform",
        move=2,
        outcome=Status.OPEN,
        items=[
            LineRow(product=3, quantity=1, discount=10),
            LineRow(product=4, quantity=50, discount=20),
            LineRow(product=5, quantity=60, discount=0),
        ],
        qualification=QualificationRow(
            budget="900000",
            budget_status="estimated",
            decision_in_days=120,
            fit=4,
            margin="40",
            cost_of_sale="60000",
            risk="medium",
            win_estimate=50,
        ),
        stakeholders=5,
        days_ago=55,
    ),
    DealRow(
        account=1,
        owner="rep",
        name="网点供应链升级 Branch supply chain upgrade",
        move=3,
        outcome=Status.OPEN,
        items=[
            LineRow(product=1, quantity=1, discount=8),
            LineRow(product=6, quantity=1, discount=0),
        ],
        qualification=QualificationRow(
            budget="350000",
            budget_status="approved",
            decision_in_days=45,
            fit=4,
            margin="38",
            cost_of_sale="25000",
            risk="low",
            win_estimate=55,
        ),
        stakeholders=4,
        days_ago=80,
    ),
    DealRow(
        account=2,
        owner="rep",
        name="Operations BI for line control 运营分析 BI",
        move=4,
        outcome=Status.OPEN,
        items=[
            LineRow(product=4, quantity=120, discount=15),
            LineRow(product=5, quantity=20, discount=0),
            LineRow(product=7, quantity=2, discount=0),
        ],
        qualification=QualificationRow(
            budget="600000",
            budget_status="approved",
            decision_in_days=30,
            fit=3,
            margin="42",
            cost_of_sale="30000",
            risk="medium",
            win_estimate=60,
        ),
        stakeholders=6,
        days_ago=110,
    ),
    DealRow(
        account=2,
        owner="rep",
        name="Ticketing finance integration 票务财务对接",
        move=5,
        outcome=Status.OPEN,
        items=[
            LineRow(product=0, quantity=1, discount=5),
            LineRow(product=5, quantity=25, discount=0),
        ],
        qualification=QualificationRow(
            budget="320000",
            budget_status="approved",
            decision_in_days=14,
            fit=4,
            margin="40",
            cost_of_sale="18000",
            risk="low",
            win_estimate=75,
        ),
        stakeholders=4,
        days_ago=140,
    ),
    DealRow(
        account=0,
        owner="rep",
        name="ERP 财务云一期 Finance Cloud phase 1",
        move=6,
        outcome=Status.WON,
        items=[
            LineRow(product=0, quantity=1, discount=10),
            LineRow(product=6, quantity=1, discount=0),
            LineRow(product=7, quantity=1, discount=0),
        ],
        qualification=QualificationRow(
            budget="260000",
            budget_status="approved",
            decision_in_days=-20,
            fit=5,
            margin="45",
            cost_of_sale="12000",
            risk="low",
            win_estimate=85,
        ),
        stakeholders=4,
        days_ago=200,
    ),
    DealRow(
        account=1,
        owner="rep",
        name="移动营销平台 Mobile marketing platform",
        move=4,
        outcome=Status.LOST,
        items=[LineRow(product=3, quantity=1, discount=0)],
        qualification=QualificationRow(
            budget="380000",
            budget_status="estimated",
            decision_in_days=-40,
            fit=2,
            margin="30",
            cost_of_sale="50000",
            risk="high",
            win_estimate=45,
        ),
        stakeholders=3,
        days_ago=170,
    ),
    DealRow(
        account=2,
        owner="rep",
        name="Depot maintenance MES 车辆段维修 MES",
        move=1,
        outcome=Status.ABANDONED,
        items=[LineRow(product=2, quantity=1, discount=0)],
        qualification=QualificationRow(
            budget="",
            budget_status="unknown",
            decision_in_days=500,
            fit=2,
            margin="20",
            cost_of_sale="40000",
            risk="high",
            win_estimate=20,
        ),
        stakeholders=1,
        days_ago=90,
    ),
    DealRow(
        account=3,
        owner="rep2",
        name="城市数据平台试点 City data platform pilot",
        move=2,
        outcome=Status.OPEN,
        items=[
            LineRow(product=1, quantity=1, discount=0),
            LineRow(product=5, quantity=15, discount=0),
        ],
        qualification=QualificationRow(
            budget="300000",
            budget_status="estimated",
            decision_in_days=75,
            fit=4,
            margin="36",
            cost_of_sale="15000",
            risk="medium",
            win_estimate=50,
        ),
        stakeholders=3,
        days_ago=40,
    ),
    DealRow(
        account=4,
        owner="rival",
        name="重工 MES 改造 Heavy-industry MES retrofit",
        move=3,
        outcome=Status.OPEN,
        items=[LineRow(product=2, quantity=2, discount=12)],
        qualification=QualificationRow(
            budget="700000",
            budget_status="approved",
            decision_in_days=90,
            fit=4,
            margin="33",
            cost_of_sale="45000",
            risk="medium",
            win_estimate=55,
        ),
        stakeholders=3,
        days_ago=70,
    ),
]


DEMO_NEEDS = [
    NeedRow(
        category="function",
        problem="月结要 5 天，报表靠手工汇总 Month-end close takes 5 days of manual consolidation",
        target="月结 ≤ 2 天 Close in ≤ 2 days",
        motive_organisation="集团要求季度快报提前 Group wants the quarterly flash report earlier",
        motive_personal="财务总监今年的考核指标 The CFO's target this year",
        severity="critical",
    ),
    NeedRow(
        category="performance",
        problem="高峰期系统卡顿 The system stalls at peak hours",
        target="500 并发响应 < 2 秒 < 2 s at 500 concurrent users",
        motive_organisation="",
        motive_personal="",
        severity="high",
    ),
    NeedRow(
        category="service",
        problem="现有厂商响应慢 The current vendor answers slowly",
        target="",
        motive_organisation="停机影响生产 Downtime stops production",
        motive_personal="",
        severity="medium",
    ),
]

DEMO_CRITERIA = [
    CriterionRow(
        text="月结时效 Close time",
        threshold="≤ 2 天 days",
        weight=30,
        origin="us",
        our_fit=5,
        competitor_fits=(3, 4),
        status="rfp",
    ),
    CriterionRow(
        text="本地化服务 On-site service",
        threshold="4 小时到场 on site in 4 h",
        weight=25,
        origin="us",
        our_fit=4,
        competitor_fits=(4, 3),
        status="rfp",
    ),
    CriterionRow(
        text="国产化适配 Domestic stack certified",
        threshold="信创认证 certified",
        weight=20,
        origin="competitor",
        our_fit=3,
        competitor_fits=(5, 4),
        status="final",
    ),
    CriterionRow(
        text="价格 Price",
        threshold="≤ 预算 within budget",
        weight=15,
        origin="customer",
        our_fit=3,
        competitor_fits=(4, 4),
        status="final",
    ),
    CriterionRow(
        text="成功案例 References in the sector",
        threshold="≥ 3 家 3+",
        weight=10,
        origin="customer",
        our_fit=4,
        competitor_fits=(4, 2),
        status="draft",
    ),
]
