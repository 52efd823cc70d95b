"""What the deals remind people of (crm.notifications.registry): next steps due or overdue,
payment milestones due within a week or overdue, deal reviews due (to the reviewer and the
owner). Finished imports: imports/reminders.py."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from crm.notifications.models import Kind
from crm.notifications.registry import Reminder
from opportunities.models import DealReview, Opportunity, PaymentMilestone, Status

PAYMENT_DAYS = 7


def reminders(user, today: date, kinds: set[str] | None = None) -> list[Reminder]:
    found = [r for r in _deals(user, today) if kinds is None or r.kind in kinds]
    return found


def _deals(user, today: date) -> list[Reminder]:
    found = []
    steps = Opportunity.objects.filter(
        owner=user, status=Status.OPEN, next_step_date__lte=today
    ).order_by("next_step_date", "pk")[:50]
    for deal in steps:
        found.append(
            Reminder(
                Kind.NEXT_STEP_DUE,
                f"next_step:{deal.pk}:{deal.next_step_date.isoformat()}",
                _("Next step: %(step)s (%(deal)s)") % {"step": deal.next_step, "deal": deal.name},
                url=reverse("opportunities:next_step_done", args=[deal.pk]),
                due_on=deal.next_step_date,
            )
        )
    payments = (
        PaymentMilestone.objects.filter(
            opportunity__owner=user, due_date__lte=today + timedelta(days=PAYMENT_DAYS)
        )
        .exclude(status="paid")
        .select_related("opportunity")
        .order_by("due_date", "pk")[:50]
    )
    for milestone in payments:
        found.append(
            Reminder(
                Kind.PAYMENT_DUE,
                f"payment:{milestone.pk}:{milestone.due_date.isoformat()}",
                _("Payment %(name)s of %(deal)s: %(amount)s CNY")
                % {
                    "name": milestone.name,
                    "deal": milestone.opportunity.name,
                    "amount": milestone.amount,
                },
                url=reverse("opportunities:detail", args=[milestone.opportunity_id]),
                due_on=milestone.due_date,
            )
        )
    for review in reviews_due(user, today):
        found.append(
            Reminder(
                Kind.REVIEW_DUE,
                f"review:{review.pk}:{review.next_review_date.isoformat()}",
                _("Deal review due: %(deal)s") % {"deal": review.opportunity.name},
                url=reverse("opportunities:review", args=[review.opportunity_id]),
                due_on=review.next_review_date,
            )
        )
    return found


def reviews_due(user, today: date, start: date | None = None):
    """The latest review of each open deal the user reviewed or owns, whose next review date
    has come (or falls from `start` to `today`)."""
    later = DealReview.objects.filter(
        opportunity=OuterRef("opportunity"), reviewed_at__gt=OuterRef("reviewed_at")
    )
    dates = Q(next_review_date__lte=today)
    if start is not None:
        dates &= Q(next_review_date__gte=start)
    return (
        DealReview.objects.filter(dates, opportunity__status=Status.OPEN)
        .filter(Q(reviewed_by=user) | Q(opportunity__owner=user))
        .exclude(Exists(later))
        .select_related("opportunity")
        .order_by("next_review_date", "pk")[:20]
    )
