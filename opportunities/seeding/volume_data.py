"""The tables of the volume seed (opportunities/volume.py and seeding/volume_moves.py) as named
records: the product catalogue, and the needs, criteria, concerns and payment milestones the
deals of moves 3–6 take in turn."""

from typing import NamedTuple

from opportunities.models.contract import RiskType


class ProductRow(NamedTuple):
    name: str
    series: str
    list_price: int


class ProblemRow(NamedTuple):
    problem: str
    target: str


class CriterionRow(NamedTuple):
    text: str
    threshold: str


class ConcernRow(NamedTuple):
    risk_type: str
    signal: str


class MilestoneRow(NamedTuple):
    name: str
    share: str  # of the contract amount, a Decimal literal
    days_after_signing: int


PRODUCTS = [
    ProductRow(name="ERP 企业版 Enterprise", series="ERP", list_price=480_000),
    ProductRow(name="ERP 标准版 Standard", series="ERP", list_price=120_000),
    ProductRow(name="数据平台 Data Platform", series="Data", list_price=350_000),
    ProductRow(name="存储阵列 Storage Array", series="Infra", list_price=260_000),
    ProductRow(name="网络交换 Switching", series="Infra", list_price=90_000),
    ProductRow(name="运维服务 Managed Service", series="Service", list_price=60_000),
    ProductRow(name="咨询 Consulting", series="Service", list_price=30_000),
]

PROBLEMS = [
    ProblemRow(
        problem="月结要5天，管理层看不到实时数据 / month-end close takes 5 days",
        target="月结 ≤ 2 天 / close ≤ 2 days",
    ),
    ProblemRow(
        problem="系统高峰期宕机 / the system goes down at peak load",
        target="可用性 99.9% / 99.9% uptime",
    ),
    ProblemRow(
        problem="库存数据不准 / inventory figures are wrong", target="准确率 ≥ 99% / ≥ 99% accurate"
    ),
    ProblemRow(
        problem="上线周期太长 / projects take too long to go live",
        target="6 个月内上线 / live within 6 months",
    ),
]
CRITERIA = [
    CriterionRow(text="支持多组织合并报表 / consolidated multi-entity reports", threshold="≤ 2 天"),
    CriterionRow(text="7×24 本地服务 / 24×7 local support", threshold="4 小时到场"),
    CriterionRow(text="国产化适配 / domestic stack certified", threshold="信创目录"),
    CriterionRow(text="总拥有成本 / total cost of ownership", threshold="5 年 ≤ 预算"),
]
CONCERNS = [
    ConcernRow(
        risk_type=RiskType.PRICE, signal="再等等，预算还要再看看 / let's wait, budget under review"
    ),
    ConcernRow(risk_type=RiskType.DELIVERY, signal="担心上线延期 / worried the go-live slips"),
    ConcernRow(risk_type=RiskType.CAREER, signal="项目失败谁负责？ / who answers if it fails?"),
]
MILESTONES = [
    MilestoneRow(name="签约 30% / 30% at signing", share="0.3", days_after_signing=0),
    MilestoneRow(name="验收 50% / 50% at acceptance", share="0.5", days_after_signing=90),
    MilestoneRow(name="质保 20% / 20% after warranty", share="0.2", days_after_signing=365),
]
