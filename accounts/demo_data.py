"""The demo accounts of `seed_demo` as named records (accounts/demo.py creates them): a dozen
customers with partial dossiers, so that completeness and gaps show."""

import datetime
from decimal import Decimal
from typing import NamedTuple

from accounts.models import Account, Function, Level

U, T, P, X = Function.USER, Function.TECHNICAL, Function.PROCUREMENT, Function.OTHER
OP, MG, DC = Level.OPERATIONAL, Level.MANAGEMENT, Level.DECISION


class CompetitorRow(NamedTuple):
    strengths: str
    weaknesses: str


class DepartmentRow(NamedTuple):
    name: str
    function: str
    head: str | None  # a contact's name


class ParentRow(NamedTuple):
    child: str  # department names
    parent: str


class RelationRow(NamedTuple):
    source: str  # department names
    kind: str
    target: str
    note: str


class ContactRow(NamedTuple):
    name: str
    title: str
    department: str | None
    function: str
    level: str
    reports_to: str | None  # a contact's name
    extra: dict  # further Contact fields


class TieRow(NamedTuple):
    contact: str  # contact names
    kind: str
    other: str
    note: str


class InstalledRow(NamedTuple):
    purpose: str
    brand: str
    product: str
    quantity: int
    years_in_use: int
    vendor: str
    competitor: str | None
    satisfaction: int | None


class PlanRow(NamedTuple):
    title: str
    problem: str
    year: int  # expected by 30 September of that year
    budget: Decimal | None


class PresenceRow(NamedTuple):
    competitor: str
    products_in_use: str
    satisfaction: int | None
    rep_name: str
    rep_style: str
    rep_relationship: str


COMPETITORS = {
    "华为 Huawei": CompetitorRow(
        strengths="产品线全、渠道强、价格灵活 / broad portfolio, strong channel",
        weaknesses="定制化响应慢 / slow on customisation",
    ),
    "浪潮 Inspur": CompetitorRow(
        strengths="政府与能源行业关系深 / deep ties in government and energy",
        weaknesses="服务网点少",
    ),
    "用友 Yonyou": CompetitorRow(
        strengths="财务软件市场占有率高 / market leader in finance software",
        weaknesses="实施周期长",
    ),
    "金蝶 Kingdee": CompetitorRow(
        strengths="云产品起步早 / early in cloud", weaknesses="大型项目经验少 / few large projects"
    ),
    "Oracle": CompetitorRow(strengths="Database and ERP depth", weaknesses="Licence cost, audits"),
    "SAP": CompetitorRow(
        strengths="Global ERP standard, strong in manufacturing",
        weaknesses="Expensive, long implementations",
    ),
    "新华三 H3C": CompetitorRow(
        strengths="网络设备性价比高 / value networking", weaknesses="软件能力弱 / weak software"
    ),
}

# Each account: its fields, then the partial dossier, as named records.
ACCOUNTS = [
    {
        "name": "华东电网信息中心",
        "owner": "rep",
        "fields": {
            "account_type": Account.Type.STATE_OWNED,
            "status": Account.Status.TARGET,
            "industry": "能源 Energy",
            "region": "上海 Shanghai",
            "address": "上海市浦东新区世纪大道 1 号",
            "phone": "021-5888 0000",
            "website": "https://www.ecgrid.example.cn",
            "business_scope": "华东区域电网的信息化建设与运维、数据中心、调度系统",
            "revenue": Decimal("1800000000"),
            "employees": 1200,
            "year_established": 1998,
        },
        "departments": [
            DepartmentRow(name="信息运维部", function=U, head="王建国"),
            DepartmentRow(name="技术规划处", function=T, head="陈立"),
            DepartmentRow(name="物资采购部", function=P, head=None),
            DepartmentRow(name="财务部", function=P, head="周敏"),
        ],
        "department_parents": [ParentRow(child="技术规划处", parent="信息运维部")],
        "relations": [
            RelationRow(source="财务部", kind="constrains", target="物资采购部", note="预算审批")
        ],
        "contacts": [
            ContactRow(
                name="刘志强",
                title="信息中心主任",
                department="信息运维部",
                function=U,
                level=DC,
                reports_to=None,
                extra={"has_veto": True},
            ),
            ContactRow(
                name="王建国",
                title="运维部经理",
                department="信息运维部",
                function=U,
                level=MG,
                reports_to="刘志强",
                extra={},
            ),
            ContactRow(
                name="陈立",
                title="技术规划处处长",
                department="技术规划处",
                function=T,
                level=MG,
                reports_to="刘志强",
                extra={"is_guide": True, "guide_type": "technical"},
            ),
            ContactRow(
                name="赵小燕",
                title="系统工程师",
                department="技术规划处",
                function=T,
                level=OP,
                reports_to="陈立",
                extra={},
            ),
            ContactRow(
                name="周敏",
                title="财务部部长",
                department="财务部",
                function=P,
                level=MG,
                reports_to=None,
                extra={"has_veto": True},
            ),
        ],
        "profiles": {
            "陈立": {
                "hobbies": "羽毛球、摄影",
                "favourite_food": "淮扬菜",
            },
            "刘志强": {"favourite_sports": "高尔夫", "vacation_plans": "10月10日–17日 云南休假"},
        },
        "ties": [
            TieRow(contact="陈立", kind="friend", other="赵小燕", note="大学师兄妹"),
            TieRow(contact="王建国", kind="rival", other="陈立", note="争预算"),
        ],
        "installed": [
            InstalledRow(
                purpose="服务器虚拟化",
                brand="VMware",
                product="vSphere 7",
                quantity=40,
                years_in_use=6,
                vendor="other",
                competitor=None,
                satisfaction=3,
            ),
            InstalledRow(
                purpose="数据中心交换机",
                brand="新华三 H3C",
                product="S12500",
                quantity=12,
                years_in_use=5,
                vendor="competitor",
                competitor="新华三 H3C",
                satisfaction=4,
            ),
        ],
        "plans": [
            PlanRow(
                title="调度数据平台扩容",
                problem="现有平台高峰期响应慢，月底报表延迟 3 天",
                year=2026,
                budget=Decimal("6800000"),
            ),
        ],
        "presences": [
            PresenceRow(
                competitor="华为 Huawei",
                products_in_use="存储、云平台试点",
                satisfaction=4,
                rep_name="孙磊",
                rep_style="技术交流频繁，重视高层关系",
                rep_relationship="strong",
            ),
            PresenceRow(
                competitor="新华三 H3C",
                products_in_use="核心网络",
                satisfaction=None,
                rep_name="",
                rep_style="",
                rep_relationship="unknown",
            ),
        ],
    },
    {
        "name": "江南银行",
        "owner": "rep",
        "fields": {
            "account_type": Account.Type.STATE_OWNED,
            "status": Account.Status.PROSPECT,
            "industry": "金融 Banking",
            "region": "苏州 Suzhou",
            "address": "苏州工业园区星海街 88 号",
            "phone": "0512-6666 8888",
            "business_scope": "城市商业银行：零售、对公、普惠金融",
            "finance_notes": "2025 年净利润增长 8%，IT 预算约占营收 3%",
            "employees": 3500,
        },
        "departments": [
            DepartmentRow(name="科技部", function=T, head="孙浩"),
            DepartmentRow(name="零售银行部", function=U, head=None),
            DepartmentRow(name="采购中心", function=P, head=None),
        ],
        "relations": [],
        "contacts": [
            ContactRow(
                name="孙浩",
                title="科技部总经理",
                department="科技部",
                function=T,
                level=MG,
                reports_to="吴行长",
                extra={"has_veto": True},
            ),
            ContactRow(
                name="吴行长",
                title="副行长（分管科技）",
                department=None,
                function=X,
                level=DC,
                reports_to=None,
                extra={},
            ),
            ContactRow(
                name="林珊",
                title="架构师",
                department="科技部",
                function=T,
                level=OP,
                reports_to="孙浩",
                extra={"is_guide": True, "guide_type": "relationship"},
            ),
            ContactRow(
                name="何伟",
                title="零售银行部副总",
                department="零售银行部",
                function=U,
                level=MG,
                reports_to="吴行长",
                extra={},
            ),
        ],
        "profiles": {
            "林珊": {
                "hobbies": "马拉松、咖啡",
                "hometown": "浙江杭州",
                # She keeps her lunar birthday, as many customers do.
                "birthday_calendar": "lunar",
                "lunar_birthday_month": 8,
                "lunar_birthday_day": 15,
            }
        },
        "ties": [],
        "installed": [
            InstalledRow(
                purpose="核心系统",
                brand="Oracle",
                product="Database 19c",
                quantity=8,
                years_in_use=9,
                vendor="competitor",
                competitor="Oracle",
                satisfaction=2,
            )
        ],
        "plans": [PlanRow(title="分布式核心改造", problem="", year=2027, budget=None)],
        "presences": [
            PresenceRow(
                competitor="Oracle",
                products_in_use="核心数据库",
                satisfaction=2,
                rep_name="David Li",
                rep_style="strong on licence audits",
                rep_relationship="moderate",
            )
        ],
    },
    {
        "name": "Shanghai Metro Group",
        "owner": "rep",
        "fields": {
            "account_type": Account.Type.STATE_OWNED,
            "status": Account.Status.CUSTOMER,
            "industry": "Transport",
            "region": "Shanghai",
            "website": "https://www.metro.example.com",
            "email": "it@metro.example.com",
            "business_scope": "Operation and maintenance of 20 metro lines",
            "revenue": Decimal("9500000000"),
            "employees": 28000,
            "year_established": 2000,
        },
        "departments": [
            DepartmentRow(name="Operations Control Centre", function=U, head="Grace Zhou"),
            DepartmentRow(name="IT Department", function=T, head="Kevin Xu"),
            DepartmentRow(name="Procurement Office", function=P, head="Helen Wang"),
        ],
        "department_parents": [],
        "relations": [],
        "contacts": [
            ContactRow(
                name="Michael Zhang",
                title="Vice President, Operations",
                department=None,
                function=U,
                level=DC,
                reports_to=None,
                extra={},
            ),
            ContactRow(
                name="Grace Zhou",
                title="Head of Control Centre",
                department="Operations Control Centre",
                function=U,
                level=MG,
                reports_to="Michael Zhang",
                extra={"has_veto": True},
            ),
            ContactRow(
                name="Kevin Xu",
                title="IT Director",
                department="IT Department",
                function=T,
                level=MG,
                reports_to="Michael Zhang",
                extra={"is_guide": True, "guide_type": "technical"},
            ),
            ContactRow(
                name="Amy Lu",
                title="Network Engineer",
                department="IT Department",
                function=T,
                level=OP,
                reports_to="Kevin Xu",
                extra={"is_guide": True, "guide_type": "relationship"},
            ),
            ContactRow(
                name="Helen Wang",
                title="Procurement Manager",
                department="Procurement Office",
                function=P,
                level=MG,
                reports_to=None,
                extra={},
            ),
        ],
        "profiles": {
            "Michael Zhang": {
                "hobbies": "Go (围棋), hiking",
                "university": "Tongji University",
                "favourite_reading": "The Economist",
            },
            "Kevin Xu": {
                "favourite_sports": "Football",
                "family": "Two sons",
            },
        },
        "ties": [
            TieRow(contact="Kevin Xu", kind="friend", other="Amy Lu", note=""),
            TieRow(contact="Grace Zhou", kind="rival", other="Kevin Xu", note=""),
        ],
        "installed": [
            InstalledRow(
                purpose="Passenger information system",
                brand="Cuilong",
                product="PIS 3",
                quantity=1,
                years_in_use=4,
                vendor="ours",
                competitor=None,
                satisfaction=4,
            ),
            InstalledRow(
                purpose="ERP",
                brand="SAP",
                product="ECC 6.0",
                quantity=1,
                years_in_use=12,
                vendor="competitor",
                competitor="SAP",
                satisfaction=3,
            ),
        ],
        "plans": [
            PlanRow(
                title="Line 21 signalling data link",
                problem="Integrate new line into control centre",
                year=2026,
                budget=Decimal("12000000"),
            )
        ],
        "presences": [
            PresenceRow(
                competitor="SAP",
                products_in_use="ERP, maintenance module",
                satisfaction=None,
                rep_name="",
                rep_style="",
                rep_relationship="unknown",
            )
        ],
    },
    {
        "name": "Evergreen Logistics",
        "owner": "rep",
        "fields": {
            "account_type": Account.Type.PRIVATE,
            "status": Account.Status.TARGET,
            "industry": "Logistics",
            "region": "Ningbo",
            "phone": "+86 574 8888 1234",
        },
        "departments": [DepartmentRow(name="Warehouse Operations", function=U, head=None)],
        "contacts": [
            ContactRow(
                name="Peter Huang",
                title="Warehouse Manager",
                department="Warehouse Operations",
                function=U,
                level=MG,
                reports_to=None,
                extra={},
            ),
        ],
        "profiles": {},
        "ties": [],
        "installed": [],
        "plans": [
            PlanRow(
                title="Warehouse management system",
                problem="Manual stock counts, 2% error rate",
                year=2026,
                budget=None,
            )
        ],
        "presences": [],
    },
    {
        "name": "杭州智慧城市研究院",
        "owner": "rep2",
        "fields": {
            "account_type": Account.Type.GOVERNMENT,
            "status": Account.Status.PROSPECT,
            "industry": "政府 Government",
            "region": "杭州 Hangzhou",
            "business_scope": "城市大脑、数据治理与政务云规划",
        },
        "departments": [
            DepartmentRow(name="数据治理中心", function=U, head="钱丽"),
            DepartmentRow(name="综合办公室", function=P, head=None),
        ],
        "contacts": [
            ContactRow(
                name="钱丽",
                title="数据治理中心主任",
                department="数据治理中心",
                function=U,
                level=MG,
                reports_to=None,
                extra={},
            ),
            ContactRow(
                name="郑工",
                title="高级工程师",
                department="数据治理中心",
                function=T,
                level=OP,
                reports_to="钱丽",
                extra={},
            ),
        ],
        "profiles": {},
        "ties": [],
        "installed": [
            InstalledRow(
                purpose="政务云",
                brand="浪潮 Inspur",
                product="云海 OS",
                quantity=1,
                years_in_use=3,
                vendor="competitor",
                competitor="浪潮 Inspur",
                satisfaction=None,
            )
        ],
        "plans": [],
        "presences": [
            PresenceRow(
                competitor="浪潮 Inspur",
                products_in_use="政务云平台",
                satisfaction=None,
                rep_name="冯经理",
                rep_style="",
                rep_relationship="strong",
            )
        ],
    },
    {
        "name": "Pacific Pharma China",
        "owner": "rep2",
        "fields": {
            "account_type": Account.Type.FOREIGN,
            "status": Account.Status.CUSTOMER,
            "industry": "Pharmaceuticals",
            "region": "Shanghai",
            "website": "https://pacificpharma.example.com",
            "revenue": Decimal("3200000000"),
            "employees": 2100,
            "year_established": 2006,
            "finance_notes": "Listed in Hong Kong; budget cycle closes in October",
        },
        "departments": [
            DepartmentRow(name="Quality Assurance", function=U, head="Dr. Sarah Lin"),
            DepartmentRow(name="IT", function=T, head=None),
            DepartmentRow(name="Finance & Purchasing", function=P, head="Robert Chan"),
        ],
        "contacts": [
            ContactRow(
                name="Dr. Sarah Lin",
                title="QA Director",
                department="Quality Assurance",
                function=U,
                level=MG,
                reports_to="Frank Müller",
                extra={"has_veto": True},
            ),
            ContactRow(
                name="Frank Müller",
                title="General Manager China",
                department=None,
                function=X,
                level=DC,
                reports_to=None,
                extra={},
            ),
            ContactRow(
                name="Robert Chan",
                title="CFO",
                department="Finance & Purchasing",
                function=P,
                level=DC,
                reports_to="Frank Müller",
                extra={},
            ),
            ContactRow(
                name="Lily Guo",
                title="Validation Specialist",
                department="Quality Assurance",
                function=U,
                level=OP,
                reports_to="Dr. Sarah Lin",
                extra={"is_guide": True, "guide_type": "technical"},
            ),
        ],
        "profiles": {"Frank Müller": {"hobbies": "Sailing, wine", "hometown": "Hamburg"}},
        "ties": [
            TieRow(contact="Robert Chan", kind="friend", other="Frank Müller", note="golf partners")
        ],
        "installed": [
            InstalledRow(
                purpose="LIMS",
                brand="Cuilong",
                product="LabTrack",
                quantity=1,
                years_in_use=2,
                vendor="ours",
                competitor=None,
                satisfaction=5,
            )
        ],
        "plans": [],
        "presences": [],
    },
    {
        "name": "苏州精密制造股份",
        "owner": "rep",
        "fields": {
            "account_type": Account.Type.PRIVATE,
            "status": Account.Status.TARGET,
            "industry": "制造 Manufacturing",
            "region": "苏州 Suzhou",
        },
        "departments": [],
        "contacts": [
            ContactRow(
                name="马经理",
                title="IT 经理",
                department=None,
                function=T,
                level=MG,
                reports_to=None,
                extra={},
            )
        ],
        "profiles": {},
        "ties": [],
        "installed": [
            InstalledRow(
                purpose="ERP",
                brand="用友 Yonyou",
                product="U8",
                quantity=1,
                years_in_use=7,
                vendor="competitor",
                competitor="用友 Yonyou",
                satisfaction=2,
            )
        ],
        "plans": [],
        "presences": [
            PresenceRow(
                competitor="用友 Yonyou",
                products_in_use="U8 财务与供应链",
                satisfaction=2,
                rep_name="",
                rep_style="",
                rep_relationship="unknown",
            )
        ],
    },
    {
        "name": "北方重工集团",
        "owner": "rival",
        "fields": {
            "account_type": Account.Type.STATE_OWNED,
            "status": Account.Status.PROSPECT,
            "industry": "制造 Manufacturing",
            "region": "沈阳 Shenyang",
            "employees": 15000,
        },
        "departments": [DepartmentRow(name="信息化部", function=T, head="高峰")],
        "contacts": [
            ContactRow(
                name="高峰",
                title="信息化部部长",
                department="信息化部",
                function=T,
                level=MG,
                reports_to=None,
                extra={},
            ),
            ContactRow(
                name="韩总",
                title="总经理",
                department=None,
                function=X,
                level=DC,
                reports_to=None,
                extra={},
            ),
        ],
        "profiles": {},
        "ties": [],
        "installed": [],
        "plans": [
            PlanRow(
                title="MES 升级", problem="车间数据靠手工录入", year=2026, budget=Decimal("3000000")
            )
        ],
        "presences": [
            PresenceRow(
                competitor="SAP",
                products_in_use="ERP",
                satisfaction=None,
                rep_name="",
                rep_style="",
                rep_relationship="unknown",
            )
        ],
    },
    {
        "name": "Golden Harbour Hotels",
        "owner": "manager",
        "fields": {
            "account_type": Account.Type.FOREIGN,
            "status": Account.Status.DORMANT,
            "industry": "Hospitality",
            "region": "Xiamen",
            "notes": "Paused after the 2024 merger; revisit when the new CIO is appointed.",
        },
        "departments": [],
        "contacts": [
            ContactRow(
                name="Sophie Tan",
                title="Former CIO",
                department=None,
                function=T,
                level=DC,
                reports_to=None,
                extra={"is_active": False},
            )
        ],
        "profiles": {},
        "ties": [],
        "installed": [
            InstalledRow(
                purpose="Property management",
                brand="Oracle",
                product="OPERA",
                quantity=14,
                years_in_use=8,
                vendor="competitor",
                competitor="Oracle",
                satisfaction=3,
            )
        ],
        "plans": [],
        "presences": [],
    },
    {
        "name": "深圳新能源汽车有限公司",
        "owner": "manager",
        "fields": {
            "account_type": Account.Type.PRIVATE,
            "status": Account.Status.PROSPECT,
            "industry": "汽车 Automotive",
            "region": "深圳 Shenzhen",
            "address": "深圳市坪山区新能源大道 9 号",
            "business_scope": "电动车整车与电池系统研发制造",
            "revenue": Decimal("26000000000"),
        },
        "departments": [
            DepartmentRow(name="数字化中心", function=T, head="许娜"),
            DepartmentRow(name="采购部", function=P, head="邓强"),
        ],
        "relations": [
            RelationRow(source="采购部", kind="advises", target="数字化中心", note="供应商准入")
        ],
        "contacts": [
            ContactRow(
                name="许娜",
                title="CIO",
                department="数字化中心",
                function=T,
                level=DC,
                reports_to=None,
                extra={},
            ),
            ContactRow(
                name="邓强",
                title="采购总监",
                department="采购部",
                function=P,
                level=MG,
                reports_to=None,
                extra={"has_veto": True},
            ),
            ContactRow(
                name="曹宇",
                title="数据平台负责人",
                department="数字化中心",
                function=T,
                level=MG,
                reports_to="许娜",
                extra={"is_guide": True, "guide_type": "technical"},
            ),
        ],
        "profiles": {"许娜": {"hobbies": "攀岩", "university": "清华大学", "major": "计算机"}},
        "ties": [],
        "installed": [],
        "plans": [
            PlanRow(
                title="数据中台建设",
                problem="研发、生产、售后数据孤岛",
                year=2026,
                budget=Decimal("20000000"),
            )
        ],
        "presences": [
            PresenceRow(
                competitor="华为 Huawei",
                products_in_use="云与 AI 平台",
                satisfaction=3,
                rep_name="李娟",
                rep_style="方案型，常带专家拜访",
                rep_relationship="moderate",
            ),
            PresenceRow(
                competitor="金蝶 Kingdee",
                products_in_use="财务云",
                satisfaction=4,
                rep_name="",
                rep_style="",
                rep_relationship="unknown",
            ),
        ],
    },
    {
        "name": "Riverside University Hospital",
        "owner": "rep2",
        "fields": {"status": Account.Status.TARGET, "industry": "Healthcare", "region": "Chengdu"},
        "departments": [],
        "contacts": [],
        "profiles": {},
        "ties": [],
        "installed": [],
        "plans": [],
        "presences": [],
    },
    {
        "name": "国泰保险上海分公司",
        "owner": "rep",
        "fields": {
            "status": Account.Status.CUSTOMER,
            "industry": "金融 Insurance",
            "region": "上海 Shanghai",
            "phone": "021-6000 1234",
            "business_scope": "财产险、健康险",
            "employees": 900,
        },
        "departments": [
            DepartmentRow(name="运营部", function=U, head="罗敏"),
            DepartmentRow(name="信息技术部", function=T, head=None),
        ],
        "contacts": [
            ContactRow(
                name="罗敏",
                title="运营部总经理",
                department="运营部",
                function=U,
                level=MG,
                reports_to=None,
                extra={},
            ),
            ContactRow(
                name="唐静",
                title="理赔主管",
                department="运营部",
                function=U,
                level=OP,
                reports_to="罗敏",
                extra={},
            ),
        ],
        "profiles": {"唐静": {"birthday": datetime.date(1990, 3, 8)}},
        "ties": [],
        "installed": [
            InstalledRow(
                purpose="理赔影像系统",
                brand="Cuilong",
                product="ClaimView",
                quantity=1,
                years_in_use=3,
                vendor="ours",
                competitor=None,
                satisfaction=None,
            )
        ],
        "plans": [],
        "presences": [],
    },
]
