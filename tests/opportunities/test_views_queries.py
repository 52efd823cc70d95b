"""Every screen costs the same number of queries whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opportunities.deals import services
from opportunities.models import Opportunity
from tests.factories import ContactFactory, RelationshipFactory
from tests.opportunities.factories import LineItemFactory, OpportunityFactory, StakeholderFactory


def make_deals(owner, n):
    deals = []
    for i in range(n):
        deal = OpportunityFactory(account__owner=owner)
        LineItemFactory(opportunity=deal)
        contact = ContactFactory(account=deal.account)
        RelationshipFactory(contact=contact, stage=2)
        StakeholderFactory(opportunity=deal, contact=contact, roles=["decision_maker", "user"])
        services.recalculate_amount(deal)
        services.refresh_qualification(deal)
        deal.move = 1 + i % 5
        deal.save()
        deals.append(deal)
    return deals


def grow(deal, n):
    """Give one deal n line items, n stakeholders with roles and relationships, n changes."""
    from opportunities.models import MoveChange

    for _ in range(n):
        LineItemFactory(opportunity=deal)
        contact = ContactFactory(account=deal.account)
        RelationshipFactory(contact=contact, stage=3)
        StakeholderFactory(opportunity=deal, contact=contact, roles=["evaluator", "designer"])
        MoveChange.objects.create(
            opportunity=deal, to_move=1, to_status="open", changed_by=deal.owner
        )
    services.recalculate_amount(deal)
    services.refresh_qualification(deal)


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# list: session, user, saved views, the figures' generation (crm/figures.py), move settings,
# totals (whose count is the paginator's), the page's ids in order, those deals with their
# joins, owner choices, whether the user manages a team (the bulk bar's reassignment). Until
# the next write, the move settings and the totals come from the cache: LIST_CACHED_QUERIES.
LIST_QUERIES = 10
LIST_CACHED_QUERIES = 8
# board: session, user, move settings, sums per move, ranked cards, owner choices
BOARD_QUERIES = 6
# detail: session, user, the page's row (opportunity + account, owner, lost_to, the one-to-ones
# of moves 3–6: approval, evaluation, contract; the override right and the move's probability
# as annotations; the qualification, move-threshold and after-sale settings as scalar
# subqueries; the line items (+product) joined), buying group (+contact, relationship stage,
# roles joined), move history (+user) — five — plus the sections of moves 3–6 on an empty deal
# (tests/opportunities/test_views_moves.py counts them filled): need categories (+the needs
# joined), criteria (+competitor fits joined), value points (+their criteria joined),
# concerns, the concern detector's activity notes (+the signal phrases: one UNION ALL),
# negotiation items, milestones (+receipts joined), commitments
DETAIL_QUERIES = 5 + 8


@pytest.mark.parametrize(("name", "expected"), [("list", LIST_QUERIES), ("board", BOARD_QUERIES)])
def test_list_and_board_queries_do_not_grow_with_rows(personas, client_for, name, expected):
    client = client_for(personas.manager)
    url = reverse(f"opportunities:{name}") + "?sort=-amount"
    make_deals(personas.owner, 3)
    small = count(client, url)
    make_deals(personas.owner, 20)
    assert count(client, url) == small == expected
    if name == "list":
        assert count(client, url) == LIST_CACHED_QUERIES


def test_the_filtered_list_costs_the_same(personas, client_for):
    client = client_for(personas.owner)
    url = reverse("opportunities:list") + "?move=1&q=Deal&close_month=&verdict="
    make_deals(personas.owner, 3)
    small = count(client, url)
    make_deals(personas.owner, 12)
    assert count(client, url) == small == LIST_QUERIES


def test_the_list_totals_follow_every_write(personas, client_for):
    """The cached totals are the data's: a new deal, then a changed amount, show at once."""
    client = client_for(personas.owner)
    url = reverse("opportunities:list") + "?move=1"
    make_deals(personas.owner, 3)
    first = client.get(url).context["totals"]
    assert client.get(url).context["totals"] == first
    make_deals(personas.owner, 1)
    second = client.get(url).context["totals"]
    assert second["count"] == first["count"] + 1
    deal = Opportunity.objects.filter(owner=personas.owner, move=1).first()
    Opportunity.objects.filter(pk=deal.pk).update(amount=deal.amount + 1000)
    assert client.get(url).context["totals"]["amount"] == second["amount"] + 1000


def test_the_opportunity_page_queries_do_not_grow_with_its_data(personas, client_for, deal):
    client = client_for(personas.owner)
    url = reverse("opportunities:detail", args=[deal.pk])
    grow(deal, 2)
    count(client, url)  # the first view may refresh the stored qualification
    small = count(client, url)
    grow(deal, 15)
    count(client, url)
    assert count(client, url) == small == DETAIL_QUERIES


def test_list_totals_are_the_sums_of_the_filtered_set(personas, client_for):
    deals = make_deals(personas.owner, 4)
    response = client_for(personas.owner).get(reverse("opportunities:list"))
    totals = response.context["totals"]
    assert totals["count"] == 4
    assert totals["amount"] == sum(d.amount for d in deals)
    probabilities = {1: 10, 2: 20, 3: 35, 4: 55, 5: 80}
    assert totals["weighted"] == sum(d.amount * probabilities[d.move] / 100 for d in deals)


def test_the_board_keeps_columns_bounded_but_totals_complete(personas, client_for):
    from opportunities.deals import selectors

    make_deals(personas.owner, 1)
    for _ in range(selectors.BOARD_CARDS_PER_MOVE + 3):
        OpportunityFactory(account__owner=personas.owner)  # all in move 1
    columns = client_for(personas.owner).get(reverse("opportunities:board")).context["columns"]
    first = columns[0]
    assert first["count"] == selectors.BOARD_CARDS_PER_MOVE + 4
    assert len(first["cards"]) == selectors.BOARD_CARDS_PER_MOVE
    assert first["hidden"] == 4


@pytest.mark.parametrize("who", ["owner", "manager", "admin"])
def test_the_default_order_is_the_same_for_everyone(personas, client_for, who):
    """Soonest to close first, undated last, whichever way the order is computed
    (selectors.default_order: the index for an admin, an expression for anyone else)."""
    import datetime

    late = OpportunityFactory(owner=personas.owner, expected_close_date=datetime.date(2027, 3, 1))
    undated = OpportunityFactory(owner=personas.owner, expected_close_date=None)
    soon = OpportunityFactory(owner=personas.owner, expected_close_date=datetime.date(2027, 1, 5))
    response = client_for(getattr(personas, who)).get(reverse("opportunities:list"))
    shown = [deal.pk for deal in response.context["page"].object_list]
    assert shown == [soon.pk, late.pk, undated.pk]
