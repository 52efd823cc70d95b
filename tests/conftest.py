"""Personas shared by every test: the owner rep, a rep of the same team, their manager,
a rep of another team, an admin, and an anonymous visitor (the plain `client`)."""

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.signals import setting_changed
from django.test import signals as _test_signals  # noqa: F401 (Django's own receivers)

from crm.models import Membership, User
from tests.factories import MembershipFactory, TeamFactory, UserFactory

# An unremarkable day: no festival within a month, no month end, no leap day. CI runs the suite
# again on awkward days (.ci/run); CONTRIBUTING.md lists them.
DEFAULT_TODAY = "2026-11-18"


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        default=DEFAULT_TODAY,
        help="the day (YYYY-MM-DD, or YYYY-MM-DDTHH:MM local time) the whole session runs on; "
        "'real' for the machine's clock",
    )


def session_clock(value: str, zone: str) -> datetime | None:
    """The moment `--today` pins the clock to (10:00 local time for a bare date), or None."""
    if value == "real":
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise pytest.UsageError(
            f"--today takes YYYY-MM-DD[THH:MM] or 'real', not {value!r}"
        ) from exc
    if len(value) == len("YYYY-MM-DD"):
        moment = datetime.combine(date.fromisoformat(value), time(10, 0))
    return moment.replace(tzinfo=ZoneInfo(zone))


def pytest_configure(config):
    moment = session_clock(config.getoption("--today"), settings.TIME_ZONE)
    if moment is not None:
        # The clock keeps ticking from the pinned moment, so timeouts and orderings still work.
        config.stash[CLOCK] = time_machine.travel(moment, tick=True)
        config.stash[CLOCK].start()
    # Tests never run collectstatic: static files come from the finders, unhashed.
    # Attached files go to a folder of this run's own, removed at its end.
    config.stash[FILES_DIR] = tempfile.mkdtemp(prefix="cuilong-test-files-")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "files": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": config.stash[FILES_DIR], "base_url": None},
        },
    }
    # Models were loaded already (a FileField asks for its storage when defined): tell the
    # storage handlers that the settings changed, as override_settings would.
    setting_changed.send(sender=None, setting="STORAGES", value=settings.STORAGES, enter=True)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHITENOISE_USE_FINDERS = True
    # The test client speaks plain HTTP; production keeps redirecting to HTTPS.
    settings.SECURE_SSL_REDIRECT = False
    # Background jobs run in-process; the Redis test (-m redis) runs a real worker.
    from crm.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


CLOCK = pytest.StashKey[time_machine.travel]()
FILES_DIR = pytest.StashKey[str]()


def pytest_unconfigure(config):
    if CLOCK in config.stash:
        config.stash[CLOCK].stop()
    if FILES_DIR in config.stash:
        shutil.rmtree(config.stash[FILES_DIR], ignore_errors=True)


def pytest_report_header(config):
    return f"today: {config.getoption('--today')} (--today pins the clock for the session)"


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


@pytest.fixture(autouse=True)
def _empty_cache():
    """No test sees what another one cached (the pipeline's figures, throttles)."""
    from django.core.cache import cache

    cache.clear()
