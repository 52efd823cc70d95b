"""One timeline per deal and per account (issue 21): every kind of entry, newest first with
planned work ahead on top, one kind at a time, a page at a time, the same queries whatever
the history's length. "Now" is pinned."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from opportunities.deals import services, timeline
from opportunities.models import DealReview, Status
from relationships.defaults import ensure_defaults
from relationships.models import ActivityType, CoolingThreshold, Festival
from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.factories import OpportunityFactory
from tests.relationships.factories import ActivityFactory, PlannedActivityFactory, TodoFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def pinned_clock_in_english():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


@pytest.fixture
def types(db):
    ensure_defaults(ActivityType, CoolingThreshold, Festival)
    return {t.code: t for t in ActivityType.objects.all()}


@dataclass
class Place:
    account: object
    contact: object


@pytest.fixture
def place(personas):
    account = AccountFactory(owner=personas.owner)
    return Place(account, ContactFactory(account=account))


@pytest.fixture
def deal(place, personas):
    with time_machine.travel(NOW - dt.timedelta(days=30), tick=False):
        opportunity = OpportunityFactory(account=place.account, owner=personas.owner)
        services._record(opportunity, from_move=None, from_status="", by=personas.owner)
    return opportunity


def kinds(entries):
    return [(entry.kind, entry.title) for entry in entries]


def test_a_deals_timeline_holds_every_kind_newest_first(deal, place, types, personas):
    def ago(**delta):
        return time_machine.travel(NOW - dt.timedelta(**delta), tick=False)

    ActivityFactory(
        account=place.account,
        opportunity=deal,
        owner=personas.owner,
        type=types["office_visit"],
        contacts=[place.contact],
        date=NOW.date() - dt.timedelta(days=3),
    )
    ActivityFactory(  # the account's, not the deal's
        account=place.account, owner=personas.owner, type=types["email"], contacts=[place.contact]
    )
    PlannedActivityFactory(
        account=place.account, opportunity=deal, owner=personas.owner, type=types["meal_tea"]
    )
    with ago(days=2):
        TodoFactory(account=place.account, opportunity=deal, owner=personas.owner, title="Send")
    DealReview.objects.create(
        opportunity=deal,
        reviewed_by=personas.manager,
        reviewed_at=NOW - dt.timedelta(days=1),
        agreed_next_steps="Meet the CFO",
    )
    with ago(hours=1):
        deal.name = "Renamed"
        deal.save()

    entries, more = timeline.timeline(deal)

    assert not more
    assert kinds(entries[:5]) == [
        ("plan", "Planned: business activity (meal, tea)"),  # tomorrow: ahead, on top
        ("change", "changed · opportunity"),
        ("review", "Deal review"),
        ("plan", "To-do: Send"),
        ("activity", "visit"),
    ]
    assert set(kinds(entries[5:])) == {
        ("change", "added · opportunity"),
        ("move", "Opened in move 1"),
    }
    assert entries[0].ahead and entries[1].lines[0].endswith("→ Renamed")
    assert [entry.when for entry in entries] == sorted((e.when for e in entries), reverse=True)


def test_an_override_is_flagged_with_its_reason(deal, personas):
    services.set_outcome(
        deal, status=Status.ABANDONED, by=personas.owner, data={"lost_reason": "No budget"}
    )
    entries, _more = timeline.timeline(deal, kind="move")
    assert kinds(entries) == [("move", "abandoned (放弃)"), ("move", "Opened in move 1")]
    assert entries[0].lines == ["No budget"]


def test_an_accounts_timeline_names_the_deal_of_each_move(deal, place):
    entries, _more = timeline.timeline(place.account, kind="move")
    assert [entry.lines for entry in entries] == [[deal.name]]


def test_pages_of_a_long_history(deal, place, types, personas):
    for i in range(timeline.PAGE + 5):
        ActivityFactory(
            account=place.account,
            opportunity=deal,
            owner=personas.owner,
            type=types["email"],
            contacts=[place.contact],
            notes=f"mail {i}",
            date=NOW.date() - dt.timedelta(days=i + 1),
        )
    first, more = timeline.timeline(deal, kind="activity")
    second, last = timeline.timeline(deal, kind="activity", page=2)
    assert len(first) == timeline.PAGE and more
    assert len(second) == 5 and not last
    assert first[0].lines[-1] == "mail 0" and second[-1].lines[-1] == f"mail {timeline.PAGE + 4}"


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_costs_the_same_queries_at_two_sizes(
    deal, place, types, personas, client_for, django_assert_num_queries, size
):
    for _ in range(size):
        ActivityFactory(
            account=place.account,
            opportunity=deal,
            owner=personas.owner,
            type=types["email"],
            contacts=[place.contact],
        )
        PlannedActivityFactory(
            account=place.account, opportunity=deal, owner=personas.owner, type=types["meal_tea"]
        )
    client = client_for(personas.owner)
    url = reverse("opportunities:timeline", args=["deal", deal.pk])
    client.get(url)
    # session, user, the deal; activities and their people, plans, to-dos, moves, the deal's
    # history (and a field its diff reads), reviews, comments, files
    with django_assert_num_queries(13):
        response = client.get(url)
    assert len(response.context["entries"]) == min(2 * size + 2, timeline.PAGE)


@pytest.mark.parametrize(
    ("query", "status"), [("?kind=move", 200), ("?kind=nonsense", 200), ("?page=99999999", 200)]
)
def test_bad_parameters_fall_back(deal, personas, client_for, query, status):
    url = reverse("opportunities:timeline", args=["deal", deal.pk]) + query
    assert client_for(personas.owner).get(url).status_code == status


def test_an_unknown_timeline_is_not_found(deal, personas, client_for):
    url = reverse("opportunities:timeline", args=["nothing", deal.pk])
    assert client_for(personas.owner).get(url).status_code == 404
