"""The demo data of move 2 (relationships/demo.py)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import birthdays
from accounts.models import PersonalProfile
from relationships.models import Activity, ActivityType, Relationship, StageChange


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())


def test_relationships_at_every_stage_and_personality(seeded):
    assert set(Relationship.objects.values_list("stage", flat=True)) == {1, 2, 3, 4}
    assert {"owl", "tiger", "peacock", "koala"} <= set(
        Relationship.objects.values_list("personality", flat=True)
    )
    assert StageChange.objects.exists()


def test_activities_of_every_type(seeded):
    used = set(Activity.objects.values_list("type__code", flat=True))
    assert used == set(ActivityType.objects.values_list("code", flat=True))


def test_a_pending_gift_for_the_manager(seeded):
    from crm.models import User

    manager = User.objects.get(username="manager")
    assert Activity.objects.approvable_by(manager).pending_approval().count() == 1


def test_a_birthday_within_two_weeks(seeded):
    today = timezone.localdate()
    soon = [
        p
        for p in PersonalProfile.objects.filter(birthday__isnull=False)
        if birthdays.next_solar_birthday(p.birthday, today) <= today + timedelta(days=14)
    ]
    assert soon


def test_seeding_twice_adds_nothing(seeded):
    counts = (Activity.objects.count(), StageChange.objects.count(), Relationship.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert counts == (
        Activity.objects.count(),
        StageChange.objects.count(),
        Relationship.objects.count(),
    )
