"""The gift ledger (relationships/gift_ledger.py, ledger_views.py): per person and year with
running totals against the yearly cap, stricter by customer type; the cap checked when a gift
is logged and in the festival reminders; the page's figures, access, cost and download."""

import csv
import io
import random
from collections import defaultdict
from datetime import date, datetime, timedelta
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

from accounts.models import Account
from crm.notifications.models import Notification
from relationships import gift_ledger, reminders, services
from relationships.models import Activity, GiftCapSetting
from relationships.models.gifts import GIFT_CAPS
from tests.factories import AccountFactory, ContactFactory
from tests.relationships.factories import ActivityFactory, festival_on


@pytest.fixture(autouse=True)
def english(settings):
    """The assertions read the English texts (requests without Accept-Language get them)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


TODAY = date(2026, 9, 10)
SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = "/relationships/gifts/ledger/"


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(datetime(2026, 9, 10, 10, tzinfo=SHANGHAI), tick=False):
        yield


def gift(types, *, people, cost, day=TODAY, owner, code="small_gift", **extra):
    return ActivityFactory(
        type=types[code],
        account=people[0].account,
        owner=owner,
        contacts=people,
        cost=Decimal(cost),
        date=day,
        **extra,
    )


# -- the pure parts ---------------------------------------------------------------------------


def test_the_url_name():
    assert reverse("relationships:gift_ledger") == URL


@given(
    cents=st.integers(min_value=0, max_value=10**9),
    people=st.integers(min_value=1, max_value=12),
)
def test_the_shares_of_a_gift_add_up_to_its_cost_within_half_a_fen_each(cents, people):
    cost = Decimal(cents) / 100
    parts = [gift_ledger.share(cost, people)] * people
    assert abs(sum(parts) - cost) <= Decimal("0.005") * people


def test_a_type_without_a_row_falls_back_to_the_default_cap():
    caps = {"": Decimal("2000"), "government": Decimal("500")}
    assert gift_ledger.cap_for("government", caps) == Decimal("500")
    assert gift_ledger.cap_for("private", caps) == Decimal("2000")
    assert gift_ledger.cap_for("", caps) == Decimal("2000")


def test_the_defaults_are_stricter_for_government_and_state_owned_customers():
    assert GIFT_CAPS[Account.Type.GOVERNMENT] < GIFT_CAPS[Account.Type.STATE_OWNED]
    assert GIFT_CAPS[Account.Type.STATE_OWNED] < GIFT_CAPS[Account.Type.PRIVATE]
    assert all(cap <= GIFT_CAPS[Account.Type.PRIVATE] for cap in GIFT_CAPS.values())


# -- the page's figures against a reference ---------------------------------------------------


def _history(types, personas, seed):
    """Gifts of random cost, people and days over two years on accounts of every type, with
    ordinary activities between them."""
    rng = random.Random(seed)
    accounts = [
        AccountFactory(owner=personas.owner, account_type=kind)
        for kind in ["", *Account.Type.values]
    ]
    people = {a.pk: [ContactFactory(account=a) for _ in range(3)] for a in accounts}
    for _ in range(40):
        account = rng.choice(accounts)
        chosen = rng.sample(people[account.pk], rng.randint(1, 3))
        code = rng.choice(["small_gift", "meal_tea", "valuable_gift", "email"])
        day = date(rng.choice([2025, 2026]), rng.randint(1, 9), rng.randint(1, 28))
        cost = Decimal(rng.randint(0, 90000)) / 100
        gift(types, people=chosen, cost=cost, day=day, owner=personas.owner, code=code)
    return accounts


def _reference(year):
    """Per person: the total and the running totals, in plain Python over the rows."""
    caps = {str(k): v for k, v in GIFT_CAPS.items()}
    totals, running = defaultdict(Decimal), defaultdict(list)
    for activity in sorted(
        Activity.objects.filter(type__is_gift=True, date__year=year), key=lambda a: (a.date, a.pk)
    ):
        people = list(activity.contacts.all())
        part = (activity.cost / len(people)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
        for person in people:
            totals[person.pk] += part
            running[person.pk].append(totals[person.pk])
    cap_of = {
        person.pk: caps.get(person.account.account_type) or caps[""]
        for activity in Activity.objects.all()
        for person in activity.contacts.all()
    }
    return totals, running, cap_of


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ledger_agrees_with_a_plain_computation(types, personas, seed):
    _history(types, personas, seed)
    for year in (2025, 2026):
        totals, running, cap_of = _reference(year)
        found = gift_ledger.ledger(personas.admin, year=year)
        assert {p.contact_id: p.total for p in found.people} == dict(totals)
        for person in found.people:
            assert [item.running_total for item in person.items] == running[person.contact_id]
            assert person.cap == cap_of[person.contact_id]
            assert person.remaining == max(person.cap - person.total, 0)
        assert found.total == sum(totals.values())


def test_filters_list_less_but_keep_the_persons_whole_total(types, personas, world):
    gift(types, people=[world.contact], cost=100, owner=personas.owner, day=date(2026, 1, 5))
    gift(types, people=[world.contact], cost=150, owner=personas.manager, day=date(2026, 2, 5))
    gift(types, people=[world.other_contact], cost=70, owner=personas.owner)
    found = gift_ledger.ledger(personas.admin, year=2026, owner=personas.manager.pk)
    assert [p.contact_id for p in found.people] == [world.contact.pk]
    (person,) = found.people
    assert person.total == Decimal("250")
    assert [item.running_total for item in person.items] == [Decimal("250")]
    assert gift_ledger.ledger(personas.admin, year=2026, person=world.other_contact.pk).total == 70
    assert gift_ledger.ledger(personas.admin, year=2025).people == []


# -- caps by customer type, when a gift is logged ---------------------------------------------


def _log(types, contact, owner, cost, code="small_gift"):
    activity = Activity(type=types[code], cost=Decimal(cost), date=TODAY, notes="n")
    return services.log_activity(activity=activity, contacts=[contact], owner=owner)


@pytest.mark.parametrize(
    ("kind", "pending"),
    [
        (Account.Type.GOVERNMENT, True),  # 400 + 150 = 550 > 500
        (Account.Type.STATE_OWNED, False),  # 550 <= 1000
        (Account.Type.PRIVATE, False),
        ("", False),
    ],
)
def test_a_gift_above_the_yearly_cap_needs_approval_by_customer_type(
    types, personas, kind, pending
):
    account = AccountFactory(owner=personas.owner, account_type=kind)
    person = ContactFactory(account=account, name="周敏")
    gift(types, people=[person], cost=400, owner=personas.owner, day=date(2026, 3, 1))
    gift(types, people=[person], cost=900, owner=personas.owner, day=date(2025, 12, 31))
    # 150 is below the small gift's own limit of 200: only the cap can ask for approval.
    activity = _log(types, person, personas.owner, 150)
    assert (activity.approval_status == Activity.Approval.PENDING) is pending
    assert bool(activity.cap_warnings) is pending
    if pending:
        (warning,) = activity.cap_warnings
        assert "周敏" in warning and "¥550.00" in warning and "¥500.00" in warning
        assert "government" in warning
        note = Notification.objects.get(user=personas.owner)
        assert note.title == warning and note.url.startswith(URL)


def test_an_admins_cap_replaces_the_default(types, personas):
    GiftCapSetting.objects.create(account_type=Account.Type.PRIVATE, yearly_cap=Decimal("100"))
    person = ContactFactory(account=AccountFactory(owner=personas.owner, account_type="private"))
    assert _log(types, person, personas.owner, 120).approval_status == "pending"


def test_a_shared_gift_counts_a_share_for_each_person(types, personas):
    account = AccountFactory(owner=personas.owner, account_type="government")
    a, b = ContactFactory(account=account), ContactFactory(account=account)
    gift(
        types, people=[a], cost=450, owner=personas.outsider
    )  # whoever gave: the cap is per person
    activity = services.log_activity(
        activity=Activity(type=types["small_gift"], cost=Decimal("180"), date=TODAY),
        contacts=[a, b],
        owner=personas.owner,
    )
    assert activity.approval_status == "pending"  # a: 450 + 90 > 500; b: 90
    assert len(activity.cap_warnings) == 1 and a.name in activity.cap_warnings[0]


def test_ordinary_activities_are_never_checked(types, personas):
    person = ContactFactory(account=AccountFactory(owner=personas.owner, account_type="government"))
    gift(types, people=[person], cost=5000, owner=personas.owner)
    activity = _log(types, person, personas.owner, 0, code="email")
    assert activity.approval_status == "not_needed" and activity.cap_warnings == []


def test_logging_through_the_page_puts_a_gift_above_the_cap_to_approval(
    types, personas, client_for
):
    account = AccountFactory(owner=personas.owner, account_type="government")
    person = ContactFactory(account=account, name="周敏")
    gift(types, people=[person], cost=450, owner=personas.owner)
    client = client_for(personas.owner)
    response = client.post(
        reverse("relationships:log_for_contact", args=[person.pk]),
        {
            "type": types["small_gift"].pk,
            "date": TODAY.isoformat(),
            "contacts": [person.pk],
            "cost": "100",
        },
        follow=True,
    )
    assert response.status_code == 200
    logged = Activity.objects.latest("pk")
    assert logged.cost == 100 and logged.approval_status == "pending"
    assert "周敏" in Notification.objects.get(user=personas.owner).title


# -- the festival reminder --------------------------------------------------------------------


def _festival_bodies(user):
    return [
        r.body for r in reminders.reminders(user, TODAY, {"care"}) if r.key.startswith("festival")
    ]


def test_the_festival_reminder_warns_of_people_at_or_near_their_cap(types, personas):
    festival_on(TODAY + timedelta(days=2), name_en="Mid-Autumn", name_zh="中秋")
    account = AccountFactory(owner=personas.owner, account_type="government")
    near = ContactFactory(account=account, name="周敏")
    far = ContactFactory(account=account, name="李强")
    gift(types, people=[near], cost=420, owner=personas.owner)  # 84% of 500
    gift(types, people=[far], cost=100, owner=personas.owner)
    (body,) = _festival_bodies(personas.owner)
    assert "gift now would exceed 周敏's yearly cap" in body and "¥420.00 of ¥500.00" in body
    assert "李强" not in body
    assert _festival_bodies(personas.outsider) == [""]


def test_no_warning_when_everyone_is_well_below_the_cap(types, personas, world):
    festival_on(TODAY + timedelta(days=1))
    gift(types, people=[world.contact], cost=100, owner=personas.owner)
    assert _festival_bodies(personas.owner) == [""]


# -- the page: access, cost, download ---------------------------------------------------------


@pytest.fixture
def owners_gift(types, personas, world):
    return gift(types, people=[world.contact], cost=300, owner=personas.owner)


def test_anonymous_visitors_are_sent_to_sign_in(client, owners_gift):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(URL + "?format=csv").status_code == 302


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
def test_each_persona_sees_what_the_policy_allows(
    personas, client_for, world, owners_gift, persona, sees
):
    client = client_for(getattr(personas, persona))
    response = client.get(URL)
    assert response.status_code == 200
    people = [p.contact_id for p in response.context["ledger"].people]
    assert (world.contact.pk in people) is sees
    assert (world.contact.name in client.get(URL + "?format=csv").getvalue().decode()) is sees
    assert client.post(URL).status_code == 405


def test_a_filter_naming_a_record_out_of_reach_shows_nothing(
    personas, client_for, world, owners_gift
):
    client = client_for(personas.outsider)
    response = client.get(URL, {"account": world.account.pk, "person": world.contact.pk})
    assert response.status_code == 200 and response.context["ledger"].people == []


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_at_two_sizes(types, personas, client_for):
    client = client_for(personas.manager)
    account = AccountFactory(owner=personas.owner, account_type="foreign")
    for _ in range(2):
        gift(types, people=[ContactFactory(account=account)], cost=50, owner=personas.owner)
    small = _queries(client, URL)
    for _ in range(12):
        people = [ContactFactory(account=account) for _ in range(2)]
        gift(
            types,
            people=people,
            cost=80,
            owner=personas.owner,
            decided_by=personas.manager,
            approval_status="approved",
            decided_at=datetime(2026, 9, 1, tzinfo=SHANGHAI),
        )
    assert _queries(client, URL) == small
    assert _queries(client, URL + "?format=csv") <= small


def test_the_download_matches_the_table_and_defuses_formulas(types, personas, client_for):
    account = AccountFactory(
        owner=personas.owner, name="=cmd|' /C calc'!A0", account_type="government"
    )
    first, second = ContactFactory(account=account, name="+周敏"), ContactFactory(account=account)
    gift(types, people=[first], cost=300, owner=personas.owner, day=date(2026, 1, 2))
    gift(
        types,
        people=[first, second],
        cost=500,
        owner=personas.owner,
        day=date(2026, 2, 3),
        code="meal_tea",
        approval_status="approved",
        decided_by=personas.manager,
        decided_at=datetime(2026, 2, 4, 9, tzinfo=SHANGHAI),
    )
    client = client_for(personas.manager)
    page = client.get(URL)
    items = [item for person in page.context["page_obj"] for item in person.items]
    rows = list(csv.reader(io.StringIO(client.get(URL + "?format=csv").getvalue().decode())))
    header, body = rows[0], rows[1:]
    assert len(body) == len(items) == 3
    column = {name: i for i, name in enumerate(header)}
    for row, item in zip(body, items, strict=True):
        assert row[column["share (CNY)"]] == f"{item.share:.2f}"
        assert row[column["running total (CNY)"]] == f"{item.running_total:.2f}"
        assert row[column["remaining (CNY)"]] == f"{item.remaining:.2f}"
        assert row[column["date"]] == item.day.isoformat()
        assert row[column["decided by"]] == item.decided_by_name
    assert all(row[column["account"]].startswith("'=") for row in body)
    assert {row[column["person"]] for row in body} >= {"'+周敏"}
    html = page.content.decode()
    assert html.count('class="gift-item"') == 3
    assert "550.00" in html  # 周敏: 300 + 250, over the government cap of 500


def test_the_page_is_paginated_keeping_the_filters(types, personas, client_for):
    account = AccountFactory(owner=personas.owner)
    for _ in range(30):
        gift(types, people=[ContactFactory(account=account)], cost=10, owner=personas.owner)
    client = client_for(personas.owner)
    first = client.get(URL, {"year": 2026, "owner": personas.owner.pk})
    assert len(first.context["page_obj"].object_list) == 25
    assert f"owner={personas.owner.pk}" in first.content.decode().split("page=2")[0][-200:]
    second = client.get(URL, {"year": 2026, "owner": personas.owner.pk, "page": 2})
    assert len(second.context["page_obj"].object_list) == 5


def test_an_edit_that_takes_a_gift_above_the_cap_sends_it_to_approval(types, personas, client_for):
    person = ContactFactory(account=AccountFactory(owner=personas.owner, account_type="government"))
    gift(types, people=[person], cost=300, owner=personas.owner, day=date(2026, 1, 5))
    edited = gift(types, people=[person], cost=100, owner=personas.owner)
    client = client_for(personas.owner)
    url = reverse("relationships:activity_edit", args=[edited.pk])
    form = client.get(url).context["form"]
    data = {
        "version": form.initial["version"],
        "type": edited.type_id,
        "date": edited.date.isoformat(),
        "contacts": [person.pk],
        "notes": edited.notes,
        "cost": "190",  # below the small gift's limit of 200; 300 + 190 <= 500
    }
    assert client.post(url, data).status_code == 302
    edited.refresh_from_db()
    assert edited.approval_status == "not_needed"
    data["version"] = client.get(url).context["form"].initial["version"]
    data["cost"] = "199"  # still below its own limit, but 300 + 199 ... stays below the cap
    client.post(url, data)
    edited.refresh_from_db()
    assert edited.approval_status == "not_needed"
    gift(types, people=[person], cost=50, owner=personas.owner, day=date(2026, 2, 5))
    data["version"] = client.get(url).context["form"].initial["version"]
    data["cost"] = "180"  # 300 + 50 + 180 = 530 > 500
    assert client.post(url, data).status_code == 302
    edited.refresh_from_db()
    assert edited.approval_status == "pending" and edited.cost == 180
