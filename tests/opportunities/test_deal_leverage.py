"""同盟 leverage on the deal page (issue 17): who can bring us to each person of the buying group
below 信赖, loaded with the buying group, in a fixed number of queries, and only for those who
may see the deal."""

import pytest
from django.urls import reverse

from accounts.models import ContactTie
from opportunities.models import Stakeholder
from relationships.models import Relationship
from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def at(contact, stage):
    Relationship.objects.create(contact=contact, stage=stage)
    return contact


@pytest.fixture
def deal(personas):
    account = AccountFactory(owner=personas.owner)
    boss = at(ContactFactory(account=account, name="孙浩"), 1)
    at(ContactFactory(account=account, name="林珊", reports_to=boss), 4)
    friend = at(ContactFactory(account=account, name="何伟"), 3)
    rival = at(ContactFactory(account=account, name="吴行长"), 2)
    ContactTie.objects.create(contact=rival, other=boss, kind="rival")
    opportunity = OpportunityFactory(account=account, owner=personas.owner)
    Stakeholder.objects.create(opportunity=opportunity, contact=boss)
    Stakeholder.objects.create(opportunity=opportunity, contact=friend)
    return opportunity


def url(deal):
    return reverse("opportunities:leverage", args=[deal.pk])


def test_the_buying_group_shows_who_can_bring_us_to_its_people(client_for, personas, deal):
    body = client_for(personas.owner).get(url(deal), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Who can bring us to them (同盟) · 孙浩" in body
    assert "(同盟) → reports to 孙浩" in body
    assert "吴行长 is a rival of 孙浩" in body
    assert "· 何伟" not in body  # at 信赖 already: nobody needed


def test_the_deal_page_loads_it_with_the_buying_group(client_for, personas, deal):
    page = client_for(personas.owner).get(reverse("opportunities:detail", args=[deal.pk]))
    assert f'hx-get="{url(deal)}"' in page.content.decode()


def test_an_outsider_gets_404(client_for, personas, deal):
    assert client_for(personas.outsider).get(url(deal)).status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_it_costs_a_fixed_number_of_queries(
    client_for, personas, deal, size, django_assert_num_queries
):
    for i in range(size):
        person = at(ContactFactory(account=deal.account, name=f"人{i}"), 1)
        Stakeholder.objects.create(opportunity=deal, contact=person)
    client = client_for(personas.owner)
    client.get(url(deal))
    # session, user; the deal; its people; the account's people with their stages; the ties.
    with django_assert_num_queries(6):
        response = client.get(url(deal))
    assert len(response.context["items"]) == size + 1
