"""Fixtures of the relationships tests: the method's activity types, and an account of the
owner persona with people on it."""

from dataclasses import dataclass

import pytest

from accounts.models import Account, Contact
from relationships.defaults import ensure_defaults
from relationships.models import ActivityType, CoolingThreshold, Festival
from tests.factories import AccountFactory, ContactFactory


@pytest.fixture
def types(db) -> dict[str, ActivityType]:
    """The seeded taxonomy (tests run without migrations), by code."""
    ensure_defaults(ActivityType, CoolingThreshold, Festival)
    return {t.code: t for t in ActivityType.objects.all()}


@dataclass
class World:
    account: Account
    contact: Contact
    other_contact: Contact
    foreign_account: Account
    foreign_contact: Contact


@pytest.fixture
def world(personas, types) -> World:
    """The owner's account with two people; the outsider's account with one."""
    account = AccountFactory(owner=personas.owner, name="华东精密 East Precision")
    foreign_account = AccountFactory(owner=personas.outsider, name="Rival Account")
    return World(
        account=account,
        contact=ContactFactory(account=account, name="周建国"),
        other_contact=ContactFactory(account=account, name="Linda Xu"),
        foreign_account=foreign_account,
        foreign_contact=ContactFactory(account=foreign_account, name="Outsider Contact"),
    )
