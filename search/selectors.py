"""One search box over accounts, contacts, opportunities and activities (issue 20).

Each kind is searched through its own `visible_to(user)`, so a result is never something the
user could not open. Best match first: a name equal to the term, then one starting with it,
then one containing it (or a matching number, e-mail or WeChat ID), newest last-touched first
within each rank. Numbers are matched on their digits, so "138 0013" finds 13800138000, and a
whole number in any spelling ("0574-8765 4321") finds its stored form. On PostgreSQL an index
of pairs of characters serves the text (crm/bigrams.py), two-character Chinese terms included.
"""

from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Account, Contact
from crm import bigrams, phones
from opportunities.models import Opportunity
from relationships.models import Activity

TERM_MIN, TERM_MAX = 2, 100


class TermError(ValueError):
    pass


def clean_term(raw) -> str:
    """The term as searched, or TermError with the message the search box shows."""
    term = " ".join(str(raw or "").split())
    if len(term) < TERM_MIN:
        raise TermError(_("Type at least two characters."))
    if len(term) > TERM_MAX:
        raise TermError(_("Search for at most 100 characters."))
    return term


@dataclass(frozen=True)
class Kind:
    key: str
    label: object
    names: str  # the field ranked as the name
    fields: tuple = ()  # other text fields searched
    numbers: tuple = ()  # phone fields matched on digits
    related: tuple = ()
    order: str = "-updated_at"
    # Rank the matches' ids alone, then read the few shown with their joins: where a common
    # term matches most of the user's rows (集团 in a manager's 2,500 accounts), sorting the
    # wide joined rows cost a third of the query.
    ids_first: bool = False


KINDS = (
    Kind(
        "accounts",
        pgettext_lazy("customer", "Accounts"),
        "name",
        fields=("email", "website"),
        numbers=("phone",),
        related=("owner",),
        ids_first=True,
    ),
    Kind(
        "contacts",
        _("Contacts"),
        "name",
        fields=("email", "wechat"),
        numbers=("mobile", "phone"),
        related=("account",),
    ),
    Kind("opportunities", _("Opportunities"), "name", related=("account", "owner")),
    Kind(
        "activities",
        _("Activities"),
        "next_step",
        fields=("notes", "outcome"),
        related=("account", "type"),
        order="-date",
    ),
)
MODELS = {
    "accounts": Account,
    "contacts": Contact,
    "opportunities": Opportunity,
    "activities": Activity,
}
LISTS = {
    "accounts": "accounts:list",
    "contacts": "relationships:contact_list",
    "opportunities": "opportunities:list",
}


@dataclass
class Group:
    kind: Kind
    hits: list = field(default_factory=list)
    more: bool = False

    @property
    def list_url(self):
        """The kind's own list searched for the same term (activities have no search)."""
        name = LISTS.get(self.kind.key)
        return reverse(name) if name else None


def matching(kind: Kind, queryset: QuerySet, term: str) -> QuerySet:
    text = Q(**{f"{kind.names}__icontains": term})
    for name in kind.fields:
        text |= Q(**{f"{name}__icontains": term})
    # On PostgreSQL the stored pairs of characters narrow first (crm/bigrams.py: INDEXED
    # holds the same fields in the same order).
    narrowed = bigrams.holding(queryset.model, term, connections[queryset.db])
    condition = (narrowed & text) | phones.matching(kind.numbers, term)
    rank = Case(
        When(**{f"{kind.names}__iexact": term}, then=Value(0)),
        When(**{f"{kind.names}__istartswith": term}, then=Value(1)),
        When(**{f"{kind.names}__icontains": term}, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        queryset.filter(condition)
        .annotate(search_rank=rank)
        .select_related(*kind.related)
        .order_by("search_rank", Length(kind.names), kind.order, "-pk")
    )


def search(user, term: str, *, per_kind: int) -> list[Group]:
    """Up to `per_kind` best matches of each kind the user may see; one query per kind (two
    for a kind that ranks its ids first and finds some)."""
    groups = []
    for kind in KINDS:
        model = MODELS[kind.key]
        found = matching(kind, model.objects.visible_to(user), term)
        if kind.ids_first:
            ids = list(found.select_related(None).values_list("pk", flat=True)[: per_kind + 1])
            rows = model.objects.filter(pk__in=ids).select_related(*kind.related) if ids else []
            by_pk = {row.pk: row for row in rows}
            hits = [by_pk[pk] for pk in ids]
        else:
            hits = list(found[: per_kind + 1])
        groups.append(Group(kind, hits[:per_kind], more=len(hits) > per_kind))
    return groups
