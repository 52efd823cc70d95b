"""Merging two accounts into one (issue 20).

The survivor keeps its id and takes, field by field, the value the user chose; every record
that points at the other account moves to the survivor; the other account is deleted and its
address redirects (accounts.merged.MergedAccount). One transaction, both rows locked.

Every relation that points at an account is listed in CHILDREN with how it moves, and
`tests/accounts/test_merging.py` fails when a model gains a relation to Account that is not
listed here, so a new child can never be left behind or deleted with the merged account.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.merged import MergedAccount
from accounts.models import Account, CompetitorPresence, Department

# The fields the merge page lets the user pick; the rest follow the survivor (owner and
# sharing are the survivor's: reassigning is a handover, not a merge).
FIELDS = (
    "name",
    "uscc",
    "status",
    "industry",
    "region",
    "address",
    "phone",
    "website",
    "email",
    "business_scope",
    "revenue",
    "employees",
    "year_established",
    "finance_notes",
    "notes",
    "external_id",
)
# Text the user typed is never dropped: the other account's notes are kept below the
# survivor's when they differ.
APPENDED = ("notes", "finance_notes", "business_scope")

# (model label, field) → how its rows move: "move" re-points them; the others are below.
CHILDREN = {
    ("accounts.Account", "parent"): "subsidiaries",
    ("accounts.InstalledProduct", "account"): "move",
    ("accounts.PurchasePlan", "account"): "move",
    ("accounts.CompetitorPresence", "account"): "competitors",
    ("accounts.Department", "account"): "departments",
    ("accounts.Contact", "account"): "move",
    ("accounts.MergedAccount", "survivor"): "move",
    ("relationships.Activity", "account"): "move",
    ("relationships.PlannedActivity", "account"): "move",
    ("relationships.Todo", "account"): "move",
    ("opportunities.Opportunity", "account"): "move",
}


@dataclass
class Plan:
    """What a merge would move: {relation label: count}, shown before the user confirms."""

    counts: dict

    @property
    def total(self):
        return sum(self.counts.values())


def relations():
    return [
        (f"{r.related_model._meta.label}", r.field.name, r)
        for r in Account._meta.related_objects
        if not r.many_to_many
    ]


def plan(survivor: Account, other: Account) -> Plan:
    counts = {}
    for _label, name, relation in relations():
        count = relation.related_model._base_manager.filter(**{name: other}).count()
        if count:
            title = relation.related_model._meta.verbose_name_plural
            counts[_("subsidiaries") if name == "parent" else str(title)] = count
    return Plan(counts)


def _differs(a, b):
    return (a or "") != (b or "")


@transaction.atomic
def merge(survivor: Account, other: Account, *, take: set, user) -> Account:
    """Merge `other` into `survivor`, taking `other`'s value for the fields in `take`."""
    if survivor.pk == other.pk:
        raise ValueError("an account cannot be merged into itself")
    locked = {
        a.pk: a for a in Account.objects.select_for_update().filter(pk__in=[survivor.pk, other.pk])
    }
    survivor, other = locked[survivor.pk], locked[other.pk]
    moved = {}
    for label, name, relation in relations():
        how = CHILDREN[(label, name)]
        rows = relation.related_model._base_manager.filter(**{name: other})
        moved[label] = MOVES[how](rows, name, survivor, other)
    for field in FIELDS:
        mine, theirs = getattr(survivor, field), getattr(other, field)
        if field in take:
            setattr(survivor, field, theirs)
        elif field in APPENDED and _differs(mine, theirs) and theirs:
            setattr(survivor, field, f"{mine}\n\n{theirs}".strip())
        elif mine in ("", None) and theirs not in ("", None):
            setattr(survivor, field, theirs)
    survivor.collaborators.add(*other.collaborators.exclude(pk=survivor.owner_id))
    old_pk, old_name = other.pk, other.name
    other._change_reason = _("merged into #%(pk)s %(name)s") % {
        "pk": survivor.pk,
        "name": survivor.name,
    }
    other.delete()
    survivor._change_reason = _("merged with #%(pk)s %(name)s") % {"pk": old_pk, "name": old_name}
    survivor.full_clean(exclude=["owner", "parent"])
    survivor.save()
    MergedAccount.objects.create(
        old_pk=old_pk, old_name=old_name, survivor=survivor, merged_by=user, moved=moved
    )
    return survivor


def _move(rows, name, survivor, other):
    return rows.update(**{name: survivor})


def _subsidiaries(rows, name, survivor, other):
    # A subsidiary of one becomes the survivor's; the survivor cannot become its own parent.
    if survivor.parent_id == other.pk:
        survivor.parent = other.parent if other.parent_id != survivor.pk else None
    return rows.exclude(pk=survivor.pk).update(**{name: survivor})


def _competitors(rows, name, survivor, other):
    # The same competitor at both: the survivor's record stays, the other's notes are kept.
    kept = CompetitorPresence.objects.filter(account=survivor)
    for presence in rows.filter(competitor__in=kept.values("competitor")):
        mine = kept.get(competitor=presence.competitor)
        for field in ("products_in_use", "notes"):
            theirs = getattr(presence, field)
            if theirs and theirs not in getattr(mine, field):
                setattr(mine, field, f"{getattr(mine, field)}\n\n{theirs}".strip())
        mine.save(update_fields=["products_in_use", "notes"])
        presence.delete()
    return rows.update(**{name: survivor})


def _departments(rows, name, survivor, other):
    # Two departments of one name stay side by side, the other's marked with where it came from,
    # so nothing recorded about either is lost; the user folds them together if they are one.
    taken = set(Department.objects.filter(account=survivor).values_list("name", flat=True))
    for department in rows.filter(name__in=taken):
        department.name = (
            _("%(name)s (from %(account)s)") % {"name": department.name, "account": other.name}
        )[:200]
        department.save(update_fields=["name"])
    return rows.update(**{name: survivor})


MOVES = {
    "move": _move,
    "subsidiaries": _subsidiaries,
    "competitors": _competitors,
    "departments": _departments,
}
