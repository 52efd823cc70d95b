"""What a list needs of its saved views, in one query: a list view reads `panel()` first,
follows `panel.default_redirect()` when there is one (a list opened bare goes to the user's
default view) and puts the panel in its context for `templates/_saved_views.html`."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse

from crm.saved.models import DefaultView, SavedView

IGNORED = ("page", "view")


def current_query(request) -> str:
    pairs = [(k, v) for k, v in request.GET.items() if k not in IGNORED and v]
    return urlencode(pairs)[:2000]


def list_url(key, query=""):
    return reverse(key) + (f"?{query}" if query else "")


@dataclass
class Panel:
    key: str
    query: str
    views: list

    opened_bare: bool = False

    @property
    def current(self):
        return next((v for v in self.views if v.query == self.query), None)

    def default_redirect(self):
        default = next((v for v in self.views if v.is_default), None)
        if self.opened_bare and default is not None and default.query:
            return redirect(list_url(self.key, default.query))
        return None


def panel(request, key) -> Panel:
    is_default = DefaultView.objects.filter(user=request.user, list=key, view=OuterRef("pk"))
    views = (
        SavedView.objects.visible_to(request.user)
        .filter(list=key)
        .annotate(is_default=Exists(is_default))
        .select_related("owner")
    )
    return Panel(key, current_query(request), list(views), opened_bare=not request.GET)
