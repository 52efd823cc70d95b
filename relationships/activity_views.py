"""Editing and deleting a logged activity, by its author or a manager of theirs (issue 21):
saved with its history, a concurrent save refused; a deletion that would leave a move on the
ladder without its evidence asks first, and that move then shows as unsupported."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from crm.params import safe_next
from relationships import selectors, services
from relationships.forms import ActivityEditForm
from relationships.models import Activity


def _back_url(request, activity) -> str:
    return safe_next(request) or reverse("relationships:account", args=[activity.account_id])


def activity_edit(request, pk):
    activity = selectors.editable_activity_or_404(request.user, pk)
    form = ActivityEditForm(
        request.POST or None, instance=activity, account=activity.account, user=request.user
    )
    back_url = _back_url(request, activity)
    posted = request.method == "POST" and form.is_valid()
    if posted and form.try_save(lambda: services.save_activity_edit(form)) is not None:
        messages.success(request, _("Activity saved."))
        if form.instance.approval_status == Activity.Approval.PENDING:
            messages.warning(request, _("Above the gift limit: sent to the manager for approval."))
        return redirect(back_url)
    context = {"form": form, "activity": activity, "back_url": back_url}
    return render(request, "relationships/activity_edit.html", context)


def activity_delete(request, pk):
    activity = selectors.editable_activity_or_404(request.user, pk)
    back_url = _back_url(request, activity)
    evidence = list(activity.stage_changes.select_related("relationship__contact"))
    if request.method == "POST":
        if evidence and request.POST.get("unsupported_ok") != "1":
            messages.error(request, _("Tick the box to delete it all the same."))
        else:
            services.delete_activity(activity)
            messages.success(request, _("Activity deleted."))
            return redirect(back_url)
    context = {"activity": activity, "evidence": evidence, "back_url": back_url}
    return render(request, "relationships/activity_delete.html", context)
