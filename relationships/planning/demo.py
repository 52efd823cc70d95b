"""Demo planned work for seed_demo (idempotent): a dinner and a site visit on the rep's
calendar, and a few to-dos, one of them overdue."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from relationships.planning.models import PlannedActivity, Todo

PLANS = [
    # contact index, activity type, days ahead, hour, notes
    (0, "meal_tea", 1, 19, "晚宴：谈二期预算 Dinner: the phase-two budget"),
    (1, "site_visit", 3, 10, "参观样板客户 Visit a reference customer"),
]
TODOS = [
    # contact index (None: the account), title, days ahead
    (0, "寄送方案书 Send the proposal", 0),
    (1, "确认参观人员名单 Confirm who comes to the visit", 2),
    (None, "更新客户组织图 Update the org map", -1),
]


def seed(*, rep, contacts, types, today) -> None:
    for index, code, days, hour, notes in PLANS:
        contact = contacts[index]
        starts_at = timezone.make_aware(datetime.combine(today + timedelta(days), time(hour)))
        plan, created = PlannedActivity.objects.get_or_create(
            owner=rep,
            account=contact.account,
            notes=notes,
            defaults={"type": types[code], "starts_at": starts_at},
        )
        if created:
            plan.contacts.add(contact)
    for index, title, days in TODOS:
        contact = contacts[index] if index is not None else None
        account = (contact or contacts[0]).account
        Todo.objects.get_or_create(
            owner=rep,
            account=account,
            title=title,
            defaults={"contact": contact, "due_date": today + timedelta(days)},
        )
