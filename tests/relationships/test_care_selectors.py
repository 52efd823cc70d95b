"""The care reads of the home page and the care page (relationships.care_selectors): cooling with
its thresholds in SQL, reminders in one statement, next steps and gifts in one statement."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import PersonalProfile
from relationships import care_selectors, ladder, selectors
from relationships.models import Activity, CoolingThreshold, Relationship
from tests.factories import ContactFactory
from tests.relationships.factories import ActivityFactory, festival_on

pytestmark = pytest.mark.django_db


def quiet_relationship(world, owner, types, *, stage, last_days_ago=None, created_days_ago=0):
    """A relationship at `stage` on the owner's account, its last activity `last_days_ago`
    (none when None), created `created_days_ago`."""
    today = timezone.localdate()
    person = ContactFactory(account=world.account)
    relationship = Relationship.objects.create(contact=person, stage=stage)
    Relationship.objects.filter(pk=relationship.pk).update(
        created_at=timezone.now() - timedelta(days=created_days_ago)
    )
    if last_days_ago is not None:
        ActivityFactory(
            account=world.account,
            owner=owner,
            type=types["email"],
            date=today - timedelta(days=last_days_ago),
            contacts=[person],
        )
    relationship.refresh_from_db()
    return relationship


@pytest.mark.parametrize(
    ("stage", "last_days_ago", "created_days_ago"),
    [
        (2, 29, 400),
        (2, 30, 400),  # exactly the threshold: not yet cooling
        (2, 31, 400),
        (3, 46, 400),
        (4, 70, 400),
        (2, None, 29),  # no activity: quiet since it was created
        (2, None, 31),
        (1, 400, 400),  # a stage without a threshold (deleted below) never cools
    ],
)
def test_cooling_in_sql_is_ladder_is_cooling(
    world, types, personas, stage, last_days_ago, created_days_ago
):
    today = timezone.localdate()
    CoolingThreshold.objects.filter(stage=1).delete()
    relationship = quiet_relationship(
        world,
        personas.owner,
        types,
        stage=stage,
        last_days_ago=last_days_ago,
        created_days_ago=created_days_ago,
    )
    thresholds = selectors.cooling_thresholds()
    last = today - timedelta(days=last_days_ago) if last_days_ago is not None else None
    since = selectors.timezone_date(relationship.created_at)
    expected = ladder.is_cooling(stage, last, since, today, thresholds)
    items = care_selectors.cooling_relationships(personas.owner, today)
    assert [item.relationship for item in items] == ([relationship] if expected else [])
    if expected:
        assert items[0].threshold == thresholds[stage]
        assert items[0].days == ladder.days_without_activity(last, since, today)


def test_the_thresholds_are_read_with_the_rows(world, types, personas):
    quiet_relationship(world, personas.owner, types, stage=2, last_days_ago=20)
    today = timezone.localdate()
    assert care_selectors.cooling_relationships(personas.owner, today) == []
    CoolingThreshold.objects.filter(stage=2).update(days=10)
    assert [i.threshold for i in care_selectors.cooling_relationships(personas.owner, today)] == [
        10
    ]


def test_the_preview_shows_the_quietest_and_counts_the_rest_up_to_the_limit(
    world, types, personas, django_assert_num_queries
):
    for days in range(40, 48):
        quiet_relationship(world, personas.owner, types, stage=2, last_days_ago=days)
    today = timezone.localdate()
    every = care_selectors.cooling_relationships(personas.owner, today)
    with django_assert_num_queries(1):
        shown, more = care_selectors.cooling_preview(personas.owner, today, shown=3)
    assert [i.relationship for i in shown] == [i.relationship for i in every[:3]]
    assert more == 5
    assert care_selectors.cooling_preview(personas.owner, today, shown=3, limit=6)[1] == 3
    assert care_selectors.cooling_preview(personas.outsider, today, shown=3) == ([], 0)


def test_reminders_are_birthdays_and_festivals_soonest_first(
    world, personas, django_assert_num_queries
):
    today = timezone.localdate()
    PersonalProfile.objects.create(
        contact=world.contact, birthday=(today + timedelta(days=4)).replace(year=1980)
    )
    PersonalProfile.objects.create(
        contact=world.other_contact, birthday=(today + timedelta(days=20)).replace(year=1984)
    )
    PersonalProfile.objects.create(contact=world.foreign_contact, birthday=today)
    festival_on(today + timedelta(days=2))
    with django_assert_num_queries(1):
        reminders = care_selectors.care_reminders(personas.owner, today, days=14)
    ours = [r for r in reminders if r.contact or r.festival.name_en == "Test Day"]
    assert [(r.kind, r.days) for r in ours if r.days <= 4] == [
        ("festival", 2),
        ("birthday", 4),
    ]
    birthday = next(r for r in reminders if r.kind == "birthday")
    assert birthday.contact == world.contact
    assert birthday.contact.name == world.contact.name
    assert birthday.contact.account.name == world.account.name
    festival = next(r for r in reminders if r.festival and r.festival.name_en == "Test Day")
    assert festival.festival.name_zh == "测试节" and festival.when == today + timedelta(days=2)
    assert all(r.contact != world.other_contact for r in reminders)  # 20 days away
    assert all(r.contact != world.foreign_contact for r in reminders)  # not mine


def gift(world, owner, types, days_ago):
    return ActivityFactory(
        account=world.account,
        owner=owner,
        type=types["valuable_gift"],
        cost=Decimal("900"),
        date=timezone.localdate() - timedelta(days=days_ago),
        approval_status=Activity.Approval.PENDING,
        contacts=[world.contact],
    )


def step(world, owner, types, in_days, text="call back"):
    return ActivityFactory(
        account=world.account,
        owner=owner,
        type=types["phone_call"],
        next_step=text,
        next_step_date=timezone.localdate() + timedelta(days=in_days),
        contacts=[world.contact, world.other_contact],
    )


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_next_steps_and_gifts_are_the_two_lists_read_on_their_own(
    world, types, personas, django_assert_num_queries, who
):
    user = getattr(personas, who)
    today = timezone.localdate()
    for days in [-9, -7, -1, 0, 3, 8, 14, 15]:
        step(world, user, types, days)
    step(world, user, types, 2, text="")  # no next step written down
    step(world, personas.teammate, types, 1)  # someone else's
    for days_ago in range(7):
        gift(world, personas.owner, types, days_ago)
        gift(world, personas.teammate, types, days_ago + 10)
    manager = selectors.is_manager(user)
    with django_assert_num_queries(2):  # the activities, their people
        found = care_selectors.next_steps_and_gifts(user, today, rows=5, manager=manager)
        names = [[p.name for p in a.contacts.all()] for a in found["next_steps"]]
    source = (
        Activity.objects.approvable_by(user) if manager else Activity.objects.filter(owner=user)
    )
    pending = source.pending_approval().order_by("date", "pk")
    assert found["next_steps"] == list(care_selectors.next_steps_due(user, today)[:5])
    assert found["pending"] == list(pending[:5])
    assert found["pending_count"] == pending.count() == (7 if who == "owner" else 14)
    assert names[0] == sorted([world.contact.name, world.other_contact.name])


def test_no_next_steps_and_no_gifts(personas):
    found = care_selectors.next_steps_and_gifts(
        personas.owner, timezone.localdate(), rows=5, manager=False
    )
    assert found == {"next_steps": [], "pending": [], "pending_count": 0}
