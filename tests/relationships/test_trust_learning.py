"""What builds trust (relationships/learning_rules.py, learning.py, the page): the share of done
activities followed by an advance within N days per type and personality, the cost per advance,
the median days per step; small samples marked; scoped by the policy."""

import csv
import io
import random
import statistics
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from relationships import learning, learning_rules
from relationships.models import (
    Activity,
    Personality,
    Relationship,
    StageChange,
    TrustLearningSetting,
)
from tests.factories import AccountFactory, ContactFactory
from tests.relationships.factories import ActivityFactory


@pytest.fixture(autouse=True)
def english(settings):
    """The assertions read the English texts (requests without Accept-Language get them)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


TODAY = date(2026, 9, 10)
SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = "/relationships/learn/trust/"


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(datetime(2026, 9, 10, 10, tzinfo=SHANGHAI), tick=False):
        yield


def at(day: date, hour: int = 15) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


# -- the pure rules ---------------------------------------------------------------------------


def test_the_url_name():
    assert reverse("relationships:trust_learning") == URL


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=3, unique=True))
def test_a_straight_climb_takes_the_gaps_between_its_moves(gaps):
    start = date(2025, 1, 1)
    changes, day = [], start
    for step, gap in enumerate(gaps, start=1):
        day = day + timedelta(days=gap)
        changes.append((day, step, step + 1))
    expected = [(step, gap) for step, gap in enumerate(gaps, start=1)]
    assert learning_rules.step_durations(start, changes) == expected


def test_a_fall_restarts_the_clock_and_a_skip_is_no_step():
    start = date(2025, 1, 1)
    changes = [
        (date(2025, 1, 11), 1, 2),  # 10 days
        (date(2025, 2, 1), 2, 1),  # back down
        (date(2025, 2, 6), 1, 2),  # 5 days from the fall
        (date(2025, 3, 1), 2, 4),  # a skip
    ]
    assert learning_rules.step_durations(start, changes) == [(1, 10), (1, 5)]


@given(
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    moves=st.lists(st.integers(min_value=-50, max_value=100), max_size=5),
    days=st.integers(min_value=0, max_value=60),
)
def test_a_longer_window_never_counts_fewer_advances(day, moves, days):
    advances = [day + timedelta(days=d) for d in moves]
    if learning_rules.advanced_within(day, advances, days):
        assert learning_rules.advanced_within(day, advances, days + 1)
    assert learning_rules.advanced_within(day, advances, days) == any(0 <= d <= days for d in moves)


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1))
def test_the_median_is_the_middle(values):
    middle = learning_rules.median(values)
    assert min(values) <= middle <= max(values)
    assert middle == statistics.median(values)


def test_small_samples_are_marked():
    found = learning_rules.tally(
        [("a", Decimal(1), True)] * 9 + [("b", Decimal(1), False)] * 10, 10
    )
    assert found["a"].too_few and not found["b"].too_few
    assert found["a"].percent == 100 and found["b"].percent == 0
    assert found["b"].cost_per_advance is None and found["a"].cost_per_advance == Decimal("1.00")


# -- the figures against a reference ----------------------------------------------------------


def _history(types, owner, seed, size=30):
    rng = random.Random(seed)
    account = AccountFactory(owner=owner)
    codes = ["phone_call", "meal_tea", "small_gift", "tech_exchange"]
    people = []
    for _ in range(max(3, size // 5)):
        contact = ContactFactory(account=account)
        relationship = Relationship.objects.create(
            contact=contact, personality=rng.choice(Personality.values)
        )
        start = TODAY - timedelta(days=rng.randint(200, 400))
        Relationship.objects.filter(pk=relationship.pk).update(created_at=at(start, 9))
        stage, day = 1, start
        for _ in range(rng.randint(0, 4)):
            day += timedelta(days=rng.randint(1, 60))
            if day >= TODAY:
                break
            to = rng.choice([s for s in (1, 2, 3, 4) if s != stage and abs(s - stage) <= 2])
            StageChange.objects.create(
                relationship=relationship, from_stage=stage, to_stage=to, changed_at=at(day)
            )
            stage = to
        people.append(contact)
    for _ in range(size):
        chosen = rng.sample(people, rng.randint(1, 2))
        ActivityFactory(
            type=types[rng.choice(codes)],
            account=account,
            owner=owner,
            contacts=chosen,
            date=TODAY - timedelta(days=rng.randint(0, 300)),
            cost=Decimal(rng.randint(0, 50000)) / 100,
        )


def _reference(days):
    """Per activity type: cases, advances, cost; and each step's durations — plain Python."""
    until = TODAY - timedelta(days=days)
    ups = defaultdict(list)
    for change in StageChange.objects.select_related("relationship"):
        if change.to_stage > change.from_stage:
            ups[change.relationship.contact_id].append(
                change.changed_at.astimezone(SHANGHAI).date()
            )
    per_type = defaultdict(lambda: [0, 0, Decimal(0)])
    for activity in Activity.objects.filter(date__lte=until):
        people = list(activity.contacts.all())
        for person in people:
            row = per_type[activity.type_id]
            row[0] += 1
            row[1] += any(
                activity.date <= d <= activity.date + timedelta(days=days) for d in ups[person.pk]
            )
            row[2] += (activity.cost / len(people)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    steps = defaultdict(list)
    for relationship in Relationship.objects.all():
        changes = list(relationship.stage_changes.order_by("changed_at", "pk"))
        if not changes:
            continue
        since = {changes[0].from_stage: relationship.created_at.astimezone(SHANGHAI).date()}
        for change in changes:
            day = change.changed_at.astimezone(SHANGHAI).date()
            if change.to_stage == change.from_stage + 1 and change.from_stage in since:
                steps[change.from_stage].append((day - since[change.from_stage]).days)
            since[change.to_stage] = day
    return per_type, steps


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_figures_agree_with_a_plain_computation(types, personas, seed):
    _history(types, personas.owner, seed)
    found = learning.trust_learning(personas.admin, today=TODAY)
    per_type, steps = _reference(found.days)
    assert found.days == learning.DEFAULT_DAYS
    assert {
        row.type_id: [row.tally.count, row.tally.advanced, row.tally.cost] for row in found.by_type
    } == dict(per_type)
    for step in found.steps:
        durations = steps[step.from_stage]
        assert step.count == len(durations)
        assert step.median_days == (statistics.median(durations) if durations else None)
    assert sum(r.tally.count for r in found.by_personality) == sum(v[0] for v in per_type.values())
    assert sum(r.tally.count for r in found.by_type_and_personality) == sum(
        v[0] for v in per_type.values()
    )


def test_the_admins_window_is_used(types, personas, world):
    TrustLearningSetting.objects.create(days=5, min_count=1)
    relationship = Relationship.objects.create(contact=world.contact)
    ActivityFactory(
        type=types["meal_tea"],
        account=world.account,
        owner=personas.owner,
        contacts=[world.contact],
        date=TODAY - timedelta(days=40),
        cost=Decimal("300"),
    )
    StageChange.objects.create(
        relationship=relationship,
        from_stage=1,
        to_stage=2,
        changed_at=at(TODAY - timedelta(days=30)),
    )
    (row,) = learning.trust_learning(personas.admin, today=TODAY).by_type
    assert row.tally.count == 1 and row.tally.advanced == 0  # 10 days later: outside 5
    TrustLearningSetting.objects.update(days=10)
    (row,) = learning.trust_learning(personas.admin, today=TODAY).by_type
    assert row.tally.advanced == 1 and row.tally.cost_per_advance == Decimal("300.00")
    assert not row.tally.too_few


# -- the page ---------------------------------------------------------------------------------


@pytest.fixture
def owners_history(types, personas, world):
    relationship = Relationship.objects.create(contact=world.contact, personality="owl")
    ActivityFactory(
        type=types["tech_exchange"],
        account=world.account,
        owner=personas.owner,
        contacts=[world.contact],
        date=TODAY - timedelta(days=60),
    )
    StageChange.objects.create(
        relationship=relationship,
        from_stage=1,
        to_stage=2,
        changed_at=at(TODAY - timedelta(days=50)),
    )


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("owner", True),
        ("teammate", False),
        ("manager", True),
        ("outsider", False),
        ("outsider_manager", False),
        ("admin", True),
    ],
)
def test_each_persona_learns_from_what_the_policy_allows(
    personas, client_for, owners_history, persona, sees
):
    client = client_for(getattr(personas, persona))
    response = client.get(URL)
    assert response.status_code == 200
    found = response.context["found"]
    assert bool(found.by_type) is sees
    assert (found.steps[0].count == 1) is sees
    assert client.post(URL).status_code == 405


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_at_two_sizes(types, personas, client_for):
    client = client_for(personas.manager)
    _history(types, personas.owner, seed=7, size=5)
    small = _queries(client, URL)
    _history(types, personas.owner, seed=8, size=40)
    assert _queries(client, URL) == small


def test_the_download_matches_the_table(types, personas, client_for):
    _history(types, personas.owner, seed=4, size=40)
    client = client_for(personas.owner)
    found = client.get(URL).context["found"]
    rows = list(csv.reader(io.StringIO(client.get(URL + "?format=csv").getvalue().decode())))
    by_type = [row for row in rows[1:] if row[0] == "activity type"]
    assert [(r[1], int(r[3]), int(r[4])) for r in by_type] == [
        (row.type_name, row.tally.count, row.tally.advanced) for row in found.by_type
    ]
    for csv_row, row in zip(by_type, found.by_type, strict=True):
        expected = "too few" if row.tally.too_few else f"{row.tally.percent}%"
        assert csv_row[5] == expected
    html = client.get(URL).content.decode()
    tables = found.by_type + found.by_personality + found.by_type_and_personality
    marked = sum(r.tally.too_few for r in tables) + sum(s.too_few for s in found.steps)
    assert html.count('text-bg-light">too few') == marked > 0
    steps = [row for row in rows[1:] if row[0].startswith("median days")]
    assert [int(r[3]) for r in steps] == [s.count for s in found.steps]
