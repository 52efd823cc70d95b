"""Reads of planned work; each costs a fixed number of queries."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import Contact
from relationships.planning.models import PlannedActivity, Todo

PAGE_ROWS = 50


def plans_with_details(queryset: QuerySet) -> QuerySet:
    """Plans with what a list shows: type, owner, account, deal, and the people (2 queries)."""
    return queryset.select_related("type", "owner", "account", "opportunity").prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.order_by("name"))
    )


def todos_with_details(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("owner", "account", "contact", "opportunity")


def open_plans(user, *, scope: str = "mine") -> QuerySet:
    """The plans still to happen that the plans page lists: the user's own, or ("all") every
    one they may see."""
    plans = PlannedActivity.objects.visible_to(user).planned()
    return plans if scope == "all" else plans.filter(owner=user)


def plans_page(user, *, scope: str = "mine") -> dict:
    """The user's open plans (soonest first, those past their time first of all: they wait to
    be marked done) and open to-dos (by due date); a manager's "all" covers the team.

    Queries: plans and their people (2); to-dos (1); the count of plans when they fill the page."""
    plans = open_plans(user, scope=scope)
    todos = Todo.objects.visible_to(user).open()
    if scope != "all":
        todos = todos.filter(owner=user)
    shown = list(plans_with_details(plans).order_by("starts_at", "pk")[:PAGE_ROWS])
    return {
        "plans": shown,
        # Counted only when the page is full: the bulk bar's "all that match" (bulk/).
        "plans_total": plans.count() if len(shown) == PAGE_ROWS else len(shown),
        "todos": list(todos_with_details(todos).order_by("due_date", "pk")[:PAGE_ROWS]),
    }


def _card(plans: QuerySet, todos: QuerySet) -> dict:
    return {
        "plans": list(plans_with_details(plans).order_by("starts_at", "pk")[:PAGE_ROWS]),
        "todos": list(todos_with_details(todos).order_by("due_date", "pk")[:PAGE_ROWS]),
        "now": timezone.now(),
        "today": timezone.localdate(),
    }


def for_contact(user, contact) -> dict:
    """A person's open plans and open to-dos (3 queries)."""
    plans = PlannedActivity.objects.visible_to(user).planned().filter(contacts=contact)
    todos = Todo.objects.visible_to(user).open().filter(contact=contact)
    return _card(plans, todos)


def for_account(user, account) -> dict:
    """An account's open plans and open to-dos (3 queries)."""
    plans = PlannedActivity.objects.visible_to(user).planned().filter(account=account)
    todos = Todo.objects.visible_to(user).open().filter(account=account)
    return _card(plans, todos)
