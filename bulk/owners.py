"""Changing an owner: the one way bulk actions and handovers write it."""

from django.utils import timezone

from relationships.planning.models import PlannedActivity, Todo

PLANNED = PlannedActivity.Status.PLANNED


def hand(record, to, *, by, reason) -> None:
    """`record` (an account or a deal) to the owner `to`, its history row naming who and why."""
    record.owner = to
    record._history_user = by  # simple-history's hooks for the row the save writes
    record._change_reason = str(reason)[:100]
    record.save(update_fields=["owner", "updated_at"])


def hand_open_work(to, **where) -> None:
    """The planned activities and open to-dos `where` names (no history of their own)."""
    now = timezone.now()
    PlannedActivity.objects.filter(status=PLANNED, **where).update(owner=to, updated_at=now)
    Todo.objects.filter(done_at__isnull=True, **where).update(owner=to, updated_at=now)
