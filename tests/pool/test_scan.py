"""Accounts nobody worked return to their team's pool (issue 21): whose work counts, from
when, what keeps an account, the week's warning, and a scan run twice returns nothing more.
"Now" is pinned."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone, translation

from accounts.models import Account
from crm.models import Membership
from crm.notifications import services as notifications
from crm.notifications.models import Notification
from opportunities.models import Status
from pool import services, tasks
from pool.models import PooledAccount, PoolMove, PoolRule
from relationships.planning.models import PlannedActivity
from tests.factories import AccountFactory, TeamFactory
from tests.opportunities.factories import OpportunityFactory
from tests.relationships.factories import ActivityFactory, PlannedActivityFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_clock_in_english():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


@pytest.fixture
def rule(personas):
    team = Membership.objects.get(user=personas.owner).team
    return PoolRule.objects.create(team=team, return_after_days=90, claim_limit=3)


def days_ago(days):
    return time_machine.travel(NOW - dt.timedelta(days=days), tick=False)


def account_of(owner, *, days_owned=100, **fields):
    with days_ago(days_owned):
        return AccountFactory(owner=owner, **fields)


def scan():
    return services.scan(today=TODAY, now=timezone.now())


def test_an_account_nobody_worked_returns_with_its_move_recorded(personas, rule, types):
    account = account_of(personas.owner)
    ActivityFactory(
        account=account,
        owner=personas.owner,
        type=types["meal_tea"],
        date=TODAY - dt.timedelta(days=91),
    )
    plan = PlannedActivityFactory(account=account, owner=personas.owner, type=types["meal_tea"])
    assert scan() == 1
    account.refresh_from_db()
    assert account.owner is None
    pooled = PooledAccount.objects.get(account=account)
    assert (pooled.team, pooled.previous_owner) == (rule.team, personas.owner)
    assert pooled.last_done_on == TODAY - dt.timedelta(days=91)
    move = PoolMove.objects.get(account=account)
    assert (move.kind, move.from_owner, move.by) == ("returned", personas.owner, None)
    assert account.history.first().history_change_reason == "returned to the shared pool"
    plan.refresh_from_db()
    assert plan.status == PlannedActivity.Status.CANCELLED
    # Out of its former owner's reach, with the policy.
    assert not Account.objects.visible_to(personas.owner).filter(pk=account.pk).exists()


@pytest.mark.parametrize(
    ("case", "returns"),
    [
        ("owner worked it 89 days ago", False),
        ("owner worked it 90 days ago", True),
        ("only the manager worked it lately", True),
        ("an open deal", False),
        ("a won deal only", True),
        ("handed to the owner 10 days ago", False),
        ("an inactive owner", False),
    ],
)
def test_what_keeps_an_account_with_its_owner(personas, rule, types, case, returns):
    owner = personas.owner
    if case == "handed to the owner 10 days ago":
        account = account_of(personas.teammate, days_owned=200)
        with days_ago(10):
            account.owner = owner
            account.save()
    else:
        account = account_of(owner, days_owned=200)
    if case.startswith("owner worked it"):
        days = int(case.split()[3])
        ActivityFactory(
            account=account,
            owner=owner,
            type=types["meal_tea"],
            date=TODAY - dt.timedelta(days=days),
        )
    elif case == "only the manager worked it lately":
        ActivityFactory(account=account, owner=personas.manager, type=types["meal_tea"])
    elif case == "an open deal":
        OpportunityFactory(account=account, owner=owner)
    elif case == "a won deal only":
        OpportunityFactory(account=account, owner=owner, status=Status.WON, move=6)
    elif case == "an inactive owner":
        owner.is_active = False
        owner.save()
    assert scan() == int(returns)


def test_teams_without_an_enabled_rule_keep_everything(personas, rule):
    account_of(personas.outsider)  # the other team has no rule
    rule.enabled = False
    rule.save()
    account_of(personas.owner)
    assert scan() == 0


def test_the_scan_run_twice_returns_nothing_more(personas, rule):
    account_of(personas.owner)
    account_of(personas.teammate)
    assert scan() == 2
    assert scan() == 0
    assert PoolMove.objects.count() == 2
    assert tasks.scan.apply().get() == {"returned": 0}


def test_an_owner_in_two_pooled_teams_returns_to_the_first_by_name(personas, rule):
    other = TeamFactory(name="zz later team")
    Membership.objects.create(team=other, user=personas.owner)
    PoolRule.objects.create(team=other, return_after_days=30)
    rule.team.name = "aa first team"
    rule.team.save()
    # The later team's 30 days do not apply: 60 days untouched is within the first team's 90.
    kept = account_of(personas.owner, days_owned=60)
    account = account_of(personas.owner)
    assert scan() == 1
    assert PooledAccount.objects.get(account=account).team == rule.team
    assert Account.objects.get(pk=kept.pk).owner == personas.owner


def test_the_owner_hears_a_week_before_once(personas, rule):
    soon = account_of(personas.owner, days_owned=85, name="江南银行")  # returns in 5 days
    account_of(personas.owner, days_owned=80)  # in 10 days: not yet
    notifications.scan(today=TODAY, kinds={"pool_warning"})
    notifications.scan(today=TODAY, kinds={"pool_warning"})
    found = Notification.objects.get(user=personas.owner, kind="pool_warning")
    back = (TODAY + dt.timedelta(days=5)).isoformat()
    assert found.key == f"pool:{soon.pk}:{back}"
    assert "江南银行" in found.title and back in found.title
    assert not Notification.objects.filter(user=personas.teammate).exists()
