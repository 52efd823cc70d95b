"""What the opportunity page shows of the records it reads with their children joined (roles,
competitor fits, the criteria a value point answers, receipts) and of what comes with the
opportunity's row (the move's probability, the override right)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from opportunities.models import (
    CriterionCompetitorFit,
    MoveProbabilitySetting,
    PurchaseCriterion,
    Receipt,
    ValuePoint,
)
from tests.factories import CompetitorFactory, ContactFactory
from tests.opportunities.factories import StakeholderFactory
from tests.opportunities.moves_factories import ensure_moves_defaults, won_deal_with_milestones


@pytest.fixture(autouse=True)
def english(db):
    ensure_moves_defaults()
    with translation.override("en"):
        yield


def page(client, deal):
    response = client.get(reverse("opportunities:detail", args=[deal.pk]))
    assert response.status_code == 200
    return response


def test_the_buying_group_lists_each_persons_roles_in_the_order_they_were_given(
    personas, client_for, deal
):
    ann = ContactFactory(account=deal.account, name="Ann")
    bob = ContactFactory(account=deal.account, name="Bob")
    StakeholderFactory(opportunity=deal, contact=ann, roles=["evaluator", "decision_maker", "user"])
    StakeholderFactory(opportunity=deal, contact=bob)
    context = page(client_for(personas.owner), deal).context
    people = {p.name: [code for code, _ in p.roles] for p in context["map_people"]}
    assert people == {"Ann": ["evaluator", "decision_maker", "user"], "Bob": []}
    assert [s.contact.name for s in context["moves"]["evaluators"]] == ["Ann"]
    assert context["facts"].people[0].is_decision_maker


def test_criteria_show_their_competitors_and_value_points_the_criteria_they_answer(
    personas, client_for, deal
):
    first = PurchaseCriterion.objects.create(opportunity=deal, text="Uptime", weight=60)
    second = PurchaseCriterion.objects.create(opportunity=deal, text="Price", weight=30)
    PurchaseCriterion.objects.create(opportunity=deal, text="Training", weight=10)
    for name, fit, weakness in [("Zeta", 2, "slow support"), ("Alpha", 4, "")]:
        CriterionCompetitorFit.objects.create(
            criterion=first, competitor=CompetitorFactory(name=name), fit=fit, weakness=weakness
        )
    proven = ValuePoint.objects.create(
        opportunity=deal, feature="Clustered", proof_type="test", proof="99.99 % at ACME"
    )
    proven.criteria.add(second, first)
    unproven = ValuePoint.objects.create(opportunity=deal, feature="Cheap")
    unproven.criteria.add(second)
    ValuePoint.objects.create(opportunity=deal, feature="Nothing yet")
    response = page(client_for(personas.owner), deal)
    moves = response.context["moves"]

    criteria = moves["criteria"]
    assert [c.text for c in criteria] == ["Uptime", "Price", "Training"]
    assert [(f.competitor, f.fit) for f in criteria[0].fits] == [("Alpha", 4), ("Zeta", 2)]
    assert criteria[1].fits == [] and criteria[2].fits == []
    assert criteria[0].row.their_fit == 4 and criteria[0].row.competitor == "Alpha"
    assert "Zeta: slow support" in response.content.decode()
    answered = {vp.feature: [c.text for c in vp.answered] for vp in moves["value_points"]}
    assert answered == {"Clustered": ["Uptime", "Price"], "Cheap": ["Price"], "Nothing yet": []}
    assert [(c.n_value_points, c.n_proven) for c in criteria] == [(1, 1), (2, 1), (0, 0)]
    coverage = moves["coverage"]
    assert coverage.uncovered == ("Training",)
    assert coverage.without_proof == ()


def test_milestones_list_their_receipts_oldest_first_with_what_they_add_up_to(personas, client_for):
    deal = won_deal_with_milestones(personas.owner)
    today = timezone.localdate()
    acceptance = deal.payment_milestones.get(name="acceptance")
    Receipt.objects.create(
        milestone=acceptance, amount=Decimal("7000"), received_on=today, reference="late"
    )
    Receipt.objects.create(
        milestone=acceptance, amount=Decimal("3000"), received_on=today - timedelta(days=3)
    )
    response = page(client_for(personas.owner), deal)
    moves = response.context["moves"]
    by_name = {m.name: m for m in moves["milestones"]}
    assert [m.name for m in moves["milestones"]] == ["signing", "acceptance", "warranty"]
    assert [(r.amount, r.reference) for r in by_name["acceptance"].receipt_list] == [
        (Decimal("3000.00"), ""),
        (Decimal("7000.00"), "late"),
    ]
    assert by_name["acceptance"].received == Decimal("10000.00")
    assert by_name["acceptance"].outstanding == Decimal("40000.00")
    assert by_name["warranty"].receipt_list == [] and by_name["warranty"].received == 0
    assert moves["received"] == Decimal("40000.00")
    assert moves["collected_percent"] == 40
    assert "late" in response.content.decode()


def test_the_probability_is_the_stored_one_of_the_move_or_its_default(personas, client_for, deal):
    client = client_for(personas.owner)
    deal.move, deal.amount = 2, Decimal("1000")
    deal.save()
    assert page(client, deal).context["probability"] == 20  # the default of move 2
    MoveProbabilitySetting.objects.create(move=2, probability=33)
    context = page(client, deal).context
    assert context["probability"] == 33 and context["weighted"] == Decimal("330")
    deal.status, deal.lost_reason = "abandoned", "Budget frozen"
    deal.save()
    assert page(client, deal).context["probability"] == 0
    deal.status, deal.move = "won", 6
    deal.save()
    assert page(client, deal).context["probability"] == 100


@pytest.mark.parametrize(("who", "may"), [("owner", False), ("manager", True), ("admin", True)])
def test_the_override_right_comes_with_the_page(personas, client_for, deal, who, may):
    assert page(client_for(getattr(personas, who)), deal).context["can_override"] is may


def test_a_refused_move_shows_the_whole_page_again(personas, client_for, deal):
    response = client_for(personas.manager).post(
        reverse("opportunities:move", args=[deal.pk]), {"to_move": "2"}
    )
    assert response.status_code == 400
    assert response.context["refusal"] is not None
    assert response.context["can_override"] is True
    assert response.context["probability"] == 10
