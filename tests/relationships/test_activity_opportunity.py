"""An activity can name the deal it worked on: only an open deal of the same account that the
user can see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from relationships.forms import ActivityForm
from tests.opportunities.factories import OpportunityFactory


def form_for(world, personas, opportunity):
    data = {
        "type": "phone_call",
        "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "contacts": [world.contact.pk],
        "opportunity": opportunity.pk if opportunity else "",
        "notes": "电话沟通",
    }
    return ActivityForm(data, account=world.account, user=personas.owner)


def test_an_open_deal_of_the_account_is_accepted(world, personas, types):
    deal = OpportunityFactory(account=world.account, owner=personas.owner)
    form = form_for(world, personas, deal)
    form.data["type"] = types["phone_call"].pk
    assert form.is_valid(), form.errors
    assert form.save(commit=False).opportunity == deal


@pytest.mark.parametrize("which", ["other_account", "closed"])
def test_a_deal_of_another_account_or_a_closed_one_is_refused(world, personas, types, which):
    if which == "other_account":
        deal = OpportunityFactory(account=world.foreign_account, owner=personas.outsider)
    else:
        deal = OpportunityFactory(
            account=world.account,
            owner=personas.owner,
            status="abandoned",
            lost_reason="x",
            next_step="",
        )
    form = form_for(world, personas, deal)
    form.data["type"] = types["phone_call"].pk
    assert not form.is_valid()
    assert "opportunity" in form.errors
