"""The notification rules as plain functions: what a user wants, quiet hours, when the digest
is due, how long to wait before retrying, how a due date reads."""

from datetime import date, datetime, time

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_ATTEMPTS = 5


def wants(kinds: list[str], kind: str) -> bool:
    """An empty choice means every kind."""
    return not kinds or kind in kinds


def in_quiet_hours(moment: time, quiet_from: time | None, quiet_until: time | None) -> bool:
    """Whether `moment` (local time) falls in [quiet_from, quiet_until); a span past midnight
    (22:00–07:00) wraps. No quiet hours when either end is missing or both are equal."""
    if quiet_from is None or quiet_until is None or quiet_from == quiet_until:
        return False
    if quiet_from < quiet_until:
        return quiet_from <= moment < quiet_until
    return moment >= quiet_from or moment < quiet_until


def digest_due(local_now: datetime, digest_hour: int) -> bool:
    """The day's digest goes at the user's hour or, if no worker ran then, at the next run that
    day (the delivery record keeps it to once a day)."""
    return local_now.hour >= digest_hour


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after `attempts` failures: 1, 2, 4, 8 … minutes, at most an
    hour."""
    return min(60 * 2 ** max(attempts - 1, 0), 3600)


def due_label(due_on: date | None, today: date) -> str:
    if due_on is None:
        return ""
    days = (due_on - today).days
    if days == 0:
        return _("due today")
    if days < 0:
        return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}
    return ngettext("due in %(n)d day", "due in %(n)d days", days) % {"n": days}
