"""An account's and a contact's recent changes (the generic part lives in crm/history.py)."""

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import (
    Account,
    CompetitorPresence,
    Contact,
    ContactTie,
    Department,
    InstalledProduct,
    PersonalProfile,
    PurchasePlan,
)
from crm import history
from crm.models import User

RECENT = history.RECENT
Change = history.Change
_diffs, _events = history.diffs, history.events


@dataclass(frozen=True)
class _HistoryPart:
    """A kind of row whose history belongs to the account: its model, what the page calls it
    and the fields its name is made of (the model's __str__ fields, or a related name)."""

    model: type
    what: str
    name_fields: tuple[str, ...]
    named_by_str: bool = True  # else the name is the one field's value

    def name(self, values: Sequence) -> str:
        if not self.named_by_str:
            return values[0] or ""
        return str(self.model(**dict(zip(self.name_fields, values, strict=True))))


_HISTORY_PARTS = (
    _HistoryPart(InstalledProduct, gettext_lazy("installed product"), ("brand", "product")),
    _HistoryPart(PurchasePlan, gettext_lazy("purchase plan"), ("title",)),
    _HistoryPart(Department, gettext_lazy("department"), ("name",)),
    _HistoryPart(Contact, gettext_lazy("contact"), ("name",)),
    _HistoryPart(
        CompetitorPresence,
        gettext_lazy("competitor presence"),
        ("competitor__name",),
        named_by_str=False,
    ),
)
# Who made a change: the columns of the user that a change shows (User.__str__).
_WHO = ("id", "username", "first_name", "last_name")
_NAME_WIDTH = 2


@functools.cache
def _history_rows() -> tuple[QuerySet, ...]:
    """Each part's history rows as the events' columns, alike for the UNION (built once per
    process, narrowed to the rows of each call)."""
    rows = []
    for number, part in enumerate(_HISTORY_PARTS):
        names = [F(name) for name in part.name_fields]
        names += [Value("")] * (_NAME_WIDTH - len(names))
        rows.append(
            part.model.history.order_by().values(
                part=Value(number),
                when=F("history_date"),
                kind=F("history_type"),
                **{f"who_{name}": F(f"history_user__{name}") for name in _WHO},
                **{f"name_{index}": name for index, name in enumerate(names)},
            )
        )
    return tuple(rows)


def _who(values: dict) -> User | None:
    """The history row's user, loaded from the row's own columns (the others deferred)."""
    if values["who_id"] is None:
        return None
    names = [f.attname for f in User._meta.concrete_fields if f.attname in _WHO]
    return User.from_db(connection.alias, names, [values[f"who_{name}"] for name in names])


def part_events(account: Account, limit: int = RECENT) -> list[Change]:
    """Added / changed / deleted events of the account's rows: the last `limit` of each kind
    in one UNION ALL statement (each kind's newest rows picked in its own subquery)."""
    selects = []
    for part, rows in zip(_HISTORY_PARTS, _history_rows(), strict=True):
        newest = part.model.history.filter(account_id=account.pk).order_by("-history_date")
        selects.append(rows.filter(history_id__in=newest.values("history_id")[:limit]))
    events = []
    for row in selects[0].union(*selects[1:], all=True):
        part = _HISTORY_PARTS[row["part"]]
        name = part.name([row[f"name_{index}"] for index in range(len(part.name_fields))])
        events.append(Change(row["when"], _who(row), row["kind"], str(part.what), name))
    return events


def account_changes(account: Account, limit: int = RECENT) -> list[Change]:
    """The last changes to the account and its dossier rows (2 queries: the account's own
    history, its rows' events)."""
    changes = history.own_changes(Account, account.pk, str(Account._meta.verbose_name), limit)
    return history.newest(changes + part_events(account, limit), limit)


def contact_changes(contact: Contact, limit: int = RECENT) -> list[Change]:
    """The last changes to the contact, their personal profile and their ties (3 queries)."""
    changes = history.own_changes(Contact, contact.pk, _("contact"), limit)
    profile = list(
        PersonalProfile.history.filter(contact_id=contact.pk)
        .select_related("history_user")
        .order_by("-history_date")[: limit + 1]
    )
    changes += _diffs(profile, PersonalProfile, limit, _("personal profile"), name=lambda r: "")
    changes += _events(
        ContactTie.history.filter(Q(contact_id=contact.pk) | Q(other_id=contact.pk)).select_related(
            "contact", "other"
        ),
        limit,
        _("friend or rival"),
        name=lambda r: f"{r.contact.name if r.contact else ''} → {r.other.name if r.other else ''}",
    )
    return history.newest(changes, limit)
