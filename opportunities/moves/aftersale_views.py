"""Move 6 after the sale on the opportunity page: add a satisfaction check, add a referral
(htmx fragments with full-page fallbacks, as the other records of moves 3–6)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect

from crm.policy import get_visible_or_404
from opportunities.models import Opportunity, Referral, SatisfactionCheck
from opportunities.moves.aftersale_forms import ReferralForm, SatisfactionCheckForm

ANCHOR = "after-sale"


def _add(request, pk, *, kind, model, form_class, title):
    opportunity = get_visible_or_404(
        Opportunity.objects.select_related("account", "owner"), request.user, pk=pk
    )
    form = form_class(
        request.POST or None, instance=model(), opportunity=opportunity, user=request.user
    )
    url = reverse("opportunities:detail", args=[opportunity.pk]) + f"#{ANCHOR}"
    if request.method == "POST" and form.is_valid():
        form.instance.recorded_by = request.user
        form.save()
        messages.success(request, _("Saved."))
        if not request.htmx:
            return redirect(url)
        response = HttpResponseClientRedirect(url)
        response["HX-Refresh"] = "true"
        return response
    context = {
        "form": form,
        "opportunity": opportunity,
        "kind": kind,
        "title": title,
        "action": request.path,
        "cancel_url": url,
    }
    template = "opportunities/moves/_form.html" if request.htmx else "opportunities/moves/form.html"
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def satisfaction_new(request, pk):
    return _add(
        request,
        pk,
        kind="satisfaction",
        model=SatisfactionCheck,
        form_class=SatisfactionCheckForm,
        title=gettext_lazy("Record a satisfaction check"),
    )


def referral_new(request, pk):
    return _add(
        request,
        pk,
        kind="referral",
        model=Referral,
        form_class=ReferralForm,
        title=gettext_lazy("Record a referral"),
    )
