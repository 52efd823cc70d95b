"""同盟 leverage on the deal page (METHOD.md §4, issue 17): for each person of the buying group
below 信赖, who can bring us to them. Loaded by htmx once the buying group is on screen, so the
deal page itself costs no query more (relationships.leverage_selectors reads in two)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Contact
from crm.policy import get_visible_or_404
from opportunities.models import Opportunity
from relationships.leverage_selectors import leverage_for


@require_GET
def deal_leverage(request, pk):
    opportunity = get_visible_or_404(Opportunity.objects.all(), request.user, pk=pk)
    people = list(
        Contact.objects.visible_to(request.user)
        .filter(stakeholdings__opportunity=opportunity)
        .order_by("name", "pk")
    )
    found = leverage_for(request.user, people)
    items = [
        found[person.pk]
        for person in people
        if person.pk in found and (found[person.pk].needed or found[person.pk].rivals)
    ]
    return render(request, "opportunities/_leverage.html", {"items": items})
