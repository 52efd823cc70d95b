"""Handing a leaving rep's book to another rep (issue 21).

The accounts chosen go to the new owner with what the old owner was working on there (open
deals, planned activities, open to-dos, as a bulk reassignment moves them); closed deals keep
their owner, for the record. The method's part: trust is personal (METHOD §4), so every person
of those accounts whom the old owner had brought past 认识 restarts at 认识 for the new owner
(the ladder's history stays on the relationship page), and each of them gets a planned
introduction (交接引荐) by the old owner while they are still there; each guide (向导) gets a
to-do for the new owner to confirm them again.

`plan()` reads what a handover will do; `hand_over()` does exactly that plan in one
transaction and answers the plan it carried out (the test's property: preview == result).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, Contact
from bulk.owners import PLANNED, hand, hand_open_work
from crm import policy
from opportunities.models import Opportunity, Status
from relationships import services as relationship_services
from relationships.models import ActivityType, Stage
from relationships.planning.models import PlannedActivity, Todo

INTRODUCTION = "handover_introduction"
INTRODUCTION_HOUR = 10  # the next working day at ten, local time
GUIDE_DAYS = 7  # the new owner confirms each guide within a week


@dataclass
class Plan:
    """What a handover moves, keeps and plans, as sorted ids (comparable before and after)."""

    accounts: list = field(default_factory=list)
    deals: list = field(default_factory=list)  # open, the old owner's: they move
    kept_deals: list = field(default_factory=list)  # closed, the old owner's: they stay
    plans: list = field(default_factory=list)
    todos: list = field(default_factory=list)
    restarts: list = field(default_factory=list)  # people past 认识: restart, introduction
    guides: list = field(default_factory=list)  # guides: a to-do to confirm them again

    def ids(self) -> dict:
        return {name: sorted(value) for name, value in self.__dict__.items()}


def _ids(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def plan(old_owner, account_pks) -> Plan:
    """What handing `account_pks` (those of them `old_owner` owns) over would do."""
    accounts = Account.objects.filter(pk__in=account_pks, owner=old_owner)
    mine = {"account__in": accounts, "owner": old_owner}
    people = Contact.objects.filter(account__in=accounts)
    return Plan(
        accounts=_ids(accounts),
        deals=_ids(Opportunity.objects.filter(status=Status.OPEN, **mine)),
        kept_deals=_ids(Opportunity.objects.filter(**mine).exclude(status=Status.OPEN)),
        plans=_ids(PlannedActivity.objects.filter(status=PLANNED, **mine)),
        todos=_ids(Todo.objects.filter(done_at__isnull=True, **mine)),
        restarts=_ids(people.filter(relationship__stage__gt=Stage.ACQUAINTANCE)),
        guides=_ids(people.filter(is_guide=True)),
    )


def described(plan: Plan) -> dict:
    """A plan as the pages name it (a fixed number of queries)."""
    people = Contact.objects.filter(pk__in=plan.restarts).select_related("account", "relationship")
    return {
        "accounts": list(Account.objects.filter(pk__in=plan.accounts).order_by("name")),
        "deals": list(Opportunity.objects.filter(pk__in=plan.deals).order_by("name")),
        "kept": len(plan.kept_deals),
        "plans": len(plan.plans),
        "todos": len(plan.todos),
        "restarts": [(person, person.relationship.get_stage_display()) for person in people],
        "guides": list(Contact.objects.filter(pk__in=plan.guides).order_by("name")),
    }


def refusal(*, old_owner, new_owner, by, reachable) -> str:
    """Why `by` may not hand `old_owner`'s book to `new_owner` ("" if they may); `reachable`
    are the ids of the users `by` manages (crm.policy)."""
    if old_owner.pk not in reachable or (old_owner.pk == by.pk and not policy.is_admin(by)):
        return _("Only a manager of the rep's team (or an admin) hands their book over.")
    if new_owner.pk not in reachable:
        return _("%(name)s is not in a team you manage.") % {"name": new_owner}
    if not new_owner.is_active:
        return _("%(name)s can no longer sign in: choose an active user.") % {"name": new_owner}
    if new_owner.pk == old_owner.pk:
        return _("Choose someone other than the rep who is leaving.")
    return ""


def next_working_morning(now) -> dt.datetime:
    day = timezone.localtime(now).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(INTRODUCTION_HOUR)))


@transaction.atomic
def hand_over(expected: Plan, *, old_owner, new_owner, by) -> Plan:
    """Carry out `expected` (a `plan()`); refused whole when the book changed since."""
    locked = list(
        Account.objects.select_for_update().filter(pk__in=expected.accounts).order_by("pk")
    )
    current = plan(old_owner, [account.pk for account in locked])
    if current.ids() != expected.ids():
        raise ValidationError(
            _("%(name)s's book changed since the preview: look at it again.") % {"name": old_owner}
        )
    reason = _("handover from %(old)s to %(new)s") % {"old": old_owner, "new": new_owner}
    for account in locked:
        hand(account, new_owner, by=by, reason=reason)
    for deal in Opportunity.objects.filter(pk__in=current.deals):
        hand(deal, new_owner, by=by, reason=reason)
    hand_open_work(new_owner, account__in=current.accounts, owner=old_owner)
    _restart_trust(current, old_owner=old_owner, new_owner=new_owner, by=by)
    _reconfirm_guides(current, new_owner=new_owner)
    return current


def _restart_trust(done: Plan, *, old_owner, new_owner, by) -> None:
    kind = ActivityType.objects.filter(code=INTRODUCTION).first()
    kind = kind or ActivityType.objects.get(code="meeting")
    introducer = old_owner if old_owner.is_active else new_owner
    when = next_working_morning(timezone.now())
    restarting = Contact.objects.filter(pk__in=done.restarts).select_related("relationship")
    for person in restarting.order_by("pk"):
        was = person.relationship.get_stage_display()
        note = _("Handover to %(new)s: trust is personal, %(was)s with %(old)s.") % {
            "new": new_owner,
            "was": was,
            "old": old_owner,
        }
        relationship_services.change_stage(
            contact=person, to_stage=Stage.ACQUAINTANCE, by=by, note=note[:300]
        )
        introduction = PlannedActivity.objects.create(
            account_id=person.account_id,
            type=kind,
            starts_at=when,
            owner=introducer,
            notes=_("%(old)s introduces %(new)s to %(person)s (%(was)s).")
            % {"old": old_owner, "new": new_owner, "person": person.name, "was": was},
        )
        introduction.contacts.set([person])


def _reconfirm_guides(done: Plan, *, new_owner) -> None:
    due = timezone.localdate() + dt.timedelta(days=GUIDE_DAYS)
    Todo.objects.bulk_create(
        Todo(
            title=_("Confirm %(person)s as your guide (向导)") % {"person": person.name},
            due_date=due,
            owner=new_owner,
            account_id=person.account_id,
            contact=person,
        )
        for person in Contact.objects.filter(pk__in=done.guides).order_by("pk")
    )
