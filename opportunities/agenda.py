"""The deals' calendar entries (crm.agenda): next steps and payment milestones."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from crm.agenda import Entry
from opportunities.models import Opportunity, PaymentMilestone, Status


def entries(user, start: date, end: date, *, scope: str, private: bool) -> list[Entry]:
    """Queries: next steps (with owner); payment milestones (with their deal)."""
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
    return found
