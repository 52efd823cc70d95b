"""The org map: the level × function grid with empty cells called out, the reports-to tree."""

import pytest
from django.urls import reverse

from accounts.models import Function, Level
from accounts.selectors import org_map
from tests.accounts.conftest import fill_dossier
from tests.factories import AccountFactory, ContactFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def get(client, account):
    return client.get(reverse("accounts:org_map", args=[account.pk]), HTTP_ACCEPT_LANGUAGE="en")


def test_an_empty_decision_level_is_called_out(client_for, personas, account):
    ContactFactory(account=account, level=Level.MANAGEMENT, function=Function.USER)
    body = get(client_for(personas.owner), account).content.decode()
    assert "No decision-level (决策层) contact is known yet" in body
    assert "Who decides here?" in body


def test_the_grid_places_contacts_by_level_and_function(account):
    boss = ContactFactory(account=account, level=Level.DECISION, function=Function.USER)
    ContactFactory(account=account, level=Level.DECISION, function=Function.USER, is_active=False)
    grid = org_map(account)
    decision_level, cells = grid.rows[0]
    assert decision_level == Level.DECISION
    assert dict(cells)[Function.USER] == [boss]
    assert not grid.decision_empty
    # 3 levels × 3 method functions, minus the one filled cell; people who left are not shown.
    assert grid.empty_cells == 8


def test_the_reports_to_tree_nests_and_survives_a_loop(account):
    top = ContactFactory(account=account, name="A top")
    middle = ContactFactory(account=account, name="B middle", reports_to=top)
    bottom = ContactFactory(account=account, name="C bottom", reports_to=middle)
    assert [(c.name, d) for c, d in org_map(account).tree] == [
        ("A top", 0),
        ("B middle", 1),
        ("C bottom", 2),
    ]
    # A loop written behind the forms' back still shows everyone once.
    type(top).objects.filter(pk=top.pk).update(reports_to=bottom)
    names = [c.name for c, _ in org_map(account).tree]
    assert sorted(names) == ["A top", "B middle", "C bottom"]


def test_the_department_tree_shows_heads(client_for, personas, account):
    head = ContactFactory(account=account, name="周敏")
    parent = DepartmentFactory(account=account, name="财务部", head=head)
    DepartmentFactory(account=account, name="采购科", parent=parent)
    tree = [(d.name, depth) for d, depth in org_map(account).department_tree]
    assert tree == [("财务部", 0), ("采购科", 1)]
    assert "周敏" in get(client_for(personas.owner), account).content.decode()


@pytest.mark.parametrize("size", [1, 8])
def test_the_org_map_costs_a_fixed_number_of_queries(
    client_for, personas, django_assert_num_queries, size
):
    account = AccountFactory(owner=personas.owner)
    fill_dossier(account, n=size)
    client = client_for(personas.owner)
    get(client, account)
    # session, user; the account; contacts (with department); departments (with head).
    with django_assert_num_queries(5):
        response = get(client, account)
    assert len(response.context["map"].tree) == 2 * size
