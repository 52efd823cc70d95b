"""Choices of the deal form and the moves 3–6 forms: the current values stay choosable (a save
must not force a change), the contacts and activities offered are only those the user may
see, and a deal whose account is unknown opens every form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from opportunities.deals.forms import OpportunityForm
from opportunities.models import Opportunity
from opportunities.moves.forms import ConcernForm, NeedForm
from relationships.defaults import ensure_defaults
from relationships.models import ActivityType, CoolingThreshold, Festival
from tests.factories import AccountFactory, ContactFactory, UserFactory
from tests.opportunities.factories import OpportunityFactory
from tests.opportunities.moves_factories import ensure_moves_defaults
from tests.opportunities.test_views_moves import KINDS
from tests.relationships.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(db):
    ensure_moves_defaults()
    with translation.override("en"):
        yield


@pytest.fixture
def foreign_deal(personas):
    """A deal of the owner on an account of another team (visible through its owner only)."""
    account = AccountFactory(owner=personas.outsider, name="Theirs")
    return OpportunityFactory(account=account, owner=personas.owner)


def test_the_deal_forms_choices_keep_the_current_owner_and_account(personas, foreign_deal):
    foreign_deal.owner = UserFactory(username="left", is_active=False)
    foreign_deal.save()
    deal = Opportunity.objects.get(pk=foreign_deal.pk)
    form = OpportunityForm(instance=deal, user=personas.admin)
    assert deal.owner in form.fields["owner"].queryset
    form = OpportunityForm(instance=deal, user=personas.manager)
    assert deal.account in form.fields["account"].queryset
    assert personas.outsider not in form.fields["owner"].queryset
    other = AccountFactory(owner=personas.outsider)
    assert other not in form.fields["account"].queryset


def test_a_moves_form_offers_only_the_contacts_and_activities_the_user_may_see(
    personas, foreign_deal
):
    ensure_defaults(ActivityType, CoolingThreshold, Festival)
    call = ActivityType.objects.first()
    hidden = ContactFactory(account=foreign_deal.account)
    activity = ActivityFactory(account=foreign_deal.account, owner=personas.outsider, type=call)
    need = NeedForm(opportunity=foreign_deal, user=personas.manager)
    assert hidden not in need.fields["contact"].queryset
    assert (
        hidden
        in NeedForm(opportunity=foreign_deal, user=personas.outsider).fields["contact"].queryset
    )
    concern = ConcernForm(opportunity=foreign_deal, user=personas.owner)
    assert activity not in concern.fields["activity"].queryset
    assert hidden not in concern.fields["raised_by"].queryset
    mine = ActivityFactory(account=foreign_deal.account, owner=personas.owner, type=call)
    concern = ConcernForm(opportunity=foreign_deal, user=personas.owner)
    assert list(concern.fields["activity"].queryset) == [mine]


@pytest.mark.parametrize("kind", KINDS)
def test_every_moves_form_opens_on_a_deal_without_an_account(personas, client_for, kind):
    deal = OpportunityFactory(account=None, owner=personas.owner)
    client = client_for(personas.owner)
    url = reverse("opportunities:record_new", args=[deal.pk, kind])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code < 500


@pytest.mark.parametrize("kind", ["need", "concern"])
def test_a_moves_form_costs_the_same_queries_at_two_sizes(personas, client_for, kind):
    ensure_defaults(ActivityType, CoolingThreshold, Festival)
    call = ActivityType.objects.first()
    client = client_for(personas.owner)
    counts = []
    for size in (2, 30):
        deal = OpportunityFactory(account__owner=personas.owner, owner=personas.owner)
        for _ in range(size):
            ContactFactory(account=deal.account)
            ActivityFactory(account=deal.account, owner=personas.owner, type=call)
        url = reverse("opportunities:record_new", args=[deal.pk, kind])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
