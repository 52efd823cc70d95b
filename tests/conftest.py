"""Personas shared by every test: the owner rep, a rep of the same team, their manager,
a rep of another team, an admin, and an anonymous visitor (the plain `client`)."""

from dataclasses import dataclass

import pytest
from django.conf import settings

from crm.models import Membership, User
from tests.factories import MembershipFactory, TeamFactory, UserFactory


def pytest_configure(config):
    # Tests never run collectstatic: static files come from the finders, unhashed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHITENOISE_USE_FINDERS = True
    # The test client speaks plain HTTP; production keeps redirecting to HTTPS.
    settings.SECURE_SSL_REDIRECT = False
    # Background jobs run in-process; the Redis test (-m redis) runs a real worker.
    from crm.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@dataclass
class Personas:
    owner: User
    teammate: User
    manager: User
    outsider: User
    outsider_manager: User
    admin: User


@pytest.fixture
def personas(db) -> Personas:
    team, other_team = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    owner = MembershipFactory(team=team, user__username="owner").user
    teammate = MembershipFactory(team=team, user__username="teammate").user
    manager = MembershipFactory(
        team=team, user__username="manager", role=Membership.Role.MANAGER
    ).user
    outsider = MembershipFactory(team=other_team, user__username="outsider").user
    outsider_manager = MembershipFactory(
        team=other_team, user__username="outsider_manager", role=Membership.Role.MANAGER
    ).user
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return Personas(owner, teammate, manager, outsider, outsider_manager, admin)


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client signed in as `user`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
