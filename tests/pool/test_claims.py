"""Claiming from the pool and assigning from it (issue 21): who may, within which limit, what
comes along (to-dos, trust restarting at 认识), a race for one account, an admin's edit taking
an account out, the page and its queries at two sizes. "Now" is pinned."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Account
from crm.models import Membership
from pool import services
from pool.models import PooledAccount, PoolMove, PoolRule
from relationships.models import Relationship, Stage
from relationships.planning.models import Todo
from tests.factories import AccountFactory, ContactFactory, RelationshipFactory
from tests.relationships.factories import TodoFactory

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_clock_in_english():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


@pytest.fixture
def team(personas):
    team = Membership.objects.get(user=personas.owner).team
    PoolRule.objects.create(team=team, return_after_days=90, claim_limit=2)
    return team


def pooled(team, name="太湖物流", previous=None):
    account = AccountFactory(owner=None, name=name)
    return PooledAccount.objects.create(
        account=account, team=team, since=timezone.now(), previous_owner=previous
    )


def test_a_rep_claims_an_account_with_its_to_dos_and_trust_restarting(personas, team, client_for):
    row = pooled(team, previous=personas.teammate)
    person = ContactFactory(account=row.account)
    RelationshipFactory(contact=person, stage=Stage.TRUST)
    todo = TodoFactory(account=row.account, owner=personas.teammate)
    response = client_for(personas.owner).post(reverse("pool:claim", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:detail", args=[row.account_id])
    account = Account.objects.get(pk=row.account_id)
    assert account.owner == personas.owner
    assert not PooledAccount.objects.exists()
    move = PoolMove.objects.get()
    assert (move.kind, move.to_owner, move.by) == ("claimed", personas.owner, personas.owner)
    assert Todo.objects.get(pk=todo.pk).owner == personas.owner
    assert Relationship.objects.get(contact=person).stage == Stage.ACQUAINTANCE
    assert account.history.first().history_user == personas.owner


def test_the_claim_limit_refuses_the_next_claim_and_writes_nothing(personas, team, client_for):
    rows = [pooled(team, name=f"客户{i}") for i in range(3)]
    client = client_for(personas.owner)
    for row in rows[:2]:
        client.post(reverse("pool:claim", args=[row.pk]))
    response = client.post(reverse("pool:claim", args=[rows[2].pk]), follow=True, **EN)
    assert "You have claimed 2 accounts in the last 30 days" in response.content.decode()
    assert PooledAccount.objects.filter(pk=rows[2].pk).exists()
    assert PoolMove.objects.count() == 2
    page = client.get(reverse("pool:list"), **EN).content.decode()
    assert "Claims left: 0 of 2 in 30 days" in page
    # Claims older than the window no longer count.
    with time_machine.travel(NOW + dt.timedelta(days=31), tick=False):
        services.claim(rows[2].pk, user=personas.owner, now=timezone.now())


def test_the_second_of_two_claims_is_told_someone_was_first(personas, team):
    row = pooled(team)
    services.claim(row.pk, user=personas.owner, now=timezone.now())
    with pytest.raises(services.PoolError, match="someone took it first"):
        services.claim(row.pk, user=personas.teammate, now=timezone.now())
    assert Account.objects.get(pk=row.account_id).owner == personas.owner


def test_an_outsider_neither_sees_nor_claims_a_teams_pool(personas, team, client_for):
    row = pooled(team, name="太湖物流")
    client = client_for(personas.outsider)
    assert "太湖物流" not in client.get(reverse("pool:list")).content.decode()
    assert client.post(reverse("pool:claim", args=[row.pk])).status_code == 404
    assert PooledAccount.objects.filter(pk=row.pk).exists()


def test_a_manager_assigns_to_a_member_only(personas, team, client_for):
    row = pooled(team)
    client = client_for(personas.manager)
    url = reverse("pool:assign", args=[row.pk])
    client.post(url, {"owner": personas.outsider.pk})
    assert PooledAccount.objects.filter(pk=row.pk).exists()
    client.post(url, {"owner": "x"})
    assert PooledAccount.objects.filter(pk=row.pk).exists()
    client.post(url, {"owner": personas.teammate.pk})
    assert Account.objects.get(pk=row.account_id).owner == personas.teammate
    move = PoolMove.objects.get()
    assert (move.kind, move.to_owner, move.by) == ("assigned", personas.teammate, personas.manager)
    # A rep may not assign.
    other = pooled(team, name="另一个")
    assert (
        client_for(personas.owner)
        .post(reverse("pool:assign", args=[other.pk]), {"owner": personas.owner.pk})
        .status_code
        == 404
    )


def test_an_owner_given_elsewhere_takes_the_account_out_of_the_pool(personas, team):
    row = pooled(team)
    account = Account.objects.get(pk=row.account_id)
    account.owner = personas.teammate
    account.save()
    assert not PooledAccount.objects.exists()
    move = PoolMove.objects.get()
    assert (move.kind, move.to_owner) == ("assigned", personas.teammate)


def test_the_page_shows_what_a_rep_decides_on(personas, team, client_for):
    row = pooled(team, name="太湖物流", previous=personas.teammate)
    ContactFactory(account=row.account, name="沈立", title="物流总监")
    page = client_for(personas.owner).get(reverse("pool:list"), **EN).content.decode()
    assert "太湖物流" in page and "1 contact: 沈立 (物流总监)" in page
    assert f"was {personas.teammate}" in page
    assert reverse("pool:claim", args=[row.pk]) in page
    assert reverse("pool:assign", args=[row.pk]) not in page
    manager_page = client_for(personas.manager).get(reverse("pool:list")).content.decode()
    assert reverse("pool:assign", args=[row.pk]) in manager_page
    found = client_for(personas.owner).get(reverse("pool:list") + "?q=不存在", **EN)
    found = found.content.decode()
    assert "No account in the pool matches this name." in found


@pytest.mark.parametrize("size", [2, 12])
def test_the_pool_page_runs_the_same_queries_at_two_sizes(
    personas, team, client_for, django_assert_num_queries, size
):
    for i in range(size):
        row = pooled(team, name=f"客户{i}", previous=personas.teammate)
        ContactFactory(account=row.account)
        services.assign(row.pk, to=personas.owner, by=personas.manager, now=timezone.now())
        pooled(team, name=f"池{i}", previous=personas.teammate)
    client = client_for(personas.manager)
    with django_assert_num_queries(11):
        assert client.get(reverse("pool:list")).status_code == 200
