"""What move 2 reminds people of (crm.notifications.registry): to-dos due or overdue, today's
planned activities, birthdays and festivals of their people and cooling relationships (the
care selectors), gift approvals asked (to the deciding manager) and decided (to the owner)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.notifications.models import Kind
from crm.notifications.registry import Reminder
from relationships import care_selectors, gift_ledger
from relationships.models import Activity, PlannedActivity, Todo

CARE_DAYS = 3
COOLING_ROWS = 10


def _todos(user, today: date) -> list[Reminder]:
    due = Todo.objects.filter(owner=user, done_at__isnull=True, due_date__lte=today)
    return [
        Reminder(
            Kind.TODO_DUE,
            f"todo:{todo.pk}:{todo.due_date.isoformat()}",
            _("To-do: %(title)s") % {"title": todo.title},
            url=(
                reverse("relationships:contact", args=[todo.contact_id])
                if todo.contact_id
                else reverse("relationships:plans")
            ),
            due_on=todo.due_date,
        )
        for todo in due.order_by("due_date", "pk")[:50]
    ]


def _plans_today(user, today: date) -> list[Reminder]:
    start = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
    plans = (
        PlannedActivity.objects.planned()
        .filter(owner=user, starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .select_related("type", "account")
        .prefetch_related("contacts")
        .order_by("starts_at")
    )
    return [
        Reminder(
            Kind.PLAN_TODAY,
            f"plan:{plan.pk}:{plan.starts_at.isoformat()}",
            _("%(time)s %(type)s with %(people)s · %(account)s")
            % {
                "time": timezone.localtime(plan.starts_at).strftime("%H:%M"),
                "type": plan.type.name,
                "people": ", ".join(person.name for person in plan.contacts.all()),
                "account": plan.account.name,
            },
            body=plan.notes[:300],
            url=reverse("relationships:plan_done", args=[plan.pk]),
            due_on=today,
        )
        for plan in plans
    ]


def _care(user, today: date) -> list[Reminder]:
    found = []
    near_cap = {}  # year: the user's people at or near their yearly gift cap
    for item in care_selectors.care_reminders(user, today, days=CARE_DAYS):
        if item.kind == "birthday":
            found.append(
                Reminder(
                    Kind.CARE,
                    f"birthday:{item.contact.pk}:{item.when.isoformat()}",
                    _("Birthday of %(name)s (%(account)s)")
                    % {"name": item.contact.name, "account": item.contact.account.name},
                    url=reverse("relationships:contact", args=[item.contact.pk]),
                    due_on=item.when,
                )
            )
        else:
            year = item.when.year
            if year not in near_cap:
                mine = care_selectors.my_contacts(user)
                near_cap[year] = gift_ledger.people_near_cap(mine, year)
            found.append(
                Reminder(
                    Kind.CARE,
                    f"festival:{item.festival.pk}",
                    item.festival.name,
                    body=gift_ledger.festival_warning(item.festival.name, near_cap[year]),
                    url=reverse("relationships:care"),
                    due_on=item.when,
                )
            )
    for item in care_selectors.cooling_relationships(user, today, limit=COOLING_ROWS):
        contact = item.relationship.contact
        found.append(
            Reminder(
                Kind.CARE,
                f"cooling:{contact.pk}:{item.last_activity or ''}",
                _("Cooling: %(name)s, %(days)d days without activity")
                % {"name": contact.name, "days": item.days},
                url=reverse("relationships:contact", args=[contact.pk]),
            )
        )
    return found


def _gifts(user, today: date) -> list[Reminder]:
    found = []
    asked = Activity.objects.approvable_by(user).pending_approval().select_related("account")
    for gift in asked.order_by("pk")[:50]:
        found.append(
            Reminder(
                Kind.GIFT_APPROVAL,
                f"gift_asked:{gift.pk}",
                _("A gift waits for your approval: %(account)s, %(cost)s CNY")
                % {"account": gift.account.name, "cost": gift.cost},
                url=reverse("relationships:approvals"),
            )
        )
    since = timezone.now() - timedelta(days=2)
    decided = (
        Activity.objects.filter(owner=user, decided_at__gte=since)
        .exclude(approval_status=Activity.Approval.PENDING)
        .select_related("account")
    )
    for gift in decided.order_by("pk")[:50]:
        found.append(
            Reminder(
                Kind.GIFT_APPROVAL,
                f"gift_decided:{gift.pk}:{gift.approval_status}",
                _("Your gift for %(account)s was %(decision)s")
                % {"account": gift.account.name, "decision": gift.get_approval_status_display()},
                body=gift.decision_reason[:300],
                url=reverse("relationships:account", args=[gift.account_id]),
            )
        )
    return found


SOURCES = [
    (Kind.TODO_DUE, _todos),
    (Kind.PLAN_TODAY, _plans_today),
    (Kind.CARE, _care),
    (Kind.GIFT_APPROVAL, _gifts),
]


def reminders(user, today: date, kinds: set[str] | None = None) -> list[Reminder]:
    return [
        reminder
        for kind, source in SOURCES
        if kinds is None or kind in kinds
        for reminder in source(user, today)
    ]
