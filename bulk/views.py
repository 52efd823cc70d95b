"""The bulk bar of the lists: choose rows, pick an action, see what it will do, confirm."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bulk import actions, forms, handover, lists
from crm import policy

EXPORTS = {"export_csv": "csv", "export_xlsx": "xlsx"}
SHOWN_ROWS = 50


def _list_url(bulk_list, query: str) -> str:
    return reverse(bulk_list.page) + (f"?{query}" if query else "")


def _export_url(bulk_list, selection, fmt: str) -> str:
    params = QueryDict(selection.query, mutable=True)
    params.setlist("id", [str(pk) for pk in selection.ids])
    url = reverse("opportunities:export", args=[bulk_list.export, fmt])
    return f"{url}?{params.urlencode()}" if params else url


@require_POST
def start(request, list_name):
    """POST from a list's bulk bar (`action`, the ticked `id`s or `all`, the list's `query`):
    a download goes to the list's export; a change shows what it will do and, once confirmed
    (`confirm`), does it and shows which rows were refused and why."""
    bulk_list = lists.LISTS.get(list_name)
    key = request.POST.get("action", "")
    if bulk_list is None or key not in (*bulk_list.actions, *(EXPORTS if bulk_list.export else ())):
        raise Http404
    back = _list_url(bulk_list, request.POST.get("query", "").lstrip("?")[: lists.QUERY_MAX])
    try:
        selection = lists.read(request, bulk_list)
        if key in EXPORTS:
            return redirect(_export_url(bulk_list, selection, EXPORTS[key]))
        pks = selection.pks(settings.BULK_ACTION_LIMIT)
    except lists.SelectionError as error:
        messages.error(request, str(error))
        return redirect(back)
    action = actions.ACTIONS[key]
    confirming = request.POST.get("confirm") == "1"
    form = action.form_class(request.POST if confirming else None, user=request.user)
    context = {"list": bulk_list, "action": action, "key": key, "back": back, "form": form}
    context["query"] = selection.query
    if confirming and form.is_valid():
        outcome = actions.run(action, pks, by=request.user, data=form.cleaned_data)
        refused = [(action.describe(row), reason) for row, reason in outcome.refused]
        return render(
            request,
            "bulk/done.html",
            {**context, "done": bulk_list.count(len(outcome.done)), "refused": refused},
        )
    rows, follows = actions.preview(action, pks, request.user)
    going = [action.describe(row) for row, reason in rows if not reason]
    context.update(
        pks=pks,
        going=going[:SHOWN_ROWS],
        going_count=bulk_list.count(len(going)),
        going_more=max(len(going) - SHOWN_ROWS, 0),
        refused=[(action.describe(row), reason) for row, reason in rows if reason],
        follows=[(what, n) for what, n in follows if n],
    )
    return render(request, "bulk/confirm.html", context)


def handover_page(request):
    """A manager hands a leaving rep's book to another rep: choose, preview, confirm."""
    if not policy.manages_a_team(request.user):
        raise Http404
    if request.method != "POST":
        chosen = request.GET.get("old_owner") or request.GET.get("from")
        form = forms.HandoverForm(initial={"old_owner": chosen}, user=request.user)
        form.initial["accounts"] = list(
            form.fields["accounts"].queryset.values_list("pk", flat=True)
        )
        return render(request, "bulk/handover.html", {"form": form})
    form = forms.HandoverForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "bulk/handover.html", {"form": form})
    old, new = form.cleaned_data["old_owner"], form.cleaned_data["new_owner"]
    chosen = [account.pk for account in form.cleaned_data["accounts"]]
    plan = handover.plan(old, chosen)
    context = {"form": form, "old": old, "new": new, "chosen": chosen}
    if request.POST.get("confirm") == "1":
        try:
            expected = handover.Plan(**json.loads(request.POST.get("expected", "")))
            done = handover.hand_over(expected, old_owner=old, new_owner=new, by=request.user)
        except (ValueError, TypeError):
            messages.error(request, _("The preview could not be read: look at it again."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return render(request, "bulk/handed_over.html", {**context, **handover.described(done)})
    context.update(handover.described(plan), expected=json.dumps(plan.ids()))
    return render(request, "bulk/handover_preview.html", context)
