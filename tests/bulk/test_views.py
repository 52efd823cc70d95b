"""The bulk bar through the pages: choose rows (or all that match), see what will change,
confirm, see what was refused; bad input answered with a message and nothing written; the
preview's queries the same at two sizes."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from accounts.models import Account
from crm.models import Membership
from opportunities.models import Opportunity, Status
from tests.factories import AccountFactory, MembershipFactory
from tests.opportunities.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def successor(personas):
    team = Membership.objects.get(user=personas.owner).team
    return MembershipFactory(team=team, user__username="successor").user


def bulk(client, list_name="accounts", **data):
    return client.post(reverse("bulk:start", args=[list_name]), data, **EN)


def message_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_manager_reassigns_two_accounts_through_the_preview(personas, client_for, successor):
    first = AccountFactory(owner=personas.owner, name="华东精密")
    second = AccountFactory(owner=personas.owner, name="江南银行")
    OpportunityFactory(account=first, owner=personas.owner)
    client = client_for(personas.manager)

    preview = bulk(client, action="reassign_accounts", id=[first.pk, second.pk], query="q=")
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "华东精密" in text and "江南银行" in text and "2 accounts will change." in text
    assert "open opportunities go with their account" in text
    assert set(Account.objects.values_list("owner", flat=True)) == {personas.owner.pk}

    done = bulk(
        client,
        action="reassign_accounts",
        id=preview.context["pks"],
        query="",
        confirm="1",
        owner=successor.pk,
    )
    assert done.status_code == 200
    assert "Done: 2 accounts." in done.content.decode()
    assert set(Account.objects.values_list("owner", flat=True)) == {successor.pk}
    assert Opportunity.objects.get().owner == successor


def test_all_that_match_takes_the_lists_filters_not_just_the_page(personas, client_for):
    AccountFactory(owner=personas.owner, name="华东精密")
    AccountFactory(owner=personas.owner, name="华东电力")
    AccountFactory(owner=personas.owner, name="江南银行")
    AccountFactory(owner=personas.outsider, name="华东 rival")  # outside the manager's reach
    response = bulk(
        client_for(personas.manager), action="reassign_accounts", all="1", query="?q=华东"
    )
    names = {name for name, _detail in response.context["going"]}
    assert names == {"华东精密", "华东电力"}


def test_the_preview_names_the_rows_that_will_be_refused(personas, client_for):
    open_deal = OpportunityFactory(account__owner=personas.owner, owner=personas.owner)
    won = OpportunityFactory(
        account=open_deal.account, owner=personas.owner, status=Status.WON, move=6
    )
    response = bulk(
        client_for(personas.manager),
        "opportunities",
        action="abandon",
        id=[open_deal.pk, won.pk],
    )
    assert response.context["refused"] == [
        (
            (won.name, f"{won.account.name} · {personas.owner}"),
            f"Already closed ({Status.WON.label}).",
        )
    ]
    assert [name for name, _detail in response.context["going"]] == [open_deal.name]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Tick at least one row, or choose all that match."),
        ({"id": ["x1"]}, "The selection could not be read: tick the rows again."),
        ({"id": ["9" * 30]}, "The selection could not be read: tick the rows again."),
        ({"id": ["²"]}, "The selection could not be read: tick the rows again."),  # isdigit()
        ({"id": ["999999"]}, "None of the chosen rows is on the list any more."),
        (
            {"all": "1", "query": "q=" + "长" * 3000},
            "The list's filters could not be read: filter the list again.",
        ),
    ],
)
def test_a_selection_that_cannot_be_read_goes_back_to_the_list(personas, client_for, data, message):
    AccountFactory(owner=personas.owner)
    response = bulk(client_for(personas.manager), action="reassign_accounts", **data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:list"))
    assert message_of(response) == [message]


def test_more_rows_than_the_limit_are_refused_whole(personas, client_for, settings):
    settings.BULK_ACTION_LIMIT = 2
    for _ in range(3):
        AccountFactory(owner=personas.owner)
    response = bulk(client_for(personas.manager), action="reassign_accounts", all="1")
    assert response.status_code == 302
    assert message_of(response) == [
        "More than 2 rows are chosen: a bulk change takes at most 2 at once. Narrow the filters "
        "and do it in parts."
    ]


def test_a_reassignment_to_an_inactive_user_says_so_and_writes_nothing(
    personas, client_for, successor
):
    successor.is_active = False
    successor.save()
    account = AccountFactory(owner=personas.owner)
    response = bulk(
        client_for(personas.manager),
        action="reassign_accounts",
        id=[account.pk],
        confirm="1",
        owner=successor.pk,
    )
    assert response.status_code == 200
    assert response.context["form"].errors["owner"] == [
        f"{successor} can no longer sign in: choose an active user."
    ]
    assert Account.objects.get().owner == personas.owner
    menu = dict(response.context["form"].fields["owner"].choices)
    assert successor.pk not in menu and personas.owner.pk in menu


def test_abandoning_needs_a_reason(personas, client_for):
    deal = OpportunityFactory(account__owner=personas.owner, owner=personas.owner)
    response = bulk(
        client_for(personas.manager), "opportunities", action="abandon", id=[deal.pk], confirm="1"
    )
    assert response.context["form"].errors["reason"] == ["This field is required."]
    assert Opportunity.objects.get().status == Status.OPEN


@pytest.mark.parametrize(
    ("list_name", "action"),
    [
        ("accounts", "abandon"),  # an action of another list
        ("contacts", "reassign_accounts"),
        ("plans", "export_csv"),  # the plans page has no download
        ("nowhere", "export_csv"),
        ("accounts", ""),
    ],
)
def test_an_action_a_list_does_not_offer_is_not_found(personas, client_for, list_name, action):
    account = AccountFactory(owner=personas.owner)
    response = bulk(client_for(personas.manager), list_name, action=action, id=[account.pk])
    assert response.status_code == 404


def test_downloading_the_chosen_rows_exports_only_them(personas, client_for):
    chosen = AccountFactory(owner=personas.owner, name="华东精密")
    AccountFactory(owner=personas.owner, name="江南银行")
    client = client_for(personas.owner)
    response = bulk(client, action="export_csv", id=[chosen.pk], query="sort=name")
    assert response.status_code == 302
    assert f"id={chosen.pk}" in response["Location"] and "sort=name" in response["Location"]
    download = client.get(response["Location"])
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "华东精密" in body and "江南银行" not in body


@pytest.mark.parametrize(
    ("list_name", "url", "who", "buttons"),
    [
        ("accounts", "accounts:list", "manager", {"reassign_accounts", "export_csv"}),
        ("accounts", "accounts:list", "owner", {"export_csv"}),  # a rep reaches no other owner
        ("opportunities", "opportunities:list", "manager", {"reassign_deals", "abandon"}),
        ("opportunities", "opportunities:list", "owner", {"abandon", "export_xlsx"}),
        ("contacts", "relationships:contact_list", "owner", {"export_csv"}),
    ],
)
def test_each_list_shows_its_bar_and_a_box_per_row(
    personas, client_for, list_name, url, who, buttons
):
    deal = OpportunityFactory(account__owner=personas.owner, owner=personas.owner)
    from tests.factories import ContactFactory

    ContactFactory(account=deal.account)
    text = client_for(getattr(personas, who)).get(reverse(url), **EN).content.decode()
    assert f'action="{reverse("bulk:start", args=[list_name])}"' in text
    assert 'name="id" value="' in text and 'form="bulk"' in text
    offered = {
        key
        for key in ("reassign_accounts", "reassign_deals", "abandon", "export_csv", "export_xlsx")
        if f'value="{key}"' in text
    }
    assert buttons <= offered
    if who == "owner":
        assert not offered & {"reassign_accounts", "reassign_deals"}


@pytest.mark.parametrize("size", [3, 30])
def test_the_preview_costs_the_same_queries_at_two_sizes(
    personas, client_for, django_assert_num_queries, size
):
    for i in range(size):
        account = AccountFactory(owner=personas.owner, name=f"公司{i}")
        OpportunityFactory(account=account, owner=personas.owner)
    client = client_for(personas.manager)
    client.get(reverse("crm:home"))  # the session and the user are warm
    # the chosen rows read once, the owners in reach once, one count per kind of what follows;
    # the account list's filter menus (the figures' generation, then industries and regions)
    with django_assert_num_queries(QUERIES):
        response = bulk(client, action="reassign_accounts", all="1")
    assert response.status_code == 200 and len(response.context["going"]) == size


QUERIES = 13
