"""Self-approval is recorded when used: with ALLOW_SELF_APPROVAL on, an owner who overrides
their own gate, decides their own negotiation item or reviews their own deal is marked as
having approved themself, on the record, in its history and on the page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from opportunities.deals import services
from opportunities.models import DealReview, NegotiationItem
from opportunities.moves import services as move_services
from tests.opportunities.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def self_approval(settings):
    settings.ALLOW_SELF_APPROVAL = True


@pytest.mark.parametrize(("who", "marked"), [("manager", True), ("admin", False)])
def test_an_override_of_ones_own_gate_is_marked(personas, who, marked):
    deal = OpportunityFactory(account__owner=personas.manager, owner=personas.manager)
    change = services.change_move(
        deal, to_move=3, by=getattr(personas, who), override=True, reason="one-person team"
    )
    assert (change.is_override, change.self_approved) == (True, marked)


def test_moving_ones_own_deal_without_an_override_is_no_self_approval(personas):
    deal = OpportunityFactory(account__owner=personas.manager, owner=personas.manager, move=3)
    change = services.change_move(deal, to_move=2, by=personas.manager)
    assert (change.is_override, change.self_approved) == (False, False)


@pytest.mark.parametrize(("who", "marked"), [("manager", True), ("admin", False)])
def test_deciding_ones_own_negotiation_item_is_marked_with_its_history(personas, who, marked):
    deal = OpportunityFactory(account__owner=personas.manager, owner=personas.manager)
    item = NegotiationItem.objects.create(
        opportunity=deal, topic="discount", discount_percent=Decimal(30), approval="pending"
    )
    decided = move_services.decide_negotiation_item(item, approve=True, by=getattr(personas, who))
    assert decided.self_approved is marked
    assert decided.history.first().self_approved is marked


def test_reviewing_ones_own_deal_is_marked_and_shown(personas, client_for):
    deal = OpportunityFactory(account__owner=personas.manager, owner=personas.manager)
    client = client_for(personas.manager)
    url = reverse("opportunities:review", args=[deal.pk])
    client.post(url, {"agreed_next_steps": "call the CFO"})
    assert DealReview.objects.get(opportunity=deal).self_approved
    with translation.override("zh-hans"):
        assert gettext("self-approved") in client.get(url).content.decode()
