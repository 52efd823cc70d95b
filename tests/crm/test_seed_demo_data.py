"""What `seed_demo` makes, pinned: the number of rows of every seeded model and a few named
records, so that rewriting the seed tables (as named records) cannot change the demo."""

from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import Contact, InstalledProduct
from opportunities.models import LineItem, Opportunity
from relationships.models import Activity, Relationship

pytestmark = pytest.mark.django_db(transaction=False)

COUNTS = {
    "accounts.Account": 13,  # with one lying in the shared pool
    "accounts.Competitor": 7,
    "accounts.CompetitorPresence": 9,
    "accounts.Contact": 31,
    "accounts.ContactTie": 5,
    "accounts.Department": 21,
    "accounts.DepartmentRelation": 2,
    "accounts.InstalledProduct": 10,
    "accounts.PersonalProfile": 8,
    "accounts.PurchasePlan": 6,
    "crm.Membership": 4,
    "crm.Team": 2,
    "crm.User": 5,
    "opportunities.Commitment": 2,
    "opportunities.Concern": 4,
    "opportunities.Contract": 1,
    "opportunities.CriterionCompetitorFit": 50,
    "opportunities.DealReview": 1,
    "opportunities.Evaluation": 3,
    "opportunities.LineItem": 22,
    "opportunities.MoveChange": 34,
    "opportunities.Need": 15,
    "opportunities.NegotiationItem": 4,
    "opportunities.Opportunity": 11,
    "opportunities.PaymentMilestone": 3,
    "opportunities.Product": 8,
    "opportunities.ProjectApproval": 5,
    "opportunities.PurchaseCriterion": 25,
    "opportunities.Receipt": 1,
    "opportunities.SalesTarget": 16,
    "opportunities.Stakeholder": 35,
    "opportunities.StakeholderRole": 58,
    "opportunities.ValuePoint": 6,
    "relationships.Activity": 23,  # with the demo 中秋 greeting logged as contact, a 交接引荐
    "relationships.PlannedActivity": 2,
    "relationships.Relationship": 18,
    "relationships.StageChange": 7,
    "relationships.Todo": 3,
    "pool.PoolRule": 1,
    "pool.PooledAccount": 1,
    "pool.PoolMove": 1,
}


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=StringIO())


def test_seed_demo_makes_the_pinned_number_of_rows(seeded):
    counts = {label: apps.get_model(label)._base_manager.count() for label in COUNTS}
    assert counts == COUNTS


def test_a_seeded_contact_keeps_every_value(seeded):
    chen = Contact.objects.select_related("account", "department", "reports_to").get(name="陈立")
    assert chen.account.name == "华东电网信息中心"
    assert (chen.title, chen.department.name) == ("技术规划处处长", "技术规划处")
    assert (chen.function, chen.level) == ("technical", "management")
    assert (chen.reports_to.name, chen.is_guide, chen.guide_type) == ("刘志强", True, "technical")
    assert chen.profile.hobbies == "羽毛球、摄影"
    assert chen.headed_departments.get().name == "技术规划处"


def test_a_seeded_installed_product_keeps_every_value(seeded):
    switch = InstalledProduct.objects.select_related("competitor").get(purpose="数据中心交换机")
    assert (switch.brand, switch.product, switch.quantity, switch.years_in_use) == (
        "新华三 H3C",
        "S12500",
        12,
        5,
    )
    assert (switch.vendor, switch.competitor.name, switch.satisfaction) == (
        "competitor",
        "新华三 H3C",
        4,
    )


def test_a_seeded_deal_keeps_every_value(seeded):
    deal = Opportunity.objects.select_related("account", "owner").get(
        name="信贷数据中台 Credit data platform"
    )
    assert (deal.account.name, deal.owner.username, deal.move, deal.status) == (
        "江南银行",
        "rep",
        2,
        "open",
    )
    assert (deal.budget_amount, deal.budget_status, deal.fit, deal.win_estimate) == (
        Decimal("900000"),
        "estimated",
        4,
        50,
    )
    assert (deal.margin_percent, deal.cost_of_sale, deal.implementation_risk) == (
        Decimal("40"),
        Decimal("60000"),
        "medium",
    )
    lines = LineItem.objects.filter(opportunity=deal).order_by("pk")
    assert [(line.product.name, line.quantity, line.discount_percent) for line in lines] == [
        ("数据中台 Data Platform", 1, Decimal("10")),
        ("BI 报表 Analytics seat (per user)", 50, Decimal("20")),
        ("实施服务 Implementation (per day)", 60, Decimal("0")),
    ]
    assert deal.stakeholders.count() == 4  # the five of its group, cut to the account's four


def test_a_seeded_relationship_and_gift_keep_every_value(seeded):
    owl = Relationship.objects.get(personality="owl", stage=4)
    assert owl.interest_points == ["数据分析", "technology", "茶"]
    assert (owl.institutional_needs_met, owl.personal_needs_met) == (True, True)
    gift = Activity.objects.get(notes="KTV 包间招待采购团队。")
    assert (gift.type.code, gift.cost, gift.approval_status) == (
        "social_event",
        Decimal("2400"),
        "rejected",
    )
