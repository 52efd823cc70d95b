"""Move 2's calendar entries (crm.agenda): planned activities and to-dos; in the product
(never in the feed) the birthdays of the user's people; festivals."""

from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.agenda import Entry
from relationships import care, care_selectors
from relationships.models import Festival, PlannedActivity, Todo


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entries(user, start: date, end: date, *, scope: str, private: bool) -> list[Entry]:
    """Queries: plans (with type, account, owner) and their people (2); to-dos; festivals;
    birthdays (one statement, in the product only)."""
    plans = PlannedActivity.objects.visible_to(user).planned()
    todos = Todo.objects.visible_to(user).filter(due_date__gte=start, due_date__lte=end)
    if scope != "team":
        plans, todos = plans.filter(owner=user), todos.filter(owner=user)
    plans = plans.filter(
        starts_at__gte=_day_start(start), starts_at__lt=_day_start(end + timedelta(1))
    )
    found = []
    for plan in plans.select_related("type", "account", "owner").prefetch_related("contacts"):
        people = ", ".join(person.name for person in plan.contacts.all())
        found.append(
            Entry(
                uid=f"plan-{plan.pk}",
                kind="plan",
                title=f"{plan.type.name} · {people} · {plan.account.name}"
                if people
                else f"{plan.type.name} · {plan.account.name}",
                day=timezone.localtime(plan.starts_at).date(),
                at=plan.starts_at,
                url=reverse("relationships:plan_done", args=[plan.pk]),
                owner=str(plan.owner),
            )
        )
    for todo in todos.select_related("owner"):
        found.append(
            Entry(
                uid=f"todo-{todo.pk}",
                kind="todo",
                title=_("To-do: %(title)s") % {"title": todo.title},
                day=todo.due_date,
                url=reverse("relationships:plans"),
                owner=str(todo.owner),
                done=todo.is_done,
            )
        )
    for festival in Festival.objects.filter(is_active=True):
        for day in care.festival_days(festival, start, end):
            found.append(
                Entry(
                    uid=f"festival-{festival.pk}-{day.isoformat()}",
                    kind="festival",
                    title=festival.name,
                    day=day,
                )
            )
    if private:
        days = (end - start).days
        care_scope = "all" if scope == "team" else "mine"
        for item in care_selectors.care_reminders(user, start, days=days, scope=care_scope):
            if item.kind == "birthday":
                found.append(
                    Entry(
                        uid=f"birthday-{item.contact.pk}-{item.when.year}",
                        kind="birthday",
                        title=_("Birthday of %(name)s") % {"name": item.contact.name},
                        day=item.when,
                        url=reverse("relationships:contact", args=[item.contact.pk]),
                    )
                )
    return found
