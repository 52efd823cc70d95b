"""Fixtures of the greetings tests: the seeded templates and a festival (中秋) with the owner's
two people, reachable by e-mail and SMS."""

from datetime import date

import pytest

from relationships.greetings.defaults import ensure_greeting_defaults
from relationships.models import ActivityType, Festival, GreetingSetting, GreetingTemplate

MID_AUTUMN_2027 = date(2027, 9, 15)


@pytest.fixture
def seeded(types):
    ensure_greeting_defaults(GreetingTemplate, Festival, GreetingSetting, ActivityType)
    return Festival.objects.get(name_en="Mid-Autumn Festival")


@pytest.fixture
def people(world, seeded):
    world.contact.email, world.contact.mobile = "zhou@example.com", "13800000001"
    world.contact.save()
    world.other_contact.email, world.other_contact.mobile = "linda@example.com", "13800000002"
    world.other_contact.save()
    return world
