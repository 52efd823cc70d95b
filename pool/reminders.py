"""What the pool reminds people of (crm.notifications.registry): an account of theirs that
returns to the team's pool within a week unless they log a done activity on it."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from crm.notifications.models import Kind
from crm.notifications.registry import Reminder
from pool import rules, selectors
from pool.models import WARNING_DAYS

ROWS = 50


def reminders(user, today: date, kinds: set[str] | None = None) -> list[Reminder]:
    if kinds is not None and Kind.POOL_WARNING not in kinds:
        return []
    rule = selectors.rule_for(user)
    if rule is None:
        return []
    cutoff = today - timedelta(days=rule.return_after_days - WARNING_DAYS)
    found = []
    accounts = selectors.untouched_since(rule, cutoff).filter(owner=user)
    for account in accounts.order_by("name", "pk")[:ROWS]:
        since = rules.worked_since(account.last_done, account.owned_since)
        if not rules.warned(since, rule.return_after_days, today, WARNING_DAYS):
            continue
        back = rules.return_day(since, rule.return_after_days)
        found.append(
            Reminder(
                Kind.POOL_WARNING,
                f"pool:{account.pk}:{back.isoformat()}",
                _("%(account)s returns to the shared pool on %(day)s")
                % {"account": account.name, "day": back.isoformat()},
                body=_("Log a done activity on it before then to keep it."),
                url=reverse("accounts:detail", args=[account.pk]),
                due_on=back,
            )
        )
    return found
