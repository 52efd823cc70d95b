"""The lists a bulk action starts from, and the rows a user chose on one of them.

A selection is either the ticked rows of the page (`id`, repeated) or every row that matches
the list's filters (`all`), always read back through the list's own rows function: the same
filters, sort and access policy as the page and its download, so a crafted id outside the
list, or outside the user's reach, is simply not selected.
"""

import copy
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.exports import account_rows
from crm.params import id_list
from opportunities.deals.exports import opportunity_rows
from relationships.exports import activity_rows, contact_list_rows
from relationships.planning.selectors import open_plans

QUERY_MAX = 2000  # a list's query string is a handful of filters; anything longer is not one


def plan_rows(request) -> QuerySet:
    """The plans page's plans (its scope), soonest first."""
    scope = "all" if request.GET.get("scope") == "all" else "mine"
    return open_plans(request.user, scope=scope).order_by("starts_at", "pk")


@dataclass(frozen=True)
class BulkList:
    page: str  # the list's URL name
    rows: object  # request → the list's visible, filtered rows
    actions: tuple[str, ...]  # bulk.actions.ACTIONS keys, in the order the bar offers them
    export: str = ""  # its key in opportunities.exports.EXPORTS ("": no download)
    count: object = None  # n → "12 accounts"


LISTS = {
    "accounts": BulkList(
        "accounts:list",
        account_rows,
        ("reassign_accounts",),
        export="accounts",
        count=lambda n: ngettext("%(n)s account", "%(n)s accounts", n) % {"n": n},
    ),
    "contacts": BulkList(
        "relationships:contact_list",
        contact_list_rows,
        (),
        export="contact_list",
        count=lambda n: ngettext("%(n)s person", "%(n)s people", n) % {"n": n},
    ),
    "opportunities": BulkList(
        "opportunities:list",
        opportunity_rows,
        ("reassign_deals", "abandon"),
        export="opportunities",
        count=lambda n: ngettext("%(n)s opportunity", "%(n)s opportunities", n) % {"n": n},
    ),
    "activities": BulkList(
        "relationships:activities",
        activity_rows,
        (),
        export="activities",
        count=lambda n: ngettext("%(n)s activity", "%(n)s activities", n) % {"n": n},
    ),
    "plans": BulkList(
        "relationships:plans",
        plan_rows,
        ("mark_done",),
        count=lambda n: (
            ngettext("%(n)s planned activity", "%(n)s planned activities", n) % {"n": n}
        ),
    ),
}


class SelectionError(Exception):
    pass


@dataclass
class Selection:
    query: str  # the list's query string (filters and sort, without the page)
    ids: list[int]  # the ticked rows; empty when `everything`
    everything: bool  # every row matching the filters
    rows: QuerySet  # the chosen rows, as the list reads them

    def pks(self, limit: int) -> list[int]:
        """The chosen rows' ids, at most `limit` of them: more is refused, not cut."""
        pks = list(self.rows.order_by().values_list("pk", flat=True)[: limit + 1])
        if len(pks) > limit:
            raise SelectionError(
                _(
                    "More than %(limit)s rows are chosen: a bulk change takes at most %(limit)s "
                    "at once. Narrow the filters and do it in parts."
                )
                % {"limit": limit}
            )
        if not pks:
            raise SelectionError(_("None of the chosen rows is on the list any more."))
        return pks


def _ids(params) -> list[int]:
    ids = id_list(params, "id")
    if ids is None:
        raise SelectionError(_("The selection could not be read: tick the rows again."))
    if len(ids) > settings.BULK_ACTION_LIMIT:
        raise SelectionError(_("Too many rows are ticked: choose all that match instead."))
    return sorted(set(ids))


def read(request, bulk_list: BulkList) -> Selection:
    """The rows `request.POST` chose on `bulk_list`, read as the list reads them for this user."""
    query = request.POST.get("query", "").lstrip("?")
    if len(query) > QUERY_MAX:
        raise SelectionError(_("The list's filters could not be read: filter the list again."))
    everything = request.POST.get("all") == "1"
    ids = [] if everything else _ids(request.POST)
    if not everything and not ids:
        raise SelectionError(_("Tick at least one row, or choose all that match."))
    listed = copy.copy(request)
    listed.GET = QueryDict(query)
    rows = bulk_list.rows(listed)
    if ids:
        rows = rows.filter(pk__in=ids)
    return Selection(query=query, ids=ids, everything=everything, rows=rows)
