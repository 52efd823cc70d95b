"""A deal's next step as a to-do: ticking it off records it as a done to-do of the deal and
asks for the next one, since an open deal always keeps a dated next step (the open-deal rule,
`opp_open_has_next_step`). Also plain to-dos on a deal."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.policy import get_visible_or_404
from opportunities.models import Opportunity, Status
from relationships.forms import DateInput
from relationships.planning import services as planning_services
from relationships.planning.forms import TodoForm
from relationships.planning.models import Todo


class NextStepForm(forms.Form):
    next_step = forms.CharField(label=gettext_lazy("next step"), max_length=300)
    next_step_date = forms.DateField(label=gettext_lazy("next step date"), widget=DateInput())

    def clean_next_step_date(self):
        day = self.cleaned_data["next_step_date"]
        if day < timezone.localdate():
            raise forms.ValidationError(gettext_lazy("The next step cannot be in the past."))
        return day


@transaction.atomic
def tick_off_next_step(*, opportunity: Opportunity, by, next_step: str, next_step_date: date):
    """Record the deal's current next step as done (a to-do of the deal, done now) and set the
    next one, in one transaction: an open deal is never left without a next step."""
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if current.status != Status.OPEN:
        raise ValidationError(_("Only an open opportunity has a next step to tick off."))
    Todo.objects.create(
        title=current.next_step,
        due_date=current.next_step_date or timezone.localdate(),
        done_at=timezone.now(),
        owner=by,
        account_id=current.account_id,
        opportunity=current,
    )
    current.next_step, current.next_step_date = next_step, next_step_date
    current._change_reason = "next step done"
    current.save(update_fields=["next_step", "next_step_date", "updated_at"])
    return current


def _deal(request, pk):
    return get_visible_or_404(Opportunity.objects.select_related("account"), request.user, pk=pk)


def next_step_done(request, pk):
    opportunity = _deal(request, pk)
    form = NextStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tick_off_next_step(
                opportunity=opportunity,
                by=request.user,
                next_step=form.cleaned_data["next_step"],
                next_step_date=form.cleaned_data["next_step_date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Next step done; the new one is set."))
            return redirect("opportunities:detail", pk=opportunity.pk)
    return render(
        request,
        "opportunities/next_step_done.html",
        {"form": form, "opportunity": opportunity},
    )


def todo_for_deal(request, pk):
    opportunity = _deal(request, pk)
    form = TodoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        planning_services.add_todo(
            title=form.cleaned_data["title"],
            due_date=form.cleaned_data["due_date"],
            owner=request.user,
            account=opportunity.account,
            opportunity=opportunity,
        )
        messages.success(request, _("To-do added."))
        return redirect("opportunities:detail", pk=opportunity.pk)
    return render(
        request, "opportunities/todo_form.html", {"form": form, "opportunity": opportunity}
    )
