"""Writes: logging (gift check), stage changes (recorded), gift decisions."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from relationships import services
from relationships.models import Activity, Relationship
from tests.relationships.factories import ActivityFactory


def _new(types, code, cost=0):
    return Activity(type=types[code], cost=Decimal(cost), notes="n")


@pytest.mark.parametrize(
    ("code", "cost", "status"),
    [
        ("valuable_gift", "500", "not_needed"),  # at the limit
        ("valuable_gift", "500.01", "pending"),  # above it
        ("small_gift", "199", "not_needed"),
        ("out_of_town_visit", "3000", "pending"),
        ("tech_exchange", "99999", "not_needed"),  # not a gift
    ],
)
def test_a_gift_above_the_limit_waits_for_approval(world, types, personas, code, cost, status):
    activity = services.log_activity(
        activity=_new(types, code, cost), contacts=[world.contact], owner=personas.owner
    )
    assert activity.approval_status == status
    assert activity.account == world.account
    assert list(activity.contacts.all()) == [world.contact]


def test_people_of_two_accounts_are_refused(world, types, personas):
    with pytest.raises(ValidationError):
        services.log_activity(
            activity=_new(types, "email"),
            contacts=[world.contact, world.foreign_contact],
            owner=personas.owner,
        )
    assert not Activity.objects.exists()


def test_a_stage_change_is_recorded(world, types, personas):
    activity = ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["meal_tea"],
        contacts=[world.contact],
    )
    change = services.change_stage(
        contact=world.contact, to_stage=2, by=personas.owner, activity=activity, note="tea"
    )
    relationship = Relationship.objects.get(contact=world.contact)
    assert relationship.stage == 2
    assert (change.from_stage, change.to_stage, change.changed_by, change.activity) == (
        1,
        2,
        personas.owner,
        activity,
    )
    assert relationship.history.count() == 2  # created, then changed


def test_a_stage_change_refuses_a_stale_form(world, personas):
    services.change_stage(contact=world.contact, to_stage=3, by=personas.owner)
    with pytest.raises(ValidationError):
        services.change_stage(
            contact=world.contact, to_stage=2, by=personas.manager, expected_from=1
        )
    assert Relationship.objects.get(contact=world.contact).stage == 3


def test_the_supporting_activity_must_involve_the_person(world, types, personas):
    other = ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["meal_tea"],
        contacts=[world.other_contact],
    )
    with pytest.raises(ValidationError):
        services.change_stage(contact=world.contact, to_stage=2, by=personas.owner, activity=other)


def test_suggestions_only_for_people_below_the_evidence(world, types, personas):
    Relationship.objects.create(contact=world.other_contact, stage=3)
    activity = services.log_activity(
        activity=_new(types, "social_event"),
        contacts=[world.contact, world.other_contact],
        owner=personas.owner,
    )
    people = list(world.account.contacts.select_related("relationship").order_by("name"))
    suggestions = services.advance_suggestions(activity, people)
    assert [(s.contact, s.current, s.suggested) for s in suggestions] == [(world.contact, 1, 3)]


def _pending(world, types, personas):
    return services.log_activity(
        activity=_new(types, "valuable_gift", 800), contacts=[world.contact], owner=personas.owner
    )


def test_a_manager_approves(world, types, personas):
    gift = services.decide_gift(
        activity=_pending(world, types, personas), by=personas.manager, approve=True
    )
    assert gift.approval_status == "approved"
    assert gift.decided_by == personas.manager and gift.decided_at


def test_a_rejection_needs_a_reason(world, types, personas):
    gift = _pending(world, types, personas)
    with pytest.raises(ValidationError):
        services.decide_gift(activity=gift, by=personas.manager, approve=False, reason=" ")
    gift = services.decide_gift(
        activity=gift, by=personas.manager, approve=False, reason="over the policy"
    )
    assert gift.approval_status == "rejected"


def test_nobody_approves_their_own_gift(world, types, personas):
    with pytest.raises(ValidationError):
        services.decide_gift(
            activity=_pending(world, types, personas), by=personas.owner, approve=True
        )


def test_a_decision_is_final(world, types, personas):
    gift = services.decide_gift(
        activity=_pending(world, types, personas), by=personas.manager, approve=True
    )
    with pytest.raises(ValidationError):
        services.decide_gift(activity=gift, by=personas.admin, approve=False, reason="no")
