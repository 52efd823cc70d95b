"""The deals' calendar entries (crm.agenda): next steps, payment milestones and the deal
reviews the user holds or whose deal they own."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from crm.agenda import Entry
from opportunities.models import Opportunity, PaymentMilestone, Status
from opportunities.reminders import reviews_due


def entries(user, start: date, end: date, *, scope: str, private: bool) -> list[Entry]:
    """Queries: next steps (with owner); payment milestones (with their deal); reviews due."""
    deals = Opportunity.objects.visible_to(user).filter(
        status=Status.OPEN, next_step_date__gte=start, next_step_date__lte=end
    )
    milestones = PaymentMilestone.objects.visible_to(user).filter(
        due_date__gte=start, due_date__lte=end
    )
    if scope != "team":
        deals = deals.filter(owner=user)
        milestones = milestones.filter(opportunity__owner=user)
    found = [
        Entry(
            uid=f"next-step-{deal.pk}-{deal.next_step_date.isoformat()}",
            kind="next_step",
            title=_("Next step: %(step)s (%(deal)s)") % {"step": deal.next_step, "deal": deal.name},
            day=deal.next_step_date,
            url=reverse("opportunities:next_step_done", args=[deal.pk]),
            owner=str(deal.owner),
        )
        for deal in deals.select_related("owner")
    ]
    found += [
        Entry(
            uid=f"payment-{milestone.pk}",
            kind="payment",
            title=_("Payment %(name)s of %(deal)s: %(amount)s CNY")
            % {
                "name": milestone.name,
                "deal": milestone.opportunity.name,
                "amount": milestone.amount,
            },
            day=milestone.due_date,
            url=reverse("opportunities:detail", args=[milestone.opportunity_id]),
            done=milestone.status == "paid",
        )
        for milestone in milestones.select_related("opportunity")
    ]
    found += [
        Entry(
            uid=f"review-{review.pk}",
            kind="review",
            title=_("Deal review due: %(deal)s") % {"deal": review.opportunity.name},
            day=review.next_review_date,
            url=reverse("opportunities:review", args=[review.opportunity_id]),
        )
        for review in reviews_due(user, end, start)
    ]
    return found
