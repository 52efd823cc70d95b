"""Saving a list's filters as a named view, choosing the default, deleting one's own (the
lists themselves use crm/saved/lists.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.params import id_param
from crm.saved.lists import list_url as _list_url
from crm.saved.models import DefaultView, SavedView


def _key(request):
    key = request.POST.get("list", "")
    if key not in SavedView.List.values:
        raise Http404
    return key


@require_POST
def save(request):
    key = _key(request)
    query = request.POST.get("query", "")[:2000]
    view = SavedView(
        owner=request.user,
        list=key,
        name=request.POST.get("name", "").strip()[:80],
        query=query,
        shared=request.POST.get("shared") == "on",
    )
    try:
        view.full_clean()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_list_url(key, query))
    view.save()
    if request.POST.get("default") == "on":
        DefaultView.objects.update_or_create(user=request.user, list=key, defaults={"view": view})
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(_list_url(key, query))


@require_POST
def make_default(request):
    key = _key(request)
    pk = id_param(request.POST, "view")
    if pk is None:
        DefaultView.objects.filter(user=request.user, list=key).delete()
        messages.success(request, _("This list now opens without filters."))
        return redirect(_list_url(key))
    view = get_object_or_404(SavedView.objects.visible_to(request.user), pk=pk, list=key)
    DefaultView.objects.update_or_create(user=request.user, list=key, defaults={"view": view})
    messages.success(request, _("This list now opens with “%(name)s”.") % {"name": view.name})
    return redirect(_list_url(key, view.query))


@require_POST
def delete(request, pk):
    view = get_object_or_404(SavedView.objects.filter(owner=request.user), pk=pk)
    key = view.list
    view.delete()
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect(_list_url(key))
