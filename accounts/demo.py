"""Demo accounts for `seed_demo`: a dozen customers with partial dossiers, so that completeness
and gaps show. Idempotent: rows are found by their natural keys and only created when missing.

Adds `context["accounts"]` (by name), `context["contacts"]` (by name) and
`context["competitors"]` (by name) for the apps seeded after this one.
"""

import datetime
from decimal import Decimal

from accounts.models import (
    Account,
    Competitor,
    CompetitorPresence,
    Contact,
    ContactTie,
    Department,
    DepartmentRelation,
    Function,
    InstalledProduct,
    Level,
    PersonalProfile,
    PurchasePlan,
)

U, T, P, X = Function.USER, Function.TECHNICAL, Function.PROCUREMENT, Function.OTHER
OP, MG, DC = Level.OPERATIONAL, Level.MANAGEMENT, Level.DECISION

COMPETITORS = {
    "华为 Huawei": (
        "产品线全、渠道强、价格灵活 / broad portfolio, strong channel",
        "定制化响应慢 / slow on customisation",
    ),
    "浪潮 Inspur": ("政府与能源行业关系深 / deep ties in government and energy", "服务网点少"),
    "用友 Yonyou": ("财务软件市场占有率高 / market leader in finance software", "实施周期长"),
    "金蝶 Kingdee": ("云产品起步早 / early in cloud", "大型项目经验少 / few large projects"),
    "Oracle": ("Database and ERP depth", "Licence cost, audits"),
    "SAP": ("Global ERP standard, strong in manufacturing", "Expensive, long implementations"),
    "新华三 H3C": ("网络设备性价比高 / value networking", "软件能力弱 / weak software"),
}

# Each account: its fields, then the partial dossier. Contacts: (name, title, department,
# function, level, reports to, extra fields).
ACCOUNTS = [
    {
        "name": "华东电网信息中心",
        "owner": "rep",
        "fields": {
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
            ("信息运维部", U, "王建国"),
            ("技术规划处", T, "陈立"),
            ("物资采购部", P, None),
            ("财务部", P, "周敏"),
        ],
        "department_parents": [("技术规划处", "信息运维部")],
        "relations": [("财务部", "constrains", "物资采购部", "预算审批")],
        "contacts": [
            ("刘志强", "信息中心主任", "信息运维部", U, DC, None, {"has_veto": True}),
            ("王建国", "运维部经理", "信息运维部", U, MG, "刘志强", {}),
            (
                "陈立",
                "技术规划处处长",
                "技术规划处",
                T,
                MG,
                "刘志强",
                {"is_guide": True, "guide_type": "technical"},
            ),
            ("赵小燕", "系统工程师", "技术规划处", T, OP, "陈立", {}),
            ("周敏", "财务部部长", "财务部", P, MG, None, {"has_veto": True}),
        ],
        "profiles": {
            "陈立": {
                "hobbies": "羽毛球、摄影",
                "favourite_food": "淮扬菜",
            },
            "刘志强": {"favourite_sports": "高尔夫", "vacation_plans": "10月10日–17日 云南休假"},
        },
        "ties": [("陈立", "friend", "赵小燕", "大学师兄妹"), ("王建国", "rival", "陈立", "争预算")],
        "installed": [
            ("服务器虚拟化", "VMware", "vSphere 7", 40, 6, "other", None, 3),
            ("数据中心交换机", "新华三 H3C", "S12500", 12, 5, "competitor", "新华三 H3C", 4),
        ],
        "plans": [
            (
                "调度数据平台扩容",
                "现有平台高峰期响应慢，月底报表延迟 3 天",
                2026,
                Decimal("6800000"),
            ),
        ],
        "presences": [
            ("华为 Huawei", "存储、云平台试点", 4, "孙磊", "技术交流频繁，重视高层关系", "strong"),
            ("新华三 H3C", "核心网络", None, "", "", "unknown"),
        ],
    },
    {
        "name": "江南银行",
        "owner": "rep",
        "fields": {
            "status": Account.Status.PROSPECT,
            "industry": "金融 Banking",
            "region": "苏州 Suzhou",
            "address": "苏州工业园区星海街 88 号",
            "phone": "0512-6666 8888",
            "business_scope": "城市商业银行：零售、对公、普惠金融",
            "finance_notes": "2025 年净利润增长 8%，IT 预算约占营收 3%",
            "employees": 3500,
        },
        "departments": [("科技部", T, "孙浩"), ("零售银行部", U, None), ("采购中心", P, None)],
        "relations": [],
        "contacts": [
            ("孙浩", "科技部总经理", "科技部", T, MG, "吴行长", {"has_veto": True}),
            ("吴行长", "副行长（分管科技）", None, X, DC, None, {}),
            (
                "林珊",
                "架构师",
                "科技部",
                T,
                OP,
                "孙浩",
                {"is_guide": True, "guide_type": "relationship"},
            ),
            ("何伟", "零售银行部副总", "零售银行部", U, MG, "吴行长", {}),
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
        "installed": [("核心系统", "Oracle", "Database 19c", 8, 9, "competitor", "Oracle", 2)],
        "plans": [("分布式核心改造", "", 2027, None)],
        "presences": [
            ("Oracle", "核心数据库", 2, "David Li", "strong on licence audits", "moderate")
        ],
    },
    {
        "name": "Shanghai Metro Group",
        "owner": "rep",
        "fields": {
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
            ("Operations Control Centre", U, "Grace Zhou"),
            ("IT Department", T, "Kevin Xu"),
            ("Procurement Office", P, "Helen Wang"),
        ],
        "department_parents": [],
        "relations": [],
        "contacts": [
            ("Michael Zhang", "Vice President, Operations", None, U, DC, None, {}),
            (
                "Grace Zhou",
                "Head of Control Centre",
                "Operations Control Centre",
                U,
                MG,
                "Michael Zhang",
                {"has_veto": True},
            ),
            (
                "Kevin Xu",
                "IT Director",
                "IT Department",
                T,
                MG,
                "Michael Zhang",
                {"is_guide": True, "guide_type": "technical"},
            ),
            (
                "Amy Lu",
                "Network Engineer",
                "IT Department",
                T,
                OP,
                "Kevin Xu",
                {"is_guide": True, "guide_type": "relationship"},
            ),
            ("Helen Wang", "Procurement Manager", "Procurement Office", P, MG, None, {}),
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
        "ties": [("Kevin Xu", "friend", "Amy Lu", ""), ("Grace Zhou", "rival", "Kevin Xu", "")],
        "installed": [
            ("Passenger information system", "Cuilong", "PIS 3", 1, 4, "ours", None, 4),
            ("ERP", "SAP", "ECC 6.0", 1, 12, "competitor", "SAP", 3),
        ],
        "plans": [
            (
                "Line 21 signalling data link",
                "Integrate new line into control centre",
                2026,
                Decimal("12000000"),
            )
        ],
        "presences": [("SAP", "ERP, maintenance module", None, "", "", "unknown")],
    },
    {
        "name": "Evergreen Logistics",
        "owner": "rep",
        "fields": {
            "status": Account.Status.TARGET,
            "industry": "Logistics",
            "region": "Ningbo",
            "phone": "+86 574 8888 1234",
        },
        "departments": [("Warehouse Operations", U, None)],
        "contacts": [
            ("Peter Huang", "Warehouse Manager", "Warehouse Operations", U, MG, None, {}),
        ],
        "profiles": {},
        "ties": [],
        "installed": [],
        "plans": [
            ("Warehouse management system", "Manual stock counts, 2% error rate", 2026, None)
        ],
        "presences": [],
    },
    {
        "name": "杭州智慧城市研究院",
        "owner": "rep2",
        "fields": {
            "status": Account.Status.PROSPECT,
            "industry": "政府 Government",
            "region": "杭州 Hangzhou",
            "business_scope": "城市大脑、数据治理与政务云规划",
        },
        "departments": [("数据治理中心", U, "钱丽"), ("综合办公室", P, None)],
        "contacts": [
            ("钱丽", "数据治理中心主任", "数据治理中心", U, MG, None, {}),
            ("郑工", "高级工程师", "数据治理中心", T, OP, "钱丽", {}),
        ],
        "profiles": {},
        "ties": [],
        "installed": [
            ("政务云", "浪潮 Inspur", "云海 OS", 1, 3, "competitor", "浪潮 Inspur", None)
        ],
        "plans": [],
        "presences": [("浪潮 Inspur", "政务云平台", None, "冯经理", "", "strong")],
    },
    {
        "name": "Pacific Pharma China",
        "owner": "rep2",
        "fields": {
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
            ("Quality Assurance", U, "Dr. Sarah Lin"),
            ("IT", T, None),
            ("Finance & Purchasing", P, "Robert Chan"),
        ],
        "contacts": [
            (
                "Dr. Sarah Lin",
                "QA Director",
                "Quality Assurance",
                U,
                MG,
                "Frank Müller",
                {"has_veto": True},
            ),
            ("Frank Müller", "General Manager China", None, X, DC, None, {}),
            ("Robert Chan", "CFO", "Finance & Purchasing", P, DC, "Frank Müller", {}),
            (
                "Lily Guo",
                "Validation Specialist",
                "Quality Assurance",
                U,
                OP,
                "Dr. Sarah Lin",
                {"is_guide": True, "guide_type": "technical"},
            ),
        ],
        "profiles": {"Frank Müller": {"hobbies": "Sailing, wine", "hometown": "Hamburg"}},
        "ties": [("Robert Chan", "friend", "Frank Müller", "golf partners")],
        "installed": [("LIMS", "Cuilong", "LabTrack", 1, 2, "ours", None, 5)],
        "plans": [],
        "presences": [],
    },
    {
        "name": "苏州精密制造股份",
        "owner": "rep",
        "fields": {
            "status": Account.Status.TARGET,
            "industry": "制造 Manufacturing",
            "region": "苏州 Suzhou",
        },
        "departments": [],
        "contacts": [("马经理", "IT 经理", None, T, MG, None, {})],
        "profiles": {},
        "ties": [],
        "installed": [("ERP", "用友 Yonyou", "U8", 1, 7, "competitor", "用友 Yonyou", 2)],
        "plans": [],
        "presences": [("用友 Yonyou", "U8 财务与供应链", 2, "", "", "unknown")],
    },
    {
        "name": "北方重工集团",
        "owner": "rival",
        "fields": {
            "status": Account.Status.PROSPECT,
            "industry": "制造 Manufacturing",
            "region": "沈阳 Shenyang",
            "employees": 15000,
        },
        "departments": [("信息化部", T, "高峰")],
        "contacts": [
            ("高峰", "信息化部部长", "信息化部", T, MG, None, {}),
            ("韩总", "总经理", None, X, DC, None, {}),
        ],
        "profiles": {},
        "ties": [],
        "installed": [],
        "plans": [("MES 升级", "车间数据靠手工录入", 2026, Decimal("3000000"))],
        "presences": [("SAP", "ERP", None, "", "", "unknown")],
    },
    {
        "name": "Golden Harbour Hotels",
        "owner": "manager",
        "fields": {
            "status": Account.Status.DORMANT,
            "industry": "Hospitality",
            "region": "Xiamen",
            "notes": "Paused after the 2024 merger; revisit when the new CIO is appointed.",
        },
        "departments": [],
        "contacts": [("Sophie Tan", "Former CIO", None, T, DC, None, {"is_active": False})],
        "profiles": {},
        "ties": [],
        "installed": [("Property management", "Oracle", "OPERA", 14, 8, "competitor", "Oracle", 3)],
        "plans": [],
        "presences": [],
    },
    {
        "name": "深圳新能源汽车有限公司",
        "owner": "manager",
        "fields": {
            "status": Account.Status.PROSPECT,
            "industry": "汽车 Automotive",
            "region": "深圳 Shenzhen",
            "address": "深圳市坪山区新能源大道 9 号",
            "business_scope": "电动车整车与电池系统研发制造",
            "revenue": Decimal("26000000000"),
        },
        "departments": [("数字化中心", T, "许娜"), ("采购部", P, "邓强")],
        "relations": [("采购部", "advises", "数字化中心", "供应商准入")],
        "contacts": [
            ("许娜", "CIO", "数字化中心", T, DC, None, {}),
            ("邓强", "采购总监", "采购部", P, MG, None, {"has_veto": True}),
            (
                "曹宇",
                "数据平台负责人",
                "数字化中心",
                T,
                MG,
                "许娜",
                {"is_guide": True, "guide_type": "technical"},
            ),
        ],
        "profiles": {"许娜": {"hobbies": "攀岩", "university": "清华大学", "major": "计算机"}},
        "ties": [],
        "installed": [],
        "plans": [("数据中台建设", "研发、生产、售后数据孤岛", 2026, Decimal("20000000"))],
        "presences": [
            ("华为 Huawei", "云与 AI 平台", 3, "李娟", "方案型，常带专家拜访", "moderate"),
            ("金蝶 Kingdee", "财务云", 4, "", "", "unknown"),
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
        "departments": [("运营部", U, "罗敏"), ("信息技术部", T, None)],
        "contacts": [
            ("罗敏", "运营部总经理", "运营部", U, MG, None, {}),
            ("唐静", "理赔主管", "运营部", U, OP, "罗敏", {}),
        ],
        "profiles": {"唐静": {"birthday": datetime.date(1990, 3, 8)}},
        "ties": [],
        "installed": [("理赔影像系统", "Cuilong", "ClaimView", 1, 3, "ours", None, None)],
        "plans": [],
        "presences": [],
    },
]


def _competitors() -> dict[str, Competitor]:
    return {
        name: Competitor.objects.get_or_create(
            name=name, defaults={"strengths": strengths, "weaknesses": weaknesses}
        )[0]
        for name, (strengths, weaknesses) in COMPETITORS.items()
    }


def _seed_account(spec, users, competitors, contacts_by_name) -> Account:
    account, _ = Account.objects.get_or_create(
        name=spec["name"], defaults={"owner": users[spec["owner"]], **spec["fields"]}
    )
    departments = {}
    for name, function, _head in spec.get("departments", []):
        departments[name] = Department.objects.get_or_create(
            account=account, name=name, defaults={"function": function}
        )[0]
    contacts = {}
    for name, title, department, function, level, _boss, extra in spec.get("contacts", []):
        contacts[name] = Contact.objects.get_or_create(
            account=account,
            name=name,
            defaults={
                "title": title,
                "department": departments.get(department),
                "function": function,
                "level": level,
                **extra,
            },
        )[0]
    # Second pass: links between rows created above, set once (an existing link is kept).
    for name, *_rest, boss, _extra in spec.get("contacts", []):
        contact = contacts[name]
        if boss and contact.reports_to_id is None:
            contact.reports_to = contacts[boss]
            contact.save()
    for name, _function, head in spec.get("departments", []):
        department = departments[name]
        if head and department.head_id is None:
            department.head = contacts[head]
            department.save()
    for child, parent in spec.get("department_parents", []):
        if departments[child].parent_id is None:
            departments[child].parent = departments[parent]
            departments[child].save()
    for source, kind, target, note in spec.get("relations", []):
        DepartmentRelation.objects.get_or_create(
            source=departments[source],
            target=departments[target],
            kind=kind,
            defaults={"note": note},
        )
    for name, values in spec.get("profiles", {}).items():
        PersonalProfile.objects.get_or_create(contact=contacts[name], defaults=values)
    for name, kind, other, note in spec.get("ties", []):
        ContactTie.objects.get_or_create(
            contact=contacts[name], other=contacts[other], defaults={"kind": kind, "note": note}
        )
    for purpose, brand, product, qty, years, vendor, competitor, satisfaction in spec.get(
        "installed", []
    ):
        InstalledProduct.objects.get_or_create(
            account=account,
            purpose=purpose,
            brand=brand,
            defaults={
                "product": product,
                "quantity": qty,
                "years_in_use": years,
                "vendor": vendor,
                "competitor": competitors.get(competitor),
                "satisfaction": satisfaction,
            },
        )
    for title, problem, year, budget in spec.get("plans", []):
        PurchasePlan.objects.get_or_create(
            account=account,
            title=title,
            defaults={
                "problem": problem,
                "expected_date": datetime.date(year, 9, 30),
                "budget": budget,
            },
        )
    for competitor, products, satisfaction, rep, style, relationship in spec.get("presences", []):
        CompetitorPresence.objects.get_or_create(
            account=account,
            competitor=competitors[competitor],
            defaults={
                "products_in_use": products,
                "satisfaction": satisfaction,
                "rep_name": rep,
                "rep_style": style,
                "rep_relationship": relationship,
            },
        )
    contacts_by_name.update(contacts)
    return account


def seed(context: dict) -> None:
    users = context["users"]
    competitors = _competitors()
    accounts, contacts = {}, {}
    for spec in ACCOUNTS:
        accounts[spec["name"]] = _seed_account(spec, users, competitors, contacts)
    # Li Na shares the Shanghai Metro account with her teammate Tom Chen.
    accounts["Shanghai Metro Group"].collaborators.add(users["rep2"])
    context["accounts"] = accounts
    context["contacts"] = contacts
    context["competitors"] = competitors
