"""The account list: search, filters, sort, pagination, completeness per row, fixed queries."""

import pytest
from django.urls import reverse

from accounts.models import Account
from tests.accounts.conftest import fill_dossier
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
URL = reverse("accounts:list")


@pytest.fixture
def accounts(personas):
    owner = personas.owner
    return [
        AccountFactory(
            owner=owner, name="江南银行", status="prospect", industry="Banking", region="Suzhou"
        ),
        AccountFactory(
            owner=owner,
            name="Evergreen Logistics",
            status="target",
            industry="Logistics",
            region="Ningbo",
        ),
        AccountFactory(
            owner=personas.teammate,
            name="Teammate Co",
            status="customer",
            industry="Banking",
            region="Suzhou",
        ),
    ]


def names(response):
    return [account.name for account, _ in response.context["rows"]]


def test_a_rep_sees_own_accounts_sorted_by_name(client_for, personas, accounts):
    response = client_for(personas.owner).get(URL)
    assert names(response) == ["Evergreen Logistics", "江南银行"]


def test_a_manager_sees_the_team(client_for, personas, accounts):
    assert len(names(client_for(personas.manager).get(URL))) == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=江南", ["江南银行"]),
        ("q=evergreen", ["Evergreen Logistics"]),
        ("status=customer", ["Teammate Co"]),
        ("industry=Banking", ["Teammate Co", "江南银行"]),
        ("region=Ningbo", ["Evergreen Logistics"]),
        ("sort=-name", ["江南银行", "Teammate Co", "Evergreen Logistics"]),
    ],
)
def test_search_filter_and_sort(client_for, personas, accounts, query, expected):
    assert names(client_for(personas.manager).get(f"{URL}?{query}")) == expected


def test_filter_by_owner(client_for, personas, accounts):
    response = client_for(personas.manager).get(f"{URL}?owner={personas.teammate.pk}")
    assert names(response) == ["Teammate Co"]


def test_owner_choices_are_only_owners_of_visible_accounts(client_for, personas, accounts):
    AccountFactory(owner=personas.outsider)
    response = client_for(personas.owner).get(URL)
    assert list(response.context["filter"].filters["owner"].queryset) == [personas.owner]
    industries = dict(response.context["filter"].form.fields["industry"].choices)
    assert "Banking" in industries and "Logistics" in industries


def test_completeness_shows_per_row(client_for, personas, accounts):
    fill_dossier(accounts[0])
    response = client_for(personas.owner).get(URL)
    scores = {account.name: assessment.percent for account, assessment in response.context["rows"]}
    assert (
        scores["江南银行"] > scores["Evergreen Logistics"] > 0 or scores["Evergreen Logistics"] == 0
    )
    assert scores["江南银行"] > 50
    assert f"{scores['江南银行']}%" in response.content.decode()


def test_pages_keep_the_filters(client_for, personas):
    AccountFactory.create_batch(30, owner=personas.owner, status="target")
    response = client_for(personas.owner).get(f"{URL}?status=target&sort=name")
    body = response.content.decode()
    assert len(names(response)) == 25
    assert "?status=target&amp;sort=name&amp;page=2" in body
    assert len(names(client_for(personas.owner).get(f"{URL}?status=target&page=2"))) == 5


def test_an_empty_list_invites_a_first_account(client_for, personas):
    body = client_for(personas.owner).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("accounts:create") in body


@pytest.mark.parametrize("size", [2, 12])
def test_the_list_costs_a_fixed_number_of_queries(
    client_for, personas, django_assert_num_queries, size
):
    for i in range(size):
        account = AccountFactory(owner=personas.owner, industry=f"Industry {i}", region="Shanghai")
        fill_dossier(account, n=2)
    client = client_for(personas.owner)
    client.get(URL)  # warm the session and the cached menus
    # session, user; saved views; whether they manage a team (the duplicates link);
    # the figures' generation (industries and regions come from the cache until an account
    # changes: crm/figures.py), owners (filter choices); count, page rows;
    # dossier facts with the weights (one statement: the page's accounts' grouped counts
    # over contacts, departments, relations, ties, installed base, plans, competitors, and
    # the admin's weights).
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert len(response.context["rows"]) == size
    assert Account.objects.count() == size
    menu = dict(response.context["filter"].form.fields["industry"].choices)
    assert f"Industry {size - 1}" in menu


def test_the_cached_menus_follow_a_new_account(client_for, personas):
    """Industries and regions are kept until an account changes, never after."""
    AccountFactory(owner=personas.owner, industry="Banking", region="Shanghai")
    client = client_for(personas.owner)
    first = client.get(URL).context["filter"].form.fields["industry"].choices
    assert [value for value, _label in first if value] == ["Banking"]
    AccountFactory(owner=personas.owner, industry="Aviation", region="Xi'an")
    again = client.get(URL).context["filter"]
    assert [v for v, _l in again.form.fields["industry"].choices if v] == ["Aviation", "Banking"]
    assert "Xi'an" in dict(again.form.fields["region"].choices)
