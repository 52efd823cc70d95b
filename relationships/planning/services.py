"""Writes of planned work: plan, mark done (logging the activity that becomes evidence),
reschedule, cancel; add and tick off to-dos."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relationships import services as activity_services
from relationships.models import Activity
from relationships.planning.models import PlannedActivity, Todo


def _refuse_unless_planned(plan: PlannedActivity) -> None:
    if plan.status != PlannedActivity.Status.PLANNED:
        raise ValidationError(_("This activity is no longer planned."))


def _locked(plan: PlannedActivity) -> PlannedActivity:
    return PlannedActivity.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def plan_activity(*, plan: PlannedActivity, contacts, owner) -> PlannedActivity:
    """Save a new planned activity (unsaved instance from the form) with its people, who all
    belong to one account."""
    accounts = {contact.account_id for contact in contacts}
    if len(accounts) != 1:
        raise ValidationError(_("All the people of one activity must belong to one account."))
    if plan.starts_at <= timezone.now():
        raise ValidationError(_("Plan activities in the future; log those that happened."))
    plan.account_id = accounts.pop()
    plan.owner = owner
    plan.status = PlannedActivity.Status.PLANNED
    plan.save()
    plan.contacts.set(contacts)
    return plan


@transaction.atomic
def mark_done(
    *,
    plan: PlannedActivity,
    by,
    happened_on: date,
    outcome: str = "",
    cost=0,
    next_step: str = "",
    next_step_date: date | None = None,
) -> Activity:
    """The plan happened: log it as an activity dated `happened_on` (the evidence the ladder
    counts; a gift above its limit goes for approval as when logging) and close the plan."""
    plan = _locked(plan)
    _refuse_unless_planned(plan)
    if happened_on > timezone.localdate():
        raise ValidationError(_("Mark an activity done once it has happened."))
    activity = Activity(
        type=plan.type,
        date=happened_on,
        opportunity=plan.opportunity,
        notes=plan.notes,
        cost=cost or 0,
        outcome=outcome,
        next_step=next_step,
        next_step_date=next_step_date,
    )
    activity.full_clean(exclude=["account", "owner"])
    activity = activity_services.log_activity(
        activity=activity, contacts=list(plan.contacts.all()), owner=by
    )
    plan.status = PlannedActivity.Status.DONE
    plan.activity = activity
    plan.save(update_fields=["status", "activity", "updated_at"])
    return activity


@transaction.atomic
def reschedule(*, plan: PlannedActivity, starts_at: datetime) -> PlannedActivity:
    plan = _locked(plan)
    _refuse_unless_planned(plan)
    if starts_at <= timezone.now():
        raise ValidationError(_("Plan activities in the future; log those that happened."))
    plan.starts_at = starts_at
    plan.save(update_fields=["starts_at", "updated_at"])
    return plan


@transaction.atomic
def cancel(*, plan: PlannedActivity) -> PlannedActivity:
    plan = _locked(plan)
    _refuse_unless_planned(plan)
    plan.status = PlannedActivity.Status.CANCELLED
    plan.save(update_fields=["status", "updated_at"])
    return plan


def add_todo(*, title: str, due_date: date, owner, account, contact=None, opportunity=None):
    """A to-do on an account, one of its people or one of its deals."""
    if due_date is None:
        raise ValidationError({"due_date": _("Give the to-do a due date.")})
    todo = Todo(
        title=title,
        due_date=due_date,
        owner=owner,
        account=account,
        contact=contact,
        opportunity=opportunity,
    )
    todo.full_clean()
    todo.save()
    return todo


@transaction.atomic
def set_done(*, todo: Todo, done: bool) -> Todo:
    """Tick a to-do off (now) or open it again."""
    todo = Todo.objects.select_for_update().get(pk=todo.pk)
    todo.done_at = (todo.done_at or timezone.now()) if done else None
    todo.save(update_fields=["done_at", "updated_at"])
    return todo
