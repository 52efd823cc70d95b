"""Planned activities and to-dos: plan, mark done (then it is evidence), reschedule, cancel;
to-dos with due dates; the plans page's queries at two data sizes. "Now" is pinned."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from relationships.models import Activity, PlannedActivity, Relationship, Todo
from relationships.planning import services
from tests.relationships.factories import PlannedActivityFactory, TodoFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday morning
TOMORROW_EVENING = "2026-03-03T19:00"


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def plan_dinner(world, types, personas, **extra):
    return PlannedActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["meal_tea"],
        contacts=[world.contact],
        starts_at=NOW + dt.timedelta(days=1, hours=10),
        **extra,
    )


def test_a_rep_plans_an_activity_for_tomorrow(world, types, personas, client_for):
    client = client_for(personas.owner)
    url = reverse("relationships:plan_for_contact", args=[world.contact.pk])
    response = client.post(
        url,
        {
            "type": types["meal_tea"].pk,
            "starts_at": TOMORROW_EVENING,
            "contacts": [world.contact.pk],
            "notes": "dinner with the decision maker",
        },
    )
    assert response.status_code == 302
    plan = PlannedActivity.objects.get()
    assert plan.status == "planned" and plan.owner == personas.owner
    assert plan.account == world.account
    assert list(plan.contacts.all()) == [world.contact]
    assert not Activity.objects.exists()  # a plan is not an activity yet


@pytest.mark.parametrize(
    ("starts_at", "ok"),
    [("2026-03-02T08:59", False), ("2026-03-02T09:00", False), ("2026-03-02T09:01", True)],
)
def test_a_plan_lies_in_the_future(world, types, personas, client_for, starts_at, ok):
    client = client_for(personas.owner)
    url = reverse("relationships:plan_for_contact", args=[world.contact.pk])
    response = client.post(
        url,
        {"type": types["meal_tea"].pk, "starts_at": starts_at, "contacts": [world.contact.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert PlannedActivity.objects.exists() is ok
    if not ok:
        assert "Plan activities in the future" in response.content.decode()


def test_a_crafted_post_cannot_plan_with_someone_elses_contact(world, types, personas, client_for):
    client = client_for(personas.owner)
    url = reverse("relationships:plan_for_account", args=[world.account.pk])
    response = client.post(
        url,
        {
            "type": types["meal_tea"].pk,
            "starts_at": TOMORROW_EVENING,
            "contacts": [world.foreign_contact.pk],
        },
    )
    assert response.status_code == 200
    assert "contacts" in response.context["form"].errors
    assert not PlannedActivity.objects.exists()


def test_a_next_best_action_opens_the_plan_form_with_its_type(world, types, personas, client_for):
    client = client_for(personas.owner)
    page = client.get(reverse("relationships:contact", args=[world.contact.pk]))
    action = page.context["page"].actions[0]
    link = reverse("relationships:plan_for_contact", args=[world.contact.pk])
    assert f"{link}?type={action.code}" in page.content.decode()
    form = client.get(f"{link}?type={action.code}").context["form"]
    assert form.initial["type"].code == action.code


def test_planned_is_no_evidence_done_is(world, types, personas, client_for):
    Relationship.objects.create(contact=world.contact, stage=2)
    plan = plan_dinner(world, types, personas, notes="dinner")
    client = client_for(personas.owner)
    contact_url = reverse("relationships:contact", args=[world.contact.pk])
    page = client.get(contact_url).context["page"]
    assert page.best_evidence is None and page.supported is False

    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        client.force_login(personas.owner)  # two days later: idle sessions have ended
        response = client.post(
            reverse("relationships:plan_done", args=[plan.pk]),
            {"happened_on": "2026-03-03", "outcome": "went well"},
        )
        assert response.status_code == 302
        page = client.get(contact_url).context["page"]
    plan.refresh_from_db()
    activity = plan.activity
    assert plan.status == "done"
    assert activity.date == dt.date(2026, 3, 3)  # dated when it happened
    assert activity.notes == "dinner" and activity.outcome == "went well"
    assert list(activity.contacts.all()) == [world.contact]
    assert page.best_evidence == 2 and page.supported is True
    assert page.last_activity == dt.date(2026, 3, 3)


def test_done_in_the_future_is_refused(world, types, personas, client_for):
    plan = plan_dinner(world, types, personas)
    client = client_for(personas.owner)
    response = client.post(
        reverse("relationships:plan_done", args=[plan.pk]),
        {"happened_on": "2026-03-03"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Mark an activity done once it has happened." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "planned" and not Activity.objects.exists()


def test_a_done_gift_above_its_limit_goes_for_approval(world, types, personas):
    plan = PlannedActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["valuable_gift"],
        contacts=[world.contact],
        starts_at=NOW - dt.timedelta(hours=1),
    )
    activity = services.mark_done(plan=plan, by=personas.owner, happened_on=NOW.date(), cost=100000)
    assert activity.approval_status == Activity.Approval.PENDING


def test_reschedule_and_cancel(world, types, personas, client_for):
    plan = plan_dinner(world, types, personas)
    client = client_for(personas.owner)
    client.post(
        reverse("relationships:plan_reschedule", args=[plan.pk]),
        {"starts_at": "2026-03-05T12:00"},
    )
    plan.refresh_from_db()
    assert plan.starts_at == dt.datetime(2026, 3, 5, 12, 0, tzinfo=SHANGHAI)
    response = client.post(
        reverse("relationships:plan_reschedule", args=[plan.pk]),
        {"starts_at": "2026-03-01T12:00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Plan activities in the future" in response.content.decode()
    client.post(reverse("relationships:plan_cancel", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "cancelled"
    with pytest.raises(services.ValidationError):
        services.mark_done(plan=plan, by=personas.owner, happened_on=NOW.date())
    assert not Activity.objects.exists()


def test_a_todo_needs_a_due_date(world, personas, client_for):
    client = client_for(personas.owner)
    url = reverse("relationships:todo_for_contact", args=[world.contact.pk])
    response = client.post(url, {"title": "send the brochure"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["form"].errors["due_date"] == ["Give the to-do a due date."]
    client.post(url, {"title": "send the brochure", "due_date": "2026-03-04"})
    todo = Todo.objects.get()
    assert (todo.contact, todo.account, todo.owner) == (
        world.contact,
        world.account,
        personas.owner,
    )


def test_a_todo_is_ticked_off_and_reopened(world, personas, client_for):
    todo = TodoFactory(account=world.account, owner=personas.owner)
    client = client_for(personas.owner)
    url = reverse("relationships:todo_done", args=[todo.pk])
    client.post(url, {"done": "1"})
    todo.refresh_from_db()
    assert todo.done_at == NOW
    client.post(url, {"done": "0"})
    todo.refresh_from_db()
    assert todo.done_at is None


def test_plans_page_shows_what_is_mine(world, types, personas, client_for):
    mine = plan_dinner(world, types, personas)
    TodoFactory(account=world.account, owner=personas.owner, title="call back")
    PlannedActivityFactory(
        account=world.foreign_account,
        owner=personas.outsider,
        type=types["meal_tea"],
        contacts=[world.foreign_contact],
    )
    response = client_for(personas.owner).get(reverse("relationships:plans"))
    assert response.context["plans"] == [mine]
    assert [t.title for t in response.context["todos"]] == ["call back"]
    team = client_for(personas.manager).get(reverse("relationships:plans") + "?scope=all")
    assert team.context["plans"] == [mine]


@pytest.mark.parametrize("size", [1, 8])
def test_plans_page_query_count(
    world, types, personas, client_for, django_assert_num_queries, size
):
    for _i in range(size):
        plan_dinner(world, types, personas, opportunity=None)
        TodoFactory(account=world.account, contact=world.contact, owner=personas.owner)
    client = client_for(personas.manager)
    # session, user; plans with type, owner, account and deal, and their people (2); to-dos
    # with their account, person and deal; "is a manager?".
    with django_assert_num_queries(6):
        response = client.get(reverse("relationships:plans") + "?scope=all")
    assert len(response.context["plans"]) == size


def test_a_crafted_post_cannot_plan_on_someone_elses_deal(world, types, personas, client_for):
    from tests.opportunities.factories import OpportunityFactory

    foreign_deal = OpportunityFactory(account=world.foreign_account)
    response = client_for(personas.owner).post(
        reverse("relationships:plan_for_contact", args=[world.contact.pk]),
        {
            "type": types["meal_tea"].pk,
            "starts_at": TOMORROW_EVENING,
            "contacts": [world.contact.pk],
            "opportunity": foreign_deal.pk,
        },
    )
    assert "opportunity" in response.context["form"].errors
    assert not PlannedActivity.objects.exists()
