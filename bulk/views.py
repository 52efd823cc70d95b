"""The bulk bar of the lists: choose rows, pick an action, see what it will do, confirm."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bulk import actions, lists

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
