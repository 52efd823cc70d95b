"""Bulk actions row by row: what each changes, what follows, what it refuses and why; all in
one transaction, through the same services and history as one record's page. "Now" is pinned."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from accounts.models import Account
from bulk import actions
from opportunities.deals import services as deal_services
from opportunities.models import MoveChange, Opportunity, Status
from relationships.models import Activity, PlannedActivity, Todo
from tests.factories import AccountFactory, UserFactory
from tests.opportunities.factories import OpportunityFactory
from tests.relationships.factories import PlannedActivityFactory, TodoFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def pinned_clock_in_english():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


def run(key, rows, by, **data):
    return actions.run(actions.ACTIONS[key], [row.pk for row in rows], by=by, data=data)


def refusals(outcome):
    return {row.pk: reason for row, reason in outcome.refused}


def test_an_account_goes_with_its_owners_open_work_and_closed_deals_stay(world, types, personas):
    new_owner = UserFactory(username="successor")
    account = world.account
    open_deal = OpportunityFactory(account=account, owner=personas.owner)
    won = OpportunityFactory(account=account, owner=personas.owner, status=Status.WON, move=6)
    colleagues = OpportunityFactory(account=account, owner=personas.teammate)
    plan = PlannedActivityFactory(account=account, owner=personas.owner, type=types["office_visit"])
    done_plan = PlannedActivityFactory(
        account=account, owner=personas.owner, type=types["office_visit"], status="done"
    )
    todo = TodoFactory(account=account, owner=personas.owner)
    ticked = TodoFactory(account=account, owner=personas.owner, done_at=NOW)

    outcome = run("reassign_accounts", [account], personas.manager, owner=new_owner)

    assert [row.pk for row in outcome.done] == [account.pk] and not outcome.refused
    owners = dict(Opportunity.objects.values_list("pk", "owner"))
    assert owners == {
        open_deal.pk: new_owner.pk,
        won.pk: personas.owner.pk,  # who won it stays on the record
        colleagues.pk: personas.teammate.pk,
    }
    assert Account.objects.get(pk=account.pk).owner == new_owner
    assert PlannedActivity.objects.get(pk=plan.pk).owner == new_owner
    assert PlannedActivity.objects.get(pk=done_plan.pk).owner == personas.owner
    assert Todo.objects.get(pk=todo.pk).owner == new_owner
    assert Todo.objects.get(pk=ticked.pk).owner == personas.owner
    change = account.history.first()
    assert change.history_user == personas.manager
    assert change.history_change_reason == "bulk reassignment"
    assert Opportunity.objects.get(pk=open_deal.pk).history.first().history_user == personas.manager


def test_the_preview_counts_what_follows_the_accounts_it_may_move(world, types, personas):
    OpportunityFactory(account=world.account, owner=personas.owner)
    OpportunityFactory(account=world.account, owner=personas.owner, status=Status.WON, move=6)
    PlannedActivityFactory(account=world.account, owner=personas.owner, type=types["office_visit"])
    rows, follows = actions.preview(
        actions.ACTIONS["reassign_accounts"],
        [world.account.pk, world.foreign_account.pk],
        personas.manager,
    )
    assert [(row.pk, bool(reason)) for row, reason in rows] == [
        (world.account.pk, False),
        (world.foreign_account.pk, True),  # another team's: not the manager's to hand over
    ]
    assert [n for _what, n in follows] == [1, 1, 0, 1]


@pytest.mark.parametrize(
    ("who", "owner_of", "refused_because"),
    [
        ("manager", "owner", None),  # a manager hands over their rep's account
        ("admin", "outsider", None),
        ("owner", "owner", None),  # an owner may hand over their own
        ("teammate", "owner", "Only the owner or their manager can change this."),
        ("outsider_manager", "owner", "Only the owner or their manager can change this."),
        ("manager", "successor", "Already owned by {successor}."),
    ],
)
def test_who_may_hand_an_account_over(personas, who, owner_of, refused_because):
    successor = MembershipFactoryFor(personas)
    owner = successor if owner_of == "successor" else getattr(personas, owner_of)
    account = AccountFactory(owner=owner)
    outcome = run("reassign_accounts", [account], getattr(personas, who), owner=successor)
    if refused_because:
        refused_because = refused_because.format(successor=successor)
    assert refusals(outcome).get(account.pk) == refused_because
    expected_owner = owner if refused_because else successor
    assert Account.objects.get(pk=account.pk).owner == expected_owner


def MembershipFactoryFor(personas):  # noqa: N802 (reads as a factory)
    """A second rep of the owner's team, named `successor`."""
    from crm.models import Membership
    from tests.factories import MembershipFactory

    team = Membership.objects.get(user=personas.owner).team
    return MembershipFactory(team=team, user__username="successor").user


def test_a_deal_goes_with_its_owners_plans_and_a_closed_one_is_refused(world, types, personas):
    successor = MembershipFactoryFor(personas)
    deal = OpportunityFactory(account=world.account, owner=personas.owner)
    lost = OpportunityFactory(
        account=world.account, owner=personas.owner, status=Status.ABANDONED, lost_reason="x"
    )
    plan = PlannedActivityFactory(
        account=world.account, opportunity=deal, owner=personas.owner, type=types["office_visit"]
    )
    other_plan = PlannedActivityFactory(
        account=world.account, owner=personas.owner, type=types["office_visit"]
    )
    outcome = run("reassign_deals", [deal, lost], personas.manager, owner=successor)
    assert refusals(outcome) == {lost.pk: "A closed opportunity keeps its owner, for the record."}
    assert Opportunity.objects.get(pk=deal.pk).owner == successor
    assert Opportunity.objects.get(pk=lost.pk).owner == personas.owner
    assert PlannedActivity.objects.get(pk=plan.pk).owner == successor
    assert PlannedActivity.objects.get(pk=other_plan.pk).owner == personas.owner  # the account's


def test_stale_deals_close_as_abandoned_with_the_reason_in_their_history(world, personas):
    stale = OpportunityFactory(account=world.account, owner=personas.owner)
    won = OpportunityFactory(account=world.account, owner=personas.owner, status=Status.WON, move=6)
    outcome = run("abandon", [stale, won], personas.manager, reason="No budget this year")
    assert refusals(outcome) == {won.pk: f"Already closed ({Status.WON.label})."}
    stale.refresh_from_db()
    assert stale.status == Status.ABANDONED and stale.lost_reason == "No budget this year"
    change = MoveChange.objects.get(opportunity=stale, to_status=Status.ABANDONED)
    assert change.changed_by == personas.manager and change.reason == "No budget this year"


@pytest.mark.parametrize(
    ("starts_in", "planned_by", "status", "refused_because"),
    [
        (dt.timedelta(hours=-2), "owner", "planned", None),
        (dt.timedelta(days=-3), "owner", "planned", None),
        (dt.timedelta(hours=2), "owner", "planned", "It has not happened yet."),
        (dt.timedelta(hours=-2), "owner", "cancelled", "No longer planned."),
        (
            dt.timedelta(hours=-2),
            "teammate",
            "planned",
            "Only {teammate}, who planned it, can say it happened.",
        ),
    ],
)
def test_marking_plans_done(world, types, personas, starts_in, planned_by, status, refused_because):
    plan = PlannedActivityFactory(
        account=world.account,
        owner=getattr(personas, planned_by),
        type=types["office_visit"],
        contacts=[world.contact],
        starts_at=NOW + starts_in,
        status=status,
    )
    outcome = run("mark_done", [plan], personas.owner)
    if refused_because:
        refused_because = refused_because.format(teammate=personas.teammate)
    assert refusals(outcome).get(plan.pk) == refused_because
    plan.refresh_from_db()
    if refused_because:
        assert plan.status == status and not Activity.objects.exists()
    else:
        assert plan.status == "done"
        activity = Activity.objects.get()
        assert activity.owner == personas.owner
        assert activity.date == (NOW + starts_in).astimezone(SHANGHAI).date()  # the planned day
        assert list(activity.contacts.all()) == [world.contact]


def test_a_row_a_service_refuses_under_the_lock_is_undone_alone(world, personas, monkeypatch):
    first = OpportunityFactory(account=world.account, owner=personas.owner)
    second = OpportunityFactory(account=world.account, owner=personas.owner)
    close = deal_services.set_outcome

    def refuses_the_second_after_writing(opportunity, **kwargs):
        close(opportunity, **kwargs)
        if opportunity.pk == second.pk:
            raise deal_services.MoveRefused("Someone closed it meanwhile.")

    monkeypatch.setattr(deal_services, "set_outcome", refuses_the_second_after_writing)
    outcome = run("abandon", [first, second], personas.manager, reason="No budget")
    assert refusals(outcome) == {second.pk: "Someone closed it meanwhile."}
    statuses = dict(Opportunity.objects.values_list("pk", "status"))
    assert statuses == {first.pk: Status.ABANDONED, second.pk: Status.OPEN}
    closed = MoveChange.objects.filter(to_status=Status.ABANDONED)
    assert list(closed.values_list("opportunity", flat=True)) == [first.pk]
