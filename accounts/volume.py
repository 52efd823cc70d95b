"""Volume data, step 2: accounts with partial dossiers, departments, contacts with personal
profiles, competitors and installed base (see `manage.py seed_volume`)."""

from accounts.models import (
    Account,
    Competitor,
    CompetitorPresence,
    Contact,
    Department,
    Function,
    InstalledProduct,
    Level,
    PersonalProfile,
)
from crm.volume import BATCH, PREFIX

INDUSTRIES = [
    "能源 Energy",
    "银行 Banking",
    "制造 Manufacturing",
    "零售 Retail",
    "物流 Logistics",
    "医疗 Healthcare",
    "教育 Education",
    "政府 Government",
    "电信 Telecom",
    "保险 Insurance",
]
REGIONS = [
    "华东 East",
    "华北 North",
    "华南 South",
    "西南 Southwest",
    "东北 Northeast",
    "西北 Northwest",
]
CITIES = ["上海", "北京", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "沈阳"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "勇", "艳", "杰", "涛", "明", "超"]
DEPARTMENTS = [
    ("信息中心", Function.USER),
    ("技术部", Function.TECHNICAL),
    ("采购部", Function.PROCUREMENT),
    ("财务部", Function.PROCUREMENT),
]
TITLES = {Level.OPERATIONAL: "工程师", Level.MANAGEMENT: "经理", Level.DECISION: "总监"}


def clear() -> None:
    Account.objects.filter(name__startswith=PREFIX).delete()
    Competitor.objects.filter(name__startswith=PREFIX).delete()


def seed(context: dict) -> None:
    rng, size, owners = context["rng"], context["size"], context["owners"]
    competitors = Competitor.objects.bulk_create(
        [
            Competitor(name=f"{PREFIX}Competitor {n:02d}", strengths="价格", weaknesses="服务")
            for n in range(12)
        ]
    )
    accounts = Account.objects.bulk_create(
        [
            Account(
                name=f"{PREFIX}{rng.choice(CITIES)}{rng.choice(INDUSTRIES)[:2]}集团 {n:05d}",
                status=rng.choice(list(Account.Status.values)),
                industry=rng.choice(INDUSTRIES),
                region=rng.choice(REGIONS),
                owner=owners[n % len(owners)],
                phone=f"021-{rng.randrange(10_000_000, 99_999_999)}" if rng.random() < 0.8 else "",
                revenue=rng.randrange(10, 50_000) * 100_000 if rng.random() < 0.6 else None,
                employees=rng.randrange(50, 50_000) if rng.random() < 0.6 else None,
                year_established=rng.randrange(1950, 2024) if rng.random() < 0.5 else None,
                business_scope="主营业务与数字化转型" if rng.random() < 0.5 else "",
            )
            for n in range(size["accounts"])
        ],
        batch_size=BATCH,
    )
    departments = Department.objects.bulk_create(
        [
            Department(account=account, name=name, function=function)
            for account in accounts
            for name, function in DEPARTMENTS
        ],
        batch_size=BATCH,
    )
    contacts = []
    for index, account in enumerate(accounts):
        own_departments = departments[index * len(DEPARTMENTS) : (index + 1) * len(DEPARTMENTS)]
        for number in range(size["contacts"]):
            level = (
                (Level.DECISION, Level.MANAGEMENT, Level.MANAGEMENT)[number]
                if number < 3
                else (Level.OPERATIONAL)
            )
            department = own_departments[number % len(own_departments)]
            is_guide = rng.random() < 0.1
            contacts.append(
                Contact(
                    account=account,
                    department=department,
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    title=department.name + TITLES[level],
                    mobile=f"139{rng.randrange(10_000_000, 99_999_999)}",
                    function=department.function,
                    level=level,
                    has_veto=level == Level.MANAGEMENT and rng.random() < 0.3,
                    is_guide=is_guide,
                    guide_type=rng.choice(list(Contact.GuideType.values)) if is_guide else "",
                )
            )
    contacts = Contact.objects.bulk_create(contacts, batch_size=BATCH)
    heads = []
    for index, department in enumerate(departments):
        if rng.random() < 0.7:
            department.head = contacts[(index // len(DEPARTMENTS)) * size["contacts"]]
            heads.append(department)
    Department.objects.bulk_update(heads, ["head"], batch_size=BATCH)
    PersonalProfile.objects.bulk_create(
        [
            PersonalProfile(
                contact=contact,
                hometown=rng.choice(CITIES),
                hobbies=rng.choice(["羽毛球", "钓鱼", "高尔夫", "书法", "跑步", "摄影"]),
                birthday=None
                if rng.random() < 0.5
                else f"19{rng.randrange(60, 99)}-"
                f"{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            )
            for contact in contacts
            if rng.random() < 0.4
        ],
        batch_size=BATCH,
    )
    CompetitorPresence.objects.bulk_create(
        [
            CompetitorPresence(
                account=account,
                competitor=competitor,
                products_in_use="核心系统",
                satisfaction=rng.choice([None, 2, 3, 4]),
            )
            for account in accounts
            if rng.random() < 0.5
            for competitor in rng.sample(competitors, 2)
        ],
        batch_size=BATCH,
    )
    InstalledProduct.objects.bulk_create(
        [
            InstalledProduct(
                account=account,
                purpose=rng.choice(["ERP", "CRM", "存储 Storage", "网络 Network"]),
                brand=rng.choice(["SAP", "Oracle", "华为", "用友", "金蝶"]),
                quantity=rng.randrange(1, 200),
                years_in_use=rng.randrange(0, 15),
                satisfaction=rng.choice([None, 2, 3, 4, 5]),
            )
            for account in accounts
            if rng.random() < 0.7
        ],
        batch_size=BATCH,
    )
    context["accounts"] = accounts
    context["contacts"] = contacts
    context["competitors"] = competitors
