"""The calendar's week and month views and the ICS feed, parsed back with icalendar and
checked against the access policy."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from accounts.models import PersonalProfile
from crm.agenda import CalendarFeed
from opportunities.models import PaymentMilestone
from relationships.defaults import ensure_defaults
from relationships.models import ActivityType, CoolingThreshold, Festival
from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.factories import OpportunityFactory
from tests.relationships.factories import PlannedActivityFactory, TodoFactory, festival_on

NOW = dt.datetime(2026, 3, 4, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def types(db):
    ensure_defaults(ActivityType, CoolingThreshold, Festival)
    Festival.objects.all().delete()
    return {t.code: t for t in ActivityType.objects.all()}


def a_week(owner, types, n=1):
    account = AccountFactory(owner=owner, name="江南银行")
    for i in range(n):
        person = ContactFactory(account=account, name=f"张伟{i}")
        PersonalProfile.objects.create(
            contact=person, birthday=dt.date(1980, 3, 5), hometown="苏州"
        )
        PlannedActivityFactory(
            account=account,
            owner=owner,
            type=types["meal_tea"],
            contacts=[person],
            starts_at=NOW + dt.timedelta(days=1, hours=10),
        )
        TodoFactory(account=account, owner=owner, title=f"send the deck {i}", due_date=TODAY)
        deal = OpportunityFactory(
            account=account, name=f"核心系统{i}", next_step="call the CFO", next_step_date=TODAY
        )
        PaymentMilestone.objects.create(
            opportunity=deal, name="30%", amount=Decimal("1000"), due_date=TODAY + dt.timedelta(2)
        )
    festival_on(TODAY + dt.timedelta(1))
    return account


def kinds_by_day(response):
    return {
        day: sorted(entry.kind for entry in entries)
        for week in response.context["weeks"]
        for day, entries in week
        if entries
    }


def test_the_week_shows_everything_dated(personas, types, client_for):
    a_week(personas.owner, types)
    response = client_for(personas.owner).get(reverse("crm:calendar"), HTTP_ACCEPT_LANGUAGE="en")
    assert kinds_by_day(response) == {
        TODAY: ["next_step", "todo"],
        TODAY + dt.timedelta(1): ["birthday", "festival", "plan"],
        TODAY + dt.timedelta(2): ["payment"],
    }
    weeks = response.context["weeks"]
    assert [d for d, _entries in weeks[0]][0] == dt.date(2026, 3, 2)  # Monday
    assert "19:00" in response.content.decode()


def test_the_month_view_covers_whole_weeks(personas, types, client_for):
    response = client_for(personas.owner).get(reverse("crm:calendar") + "?view=month")
    days = [d for week in response.context["weeks"] for d, _entries in week]
    assert (days[0], days[-1]) == (dt.date(2026, 2, 23), dt.date(2026, 4, 5))


def test_a_manager_sees_the_team_a_rep_only_their_own(personas, types, client_for):
    a_week(personas.owner, types)
    team = client_for(personas.manager).get(reverse("crm:calendar") + "?scope=team")
    assert TODAY in kinds_by_day(team)
    rep = client_for(personas.teammate).get(reverse("crm:calendar") + "?scope=team")
    assert rep.context["scope"] == "mine"
    assert kinds_by_day(rep) == {TODAY + dt.timedelta(1): ["festival"]}


@pytest.mark.parametrize("size", [1, 6])
def test_the_week_costs_the_same_at_any_size(
    personas, types, client_for, django_assert_num_queries, size
):
    a_week(personas.owner, types, n=size)
    client = client_for(personas.manager)
    # session, user; "is a manager?"; plans and their people (2); to-dos; festivals;
    # birthdays (one statement); next steps; payment milestones; reviews due; "has a feed?".
    with django_assert_num_queries(12):
        response = client.get(reverse("crm:calendar") + "?scope=team")
    assert len(kinds_by_day(response)[TODAY]) == 2 * size


def feed_of(client):
    response = client.post(reverse("crm:calendar_feed_reset"))
    url = response.context["feed_url"]
    return url.split("testserver", 1)[1]


def parse(response):
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_the_feed_parses_back_and_keeps_personal_data_out(personas, types, client_for, client):
    a_week(personas.owner, types)
    path = feed_of(client_for(personas.owner))
    client.logout()  # a phone subscribes without signing in
    calendar = parse(client.get(path))
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    kinds = sorted(uid.split("-")[0] for uid in events)
    assert kinds == ["festival", "next", "payment", "plan", "todo"]  # no birthday
    plan = next(e for uid, e in events.items() if uid.startswith("plan-"))
    assert plan.decoded("dtstart") == NOW + dt.timedelta(days=1, hours=10)
    assert "张伟0" in str(plan["summary"])  # a name, and nothing from the profile
    body = client.get(path).content.decode()
    assert "苏州" not in body and "1980" not in body


def test_a_rivals_feed_never_sees_team_ones_records(personas, types, client_for, client):
    a_week(personas.owner, types)
    path = feed_of(client_for(personas.outsider))
    client.logout()
    calendar = parse(client.get(path))
    assert [str(e["uid"]).split("-")[0] for e in calendar.walk("VEVENT")] == ["festival"]


def test_a_reset_stops_the_old_address(personas, types, client_for, client):
    owner = client_for(personas.owner)
    old = feed_of(owner)
    new = feed_of(owner)
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get(reverse("crm:calendar_feed", args=["not-a-token"])).status_code == 404
    assert CalendarFeed.objects.count() == 1


def test_an_inactive_users_feed_stops(personas, types, client):
    token = CalendarFeed.reset(personas.owner)
    personas.owner.is_active = False
    personas.owner.save()
    assert client.get(reverse("crm:calendar_feed", args=[token])).status_code == 404
