"""The reminders scan: every app's sources through the registry, each event recorded once,
in the user's language, only for the user it concerns."""

import datetime as dt
from decimal import Decimal

from accounts.models import PersonalProfile
from crm.notifications import registry, services
from crm.notifications.models import Notification
from opportunities.models import PaymentMilestone
from relationships.models import Activity
from tests.crm.notifications.conftest import NOW, TODAY
from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.factories import OpportunityFactory
from tests.relationships.factories import ActivityFactory, PlannedActivityFactory, TodoFactory


def a_busy_day(personas, types):
    account = AccountFactory(owner=personas.owner, name="江南银行")
    person = ContactFactory(account=account, name="张伟")
    PersonalProfile.objects.create(contact=person, birthday=dt.date(1980, 3, 4))
    TodoFactory(account=account, owner=personas.owner, title="send the deck", due_date=TODAY)
    TodoFactory(
        account=account, owner=personas.owner, title="late", due_date=TODAY - dt.timedelta(2)
    )
    TodoFactory(
        account=account, owner=personas.owner, title="later", due_date=TODAY + dt.timedelta(5)
    )
    PlannedActivityFactory(
        account=account,
        owner=personas.owner,
        type=types["meal_tea"],
        contacts=[person],
        starts_at=NOW + dt.timedelta(hours=10),
    )
    deal = OpportunityFactory(account=account, next_step="call the CFO", next_step_date=TODAY)
    PaymentMilestone.objects.create(
        opportunity=deal, name="30%", amount=Decimal("300000"), due_date=TODAY + dt.timedelta(3)
    )
    ActivityFactory(
        account=account,
        owner=personas.owner,
        type=types["valuable_gift"],
        cost=Decimal("900"),
        approval_status=Activity.Approval.PENDING,
        contacts=[person],
    )
    return account


def test_the_scan_records_each_event_once(personas, types):
    a_busy_day(personas, types)
    first = services.scan(today=TODAY)
    assert first > 0
    assert services.scan(today=TODAY) == 0  # the schedule firing twice records nothing new
    kinds = sorted(Notification.objects.filter(user=personas.owner).values_list("kind", flat=True))
    assert kinds == [
        "care",  # 张伟's birthday in two days
        "next_step_due",
        "payment_due",
        "plan_today",
        "todo_due",
        "todo_due",
    ]
    # The manager hears of the gift waiting for approval; nobody else hears of team A's work.
    assert list(
        Notification.objects.filter(user=personas.manager).values_list("kind", flat=True)
    ) == ["gift_approval"]
    assert not Notification.objects.filter(user__in=[personas.outsider, personas.teammate]).exists()


def test_titles_speak_the_users_language(personas, types):
    a_busy_day(personas, types)
    personas.owner.language = "en"
    personas.owner.save()
    personas.manager.language = "zh-hans"
    personas.manager.save()
    services.scan(today=TODAY)
    birthday = Notification.objects.get(user=personas.owner, kind="care")
    assert birthday.title == "Birthday of 张伟 (江南银行)"
    gift = Notification.objects.get(user=personas.manager)
    assert gift.title.startswith("有一份礼品等待你审批")


def test_a_rescheduled_item_is_announced_again(personas, types):
    account = a_busy_day(personas, types)
    services.scan(today=TODAY)
    todo = account.todos.get(title="send the deck")
    todo.due_date = TODAY + dt.timedelta(1)
    todo.save()
    assert services.scan(today=TODAY + dt.timedelta(1)) >= 1
    assert Notification.objects.filter(key__startswith=f"todo:{todo.pk}:").count() == 2


def test_the_registry_asks_only_for_the_kinds_wanted(personas, types):
    a_busy_day(personas, types)
    found = registry.collect(personas.owner, TODAY, {"care"})
    assert {r.kind for r in found} == {"care"}
    assert {m.__name__ for m in registry.provider_modules()} == {
        "relationships.reminders",
        "opportunities.reminders",
        "imports.reminders",
        "pool.reminders",
    }


def test_a_done_todo_and_a_cancelled_plan_are_quiet(personas, types):
    account = AccountFactory(owner=personas.owner)
    TodoFactory(account=account, owner=personas.owner, due_date=TODAY, done_at=NOW)
    PlannedActivityFactory(
        account=account,
        owner=personas.owner,
        type=types["meal_tea"],
        starts_at=NOW + dt.timedelta(hours=2),
        status="cancelled",
    )
    services.scan(today=TODAY)
    assert not Notification.objects.filter(kind__in=["todo_due", "plan_today"]).exists()


def test_a_deal_review_due_reminds_the_reviewer_and_the_owner(personas, types):
    from opportunities.models import DealReview

    deal = OpportunityFactory(account=AccountFactory(owner=personas.owner))
    DealReview.objects.create(
        opportunity=deal,
        reviewed_by=personas.manager,
        agreed_next_steps="meet the CFO",
        next_review_date=TODAY - dt.timedelta(days=7),
        reviewed_at=NOW - dt.timedelta(days=30),
    )
    services.scan(today=TODAY, kinds={"review_due"})
    due = Notification.objects.filter(kind="review_due")
    assert sorted(due.values_list("user__username", flat=True)) == ["manager", "owner"]
    assert {n.due_on for n in due} == {TODAY - dt.timedelta(days=7)}


def test_only_the_latest_review_counts(personas, types):
    from opportunities.models import DealReview

    deal = OpportunityFactory(account=AccountFactory(owner=personas.owner))
    for days_ago, next_in in ((30, -7), (2, 10)):
        DealReview.objects.create(
            opportunity=deal,
            reviewed_by=personas.manager,
            agreed_next_steps="meet the CFO",
            next_review_date=TODAY + dt.timedelta(days=next_in),
            reviewed_at=NOW - dt.timedelta(days=days_ago),
        )
    services.scan(today=TODAY, kinds={"review_due"})
    assert not Notification.objects.filter(kind="review_due").exists()
