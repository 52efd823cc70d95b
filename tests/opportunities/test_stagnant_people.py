"""A key person whose relationship stage has not moved for N days (relationships.stagnation,
the admin's StagnationSetting) is flagged in the deal's buying group, at no extra query."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.deals import selectors
from relationships.models import Relationship, StagnationSetting
from tests.factories import ContactFactory, RelationshipFactory
from tests.opportunities.factories import StakeholderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stage", "days_ago", "limit", "stagnant"),
    [
        (2, 61, 60, True),
        (2, 59, 60, False),
        (4, 400, 60, False),  # 同盟 never stagnates
        (3, 31, 30, True),
    ],
)
def test_the_buying_group_flags_stagnant_people(personas, deal, stage, days_ago, limit, stagnant):
    StagnationSetting.objects.all().delete()
    StagnationSetting.objects.create(days=limit)
    contact = ContactFactory(account=deal.account, name="Slow")
    RelationshipFactory(contact=contact, stage=stage)
    created = timezone.now() - datetime.timedelta(days=days_ago)
    Relationship.objects.filter(contact=contact).update(created_at=created)
    StakeholderFactory(opportunity=deal, contact=contact)
    [row] = selectors.buying_group(deal)
    assert bool(row.stagnant) is stagnant
    [person] = selectors.map_people([row])
    assert person.stagnant is stagnant


def test_the_deal_page_shows_the_flag(personas, client_for, deal):
    contact = ContactFactory(account=deal.account, name="Slow")
    RelationshipFactory(contact=contact, stage=2)
    Relationship.objects.filter(contact=contact).update(
        created_at=timezone.now() - datetime.timedelta(days=200)
    )
    StakeholderFactory(opportunity=deal, contact=contact)
    response = client_for(personas.owner).get(reverse("opportunities:detail", args=[deal.pk]))
    assert "opp-stagnant" in response.content.decode()
