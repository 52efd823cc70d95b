import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from relationships.defaults import ensure_defaults
from relationships.models import ActivityType, CoolingThreshold, Festival

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday, 09:00 in Shanghai
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def types(db):
    ensure_defaults(ActivityType, CoolingThreshold, Festival)
    Festival.objects.all().delete()  # the seeded years are not this test's concern
    return {t.code: t for t in ActivityType.objects.all()}
