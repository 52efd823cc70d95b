"""Readable change history from django-simple-history: who, when, field old → new.

The generic part of every record page's "recent changes" (accounts, contacts, opportunities,
relationships): a record's own history rows become `Change`s with their field differences,
and the rows of its parts become one-line events. Each app's selectors decide which models
belong to a record; this module only reads the history tables it is given.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

RECENT = 8


@dataclass
class Change:
    when: object
    who: object
    kind: str  # "+", "~", "-" (simple-history's history_type)
    what: str  # the record's kind, e.g. "department"
    name: str  # the record's name
    fields: list = field(default_factory=list)  # [(label, old, new)] for changes we can diff

    @property
    def verb(self) -> str:
        return {"+": _("added"), "~": _("changed"), "-": _("deleted")}[self.kind]


def shown(field_, value) -> str:
    """A stored value as a person reads it: choice labels, yes/no, long text shortened."""
    if value in (None, ""):
        return "—"
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def record_name(record) -> str:
    """The record's own name (its model's __str__, which reads local fields only)."""
    return str(record.instance)


IGNORED = ["updated_at", "created_at"]


def diffs(
    records: list, model, limit: int, what: str, name=record_name, ignored=IGNORED
) -> list[Change]:
    """Changes of one record from its history rows (newest first, one row beyond `limit`
    so that the oldest shown row has something to compare with)."""
    changes = []
    for newer, older in zip(records[:limit], [*records[1:], None], strict=False):
        fields = []
        if newer.history_type == "~" and older is not None:
            delta = newer.diff_against(older, excluded_fields=ignored)
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                if model_field.is_relation:
                    fields.append((model_field.verbose_name, None, None))
                else:
                    fields.append(
                        (
                            model_field.verbose_name,
                            shown(model_field, change.old),
                            shown(model_field, change.new),
                        )
                    )
            if not fields:
                continue  # saved without a change
        changes.append(
            Change(
                newer.history_date,
                newer.history_user,
                newer.history_type,
                what,
                name(newer),
                fields,
            )
        )
    return changes


def own_changes(
    model, pk: int, what: str, limit: int = RECENT, name=record_name, ignored=IGNORED
) -> list[Change]:
    """The last changes of one record with their field differences (1 query)."""
    records = list(
        model.history.filter(id=pk)
        .select_related("history_user")
        .order_by("-history_date")[: limit + 1]
    )
    return diffs(records, model, limit, what, name=name, ignored=ignored)


def events(history_qs, limit: int, what: str, name=record_name) -> list[Change]:
    """Added / changed / deleted events of a record's parts, without field details (1 query)."""
    rows = history_qs.select_related("history_user").order_by("-history_date")[:limit]
    return [Change(r.history_date, r.history_user, r.history_type, what, name(r)) for r in rows]


def newest(changes: list[Change], limit: int = RECENT) -> list[Change]:
    return sorted(changes, key=lambda c: c.when, reverse=True)[:limit]
