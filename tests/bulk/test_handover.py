"""Handing a leaving rep's book over (issue 21): exactly the preview moves (a property over
generated books), trust restarts at 认识 with an introduction planned and each guide to confirm
again, closed deals keep their owner, who may hand over to whom, a book changed since the
preview is refused whole, the pages and the admin's way there. "Now" is pinned (a Monday)."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Account
from bulk import handover
from crm.models import Membership
from opportunities.models import Opportunity, Status
from relationships.defaults import ensure_activity_defaults
from relationships.models import ActivityType, CoolingThreshold, Relationship, Stage, StageChange
from relationships.planning.models import PlannedActivity, Todo
from tests.factories import (
    AccountFactory,
    ContactFactory,
    MembershipFactory,
    RelationshipFactory,
    TeamFactory,
    UserFactory,
)
from tests.opportunities.factories import OpportunityFactory
from tests.relationships.factories import PlannedActivityFactory, TodoFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 6, 16, 0, tzinfo=SHANGHAI)  # a Friday afternoon


@pytest.fixture(autouse=True)
def pinned_clock_in_english():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


@pytest.fixture
def successor(personas):
    team = Membership.objects.get(user=personas.owner).team
    return MembershipFactory(team=team, user__username="successor").user


def book(owner, *, stages=(Stage.TRUST,), guide=False, types=None):
    """An account of `owner` with a person per stage, an open and a won deal, a plan, a to-do."""
    account = AccountFactory(owner=owner)
    for i, stage in enumerate(stages):
        person = ContactFactory(account=account, is_guide=guide and i == 0)
        RelationshipFactory(contact=person, stage=stage)
    OpportunityFactory(account=account, owner=owner)
    OpportunityFactory(account=account, owner=owner, status=Status.WON, move=6)
    PlannedActivityFactory(account=account, owner=owner, type=types["office_visit"])
    TodoFactory(account=account, owner=owner)
    return account


def test_a_book_goes_over_with_trust_restarting_and_introductions_planned(
    personas, successor, types
):
    leaving = personas.owner
    account = book(leaving, stages=(Stage.TRUST, Stage.ACQUAINTANCE), guide=True, types=types)
    expected = handover.plan(leaving, [account.pk])

    done = handover.hand_over(expected, old_owner=leaving, new_owner=successor, by=personas.manager)

    assert done.ids() == expected.ids()
    assert Account.objects.get().owner == successor
    owners = dict(Opportunity.objects.values_list("status", "owner"))
    assert owners == {Status.OPEN: successor.pk, Status.WON: leaving.pk}
    trusted, new_face = account.contacts.order_by("pk")
    assert Relationship.objects.get(contact=trusted).stage == Stage.ACQUAINTANCE
    change = StageChange.objects.get(relationship__contact=trusted)
    assert change.from_stage == Stage.TRUST and change.changed_by == personas.manager
    assert Relationship.objects.get(contact=new_face).stage == Stage.ACQUAINTANCE  # unchanged
    introduction = PlannedActivity.objects.get(type__code="handover_introduction")
    assert introduction.owner == leaving and list(introduction.contacts.all()) == [trusted]
    assert timezone_local(introduction.starts_at) == dt.datetime(2026, 3, 9, 10, 0)  # Monday
    visit = PlannedActivity.objects.get(type__code="office_visit")
    assert visit.owner == successor
    guide_todo = Todo.objects.get(contact=trusted)
    assert guide_todo.owner == successor and guide_todo.due_date == dt.date(2026, 3, 13)
    assert (
        account.history.first().history_change_reason == f"handover from {leaving} to {successor}"
    )


def timezone_local(moment):
    return moment.astimezone(SHANGHAI).replace(tzinfo=None)


def test_a_rep_who_already_left_has_the_introductions_planned_for_the_new_owner(
    personas, successor, types
):
    account = book(personas.owner, types=types)
    personas.owner.is_active = False
    personas.owner.save()
    handover.hand_over(
        handover.plan(personas.owner, [account.pk]),
        old_owner=personas.owner,
        new_owner=successor,
        by=personas.manager,
    )
    assert PlannedActivity.objects.get(type__code="handover_introduction").owner == successor


def test_a_book_changed_since_the_preview_is_refused_whole(personas, successor, types):
    account = book(personas.owner, types=types)
    expected = handover.plan(personas.owner, [account.pk])
    OpportunityFactory(account=account, owner=personas.owner)  # a deal opened meanwhile
    with pytest.raises(ValidationError, match="changed since the preview"):
        handover.hand_over(
            expected, old_owner=personas.owner, new_owner=successor, by=personas.manager
        )
    assert Account.objects.get().owner == personas.owner
    assert not Opportunity.objects.filter(owner=successor).exists()
    assert not StageChange.objects.exists() and not Todo.objects.filter(owner=successor).exists()


@pytest.mark.parametrize(
    ("by", "old", "new", "message"),
    [
        ("manager", "owner", "successor", ""),
        ("admin", "owner", "outsider", ""),
        ("manager", "owner", "outsider", "{new} is not in a team you manage."),
        ("manager", "owner", "inactive", "{new} can no longer sign in: choose an active user."),
        ("manager", "owner", "owner", "Choose someone other than the rep who is leaving."),
        ("manager", "manager", "successor", "Only a manager of the rep's team (or an admin)"),
        ("owner", "owner", "successor", "Only a manager of the rep's team (or an admin)"),
        ("outsider_manager", "owner", "outsider", "Only a manager of the rep's team (or an admin)"),
    ],
)
def test_who_may_hand_a_book_to_whom(personas, successor, by, old, new, message):
    from crm.models import User

    people = {"successor": successor, "inactive": UserFactory(username="inactive", is_active=False)}
    team = Membership.objects.get(user=personas.owner).team
    MembershipFactory(team=team, user=people["inactive"])
    acting = getattr(personas, by)
    reachable = set(User.objects.visible_to(acting).values_list("pk", flat=True))
    new_owner = people.get(new) or getattr(personas, new)
    refusal = handover.refusal(
        old_owner=people.get(old) or getattr(personas, old),
        new_owner=new_owner,
        by=acting,
        reachable=reachable,
    )
    message = message.format(new=new_owner)
    assert refusal.startswith(message) and bool(refusal) == bool(message)


stage_lists = st.lists(st.sampled_from(list(Stage)), min_size=0, max_size=3)
account_specs = st.lists(
    st.tuples(stage_lists, st.booleans(), st.booleans(), st.booleans()), min_size=1, max_size=4
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=account_specs, data=st.data())
def test_what_moves_is_exactly_the_preview(db, specs, data):
    """Over generated books: the result is the preview, and the rows are as it said."""
    ensure_activity_defaults(ActivityType, CoolingThreshold)
    team = TeamFactory()
    manager = MembershipFactory(team=team, role=Membership.Role.MANAGER).user
    leaving, successor, colleague = (MembershipFactory(team=team).user for _ in range(3))
    accounts = []
    for stages, guide, colleague_deal, done_todo in specs:
        account = AccountFactory(owner=leaving)
        for i, stage in enumerate(stages):
            RelationshipFactory(
                contact=ContactFactory(account=account, is_guide=guide and i == 0), stage=stage
            )
        OpportunityFactory(account=account, owner=leaving)
        OpportunityFactory(account=account, owner=leaving, status=Status.ABANDONED, lost_reason="x")
        if colleague_deal:
            OpportunityFactory(account=account, owner=colleague)
        TodoFactory(account=account, owner=leaving, done_at=NOW if done_todo else None)
        accounts.append(account.pk)
    chosen = data.draw(st.lists(st.sampled_from(accounts), min_size=1, unique=True))
    people = Relationship.objects.filter(contact__account__in=chosen)
    before = dict(people.values_list("contact", "stage"))

    preview = handover.plan(leaving, chosen)
    done = handover.hand_over(preview, old_owner=leaving, new_owner=successor, by=manager)

    assert done.ids() == preview.ids()
    assert sorted(Account.objects.filter(owner=successor).values_list("pk", flat=True)) == sorted(
        chosen
    )
    assert (
        sorted(Opportunity.objects.filter(owner=successor).values_list("pk", flat=True))
        == preview.deals
    )
    assert set(preview.kept_deals) <= set(
        Opportunity.objects.filter(owner=leaving).values_list("pk", flat=True)
    )
    assert (
        not Opportunity.objects.filter(owner=colleague, account__in=chosen)
        .exclude(owner=colleague)
        .exists()
    )
    assert preview.restarts == sorted(
        pk for pk, stage in before.items() if stage > Stage.ACQUAINTANCE
    )
    assert (
        not Relationship.objects.filter(contact__in=preview.restarts)
        .exclude(stage=Stage.ACQUAINTANCE)
        .exists()
    )
    introductions = PlannedActivity.objects.filter(
        account__in=chosen, type__code="handover_introduction"
    )
    assert sorted(introductions.values_list("contacts", flat=True)) == preview.restarts
    guide_todos = Todo.objects.filter(account__in=chosen, owner=successor, contact__isnull=False)
    assert sorted(guide_todos.values_list("contact", flat=True)) == preview.guides


# --- the pages -----------------------------------------------------------------------------------

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
URL = reverse("bulk:handover")


def test_a_manager_previews_and_hands_over_through_the_pages(
    personas, successor, client_for, types
):
    first = book(personas.owner, types=types)
    second = book(personas.owner, types=types)
    client = client_for(personas.manager)

    for query in ("from", "old_owner"):  # the admin's link; the page's own chooser
        chooser = client.get(f"{URL}?{query}={personas.owner.pk}", **EN)
        assert set(chooser.context["form"].initial["accounts"]) == {first.pk, second.pk}

    preview = client.post(
        URL,
        {"old_owner": personas.owner.pk, "new_owner": successor.pk, "accounts": [first.pk]},
        **EN,
    )
    assert preview.status_code == 200
    assert [a.pk for a in preview.context["accounts"]] == [first.pk]
    assert "1 person starts again at 认识, with an introduction planned" in preview.content.decode()
    assert Account.objects.get(pk=first.pk).owner == personas.owner  # nothing yet

    done = client.post(
        URL,
        {
            "old_owner": personas.owner.pk,
            "new_owner": successor.pk,
            "accounts": [first.pk],
            "expected": preview.context["expected"],
            "confirm": "1",
        },
        **EN,
    )
    assert done.status_code == 200 and "Handed over." in done.content.decode()
    assert Account.objects.get(pk=first.pk).owner == successor
    assert Account.objects.get(pk=second.pk).owner == personas.owner


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"accounts": "first"}, "new_owner", "Choose who takes the book over."),
        ({"new_owner": "successor"}, "accounts", "Tick at least one account."),
        ({"new_owner": "outsider", "accounts": "first"}, "new_owner", "Select a valid choice."),
    ],
)
def test_an_incomplete_handover_is_answered_at_its_field(
    personas, successor, client_for, types, data, field, message
):
    first = book(personas.owner, types=types)
    values = {"first": first.pk, "successor": successor.pk, "outsider": personas.outsider.pk}
    posted = {"old_owner": personas.owner.pk, **{k: values[v] for k, v in data.items()}}
    response = client_for(personas.manager).post(URL, posted, **EN)
    assert response.context["form"].errors[field][0].startswith(message)
    assert Account.objects.get().owner == personas.owner


def test_a_tampered_preview_is_refused(personas, successor, client_for, types):
    first = book(personas.owner, types=types)
    posted = {"old_owner": personas.owner.pk, "new_owner": successor.pk, "accounts": [first.pk]}
    for expected in ("not json", json.dumps({"accounts": [first.pk]})):
        response = client_for(personas.manager).post(
            URL, {**posted, "expected": expected, "confirm": "1"}, **EN
        )
        assert response.status_code == 200
        assert Account.objects.get().owner == personas.owner


def test_an_admin_who_deactivates_a_rep_with_accounts_is_sent_to_the_handover(personas, client_for):
    AccountFactory(owner=personas.owner)
    client = client_for(personas.admin)
    change = reverse("admin:crm_user_change", args=[personas.owner.pk])
    form = client.get(change).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in ("groups", "user_permissions", "password")
    }
    data.update(
        {
            "is_active": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    response = client.post(change, data)
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    assert response["Location"] == f"{URL}?from={personas.owner.pk}"
