"""One timeline per deal and per account (issue 21): activities, planned work, move changes
and overrides, field changes, deal reviews and comments, newest first (planned work ahead on top),
filterable by kind, a page at a time.

Each kind is read newest first up to the end of the page asked for (one query a kind, or two
for activities with their people), then the kinds are merged: a page costs the same queries
however long the record's history, and a deep page reads more rows, not more queries.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.models import Account, Contact
from crm import history
from files.models import Version
from opportunities.deals.changes import OPPORTUNITY_IGNORED
from opportunities.models import (
    Comment,
    Contract,
    DealReview,
    Evaluation,
    MoveChange,
    Opportunity,
    PaymentMilestone,
    ProjectApproval,
)
from relationships.models import Activity
from relationships.planning.models import PlannedActivity, Todo

PAGE = 25
LAST_PAGE = 200  # 5,000 entries back: further is the admin's history, not a page to scroll
KINDS = {
    "activity": gettext_lazy("Activities"),
    "plan": gettext_lazy("Planned work"),
    "move": pgettext_lazy("six moves", "Moves"),
    "change": gettext_lazy("Field changes"),
    "review": gettext_lazy("Reviews"),
    "comment": gettext_lazy("Comments"),
    "file": gettext_lazy("Files"),
}


@dataclass
class Entry:
    when: dt.datetime
    kind: str
    who: object
    title: str
    lines: list = field(default_factory=list)
    warning: str = ""  # an override, a rejected gift: shown as a badge
    ahead: bool = False  # planned, still to come


@dataclass(frozen=True)
class Scope:
    """Whose timeline: a deal's (`opportunity`) or an account's (`account`)."""

    record: object

    @property
    def is_deal(self) -> bool:
        return isinstance(self.record, Opportunity)

    def of(self, prefix: str = "") -> dict:
        name = "opportunity" if self.is_deal else "account"
        return {f"{prefix}{name}": self.record}


def _day(activity) -> dt.datetime:
    """An activity's moment: its day at the time it was logged (a day has no hour)."""
    logged = timezone.localtime(activity.created_at)
    moment = dt.datetime.combine(activity.date, logged.time())
    return timezone.make_aware(moment)


def _activities(scope: Scope, n: int):
    people = Prefetch("contacts", queryset=Contact.objects.order_by("name"))
    rows = (
        Activity.objects.filter(**scope.of())
        .select_related("type", "owner")
        .prefetch_related(people)
        .order_by("-date", "-created_at")[:n]
    )
    for a in rows:
        names = ", ".join(person.name for person in a.contacts.all())
        lines = [line for line in (names, a.notes, a.outcome) if line]
        warning = a.get_approval_status_display() if a.approval_status != "not_needed" else ""
        yield Entry(_day(a), "activity", a.owner, a.type.name, lines, warning)


def _planned(scope: Scope, n: int):
    plans = (
        PlannedActivity.objects.filter(**scope.of())
        .select_related("type", "owner")
        .order_by("-starts_at")[:n]
    )
    for plan in plans:
        title = _("Planned: %(type)s") % {"type": plan.type.name}
        ahead = plan.is_planned and plan.starts_at > timezone.now()
        lines = [plan.notes] if plan.notes else []
        if not plan.is_planned:
            lines.append(plan.get_status_display())
        yield Entry(plan.starts_at, "plan", plan.owner, title, lines, "", ahead)
    today = timezone.localdate()
    for todo in Todo.objects.filter(**scope.of()).select_related("owner").order_by("-id")[:n]:
        due = _("due %(day)s") % {"day": todo.due_date.isoformat()}
        title = _("To-do: %(title)s") % {"title": todo.title}
        is_open = todo.done_at is None
        late = _("overdue") if is_open and todo.due_date < today else ""
        yield Entry(todo.created_at, "plan", todo.owner, title, [due], late, is_open and not late)


def _moves(scope: Scope, n: int):
    rows = (
        MoveChange.objects.filter(**scope.of("" if scope.is_deal else "opportunity__"))
        .select_related("changed_by", "opportunity")
        .order_by("-changed_at", "-pk")[:n]
    )
    for change in rows:
        if change.from_status and change.from_status != change.to_status:
            title = change.get_to_status_display()
        elif change.from_move is None:
            title = _("Opened in move %(move)s") % {"move": change.to_move}
        else:
            title = f"{change.from_move} → {change.to_move} · {change.get_to_move_display()}"
        lines = [] if scope.is_deal else [change.opportunity.name]
        lines += [line for line in (change.reason, change.overridden_checks) if line]
        warning = _("manager override") if change.is_override else ""
        yield Entry(change.changed_at, "move", change.changed_by, title, lines, warning)


def _changes(scope: Scope, n: int):
    model = type(scope.record)
    what = str(model._meta.verbose_name)
    ignored = OPPORTUNITY_IGNORED if scope.is_deal else history.IGNORED
    for change in history.own_changes(model, scope.record.pk, what, n, ignored=ignored):
        lines = [f"{label}: {old or '…'} → {new or '…'}" for label, old, new in change.fields]
        yield Entry(change.when, "change", change.who, f"{change.verb} · {what}", lines)


def _reviews(scope: Scope, n: int):
    rows = (
        DealReview.objects.filter(**scope.of("" if scope.is_deal else "opportunity__"))
        .select_related("reviewed_by", "opportunity")
        .order_by("-reviewed_at")[:n]
    )
    for review in rows:
        lines = [] if scope.is_deal else [review.opportunity.name]
        lines += [line for line in (review.agreed_next_steps, review.notes) if line]
        yield Entry(review.reviewed_at, "review", review.reviewed_by, _("Deal review"), lines)


def _comments(scope: Scope, n: int):
    rows = (
        Comment.objects.filter(**scope.of())
        .select_related("author", "opportunity")
        .order_by("-created_at", "-pk")[:n]
    )
    for comment in rows:
        lines = [comment.body]
        if not scope.is_deal and comment.opportunity_id:
            lines.insert(0, comment.opportunity.name)
        yield Entry(comment.created_at, "comment", comment.author, _("Comment"), lines)


def _record_filter(scope: Scope) -> Q:
    """The documents of the record and of what hangs off it: a deal's move 3–6 records; an
    account's people and deals (and theirs)."""
    if scope.is_deal:
        deals = Opportunity.objects.filter(pk=scope.record.pk)
        records = {}
    else:
        deals = Opportunity.objects.filter(account=scope.record)
        records = {
            Account: [scope.record.pk],
            Contact: Contact.objects.filter(account=scope.record),
        }
    records[Opportunity] = deals
    for model in (ProjectApproval, Evaluation, Contract, PaymentMilestone):
        records[model] = model.objects.filter(opportunity__in=deals)
    condition = Q()
    for model, ids in records.items():
        ids = ids if isinstance(ids, list) else ids.values("pk")
        # By the content type's natural key, joined: no content-type look-up of its own.
        condition |= Q(
            document__content_type__app_label=model._meta.app_label,
            document__content_type__model=model._meta.model_name,
            document__object_id__in=ids,
        )
    return condition


def _files(scope: Scope, n: int):
    rows = (
        Version.objects.filter(_record_filter(scope), document__deleted_at__isnull=True)
        .select_related("document", "uploaded_by")
        .order_by("-uploaded_at", "-pk")[:n]
    )
    for version in rows:
        title = _("File: %(title)s (version %(n)s)") % {
            "title": version.document.title,
            "n": version.number,
        }
        yield Entry(version.uploaded_at, "file", version.uploaded_by, title, [version.name])


SOURCES = {
    "activity": _activities,
    "plan": _planned,
    "move": _moves,
    "change": _changes,
    "review": _reviews,
    "comment": _comments,
    "file": _files,
}


def timeline(record: Opportunity | Account, *, kind: str = "", page: int = 1) -> tuple[list, bool]:
    """The entries of page `page` (newest first) and whether there is a next page."""
    scope, end = Scope(record), page * PAGE + 1
    entries = []
    for name, source in SOURCES.items():
        if not kind or kind == name:
            entries.extend(source(scope, end))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    shown = entries[(page - 1) * PAGE : page * PAGE]
    return shown, len(entries) > page * PAGE
