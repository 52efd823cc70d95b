"""The list's filters narrow the set the totals are computed over."""

import datetime

import pytest
from django.urls import reverse

from opportunities.models import Opportunity
from tests.opportunities.factories import OpportunityFactory


@pytest.fixture
def deals(personas):
    january = OpportunityFactory(
        account__owner=personas.owner,
        name="January",
        expected_close_date=datetime.date(2099, 1, 31),
    )
    february = OpportunityFactory(
        account__owner=personas.owner,
        name="February",
        expected_close_date=datetime.date(2099, 2, 1),
    )
    Opportunity.objects.filter(pk=february.pk).update(qualification_verdict="qualified")
    return january, february


def names(client, query):
    response = client.get(reverse("opportunities:list") + query)
    return [o.name for o in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["January", "February"]),
        ("?close_month=2099-01", ["January"]),
        ("?close_month=2099-13", ["January", "February"]),
        ("?verdict=qualified", ["February"]),
        ("?q=febr", ["February"]),
        ("?move=2", []),
        ("?status=open&sort=-close", ["February", "January"]),
    ],
)
def test_filters(personas, client_for, deals, query, expected):
    assert names(client_for(personas.owner), query) == expected


def test_filter_by_account(personas, client_for, deals):
    january, _february = deals
    assert names(client_for(personas.owner), f"?account={january.account_id}") == ["January"]
