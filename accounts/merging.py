"""Merging two accounts, or two people of one account, into one (issue 20).

The survivor keeps its id and takes, field by field, the value the user chose; every record
that points at the other moves to the survivor (accounts.folding: re-pointed, or folded into
the survivor's own where it would repeat one); the other is deleted and its address
redirects (accounts.merged). One transaction, both rows locked, both histories record it.

CHILDREN names every relation that points at an account or a contact, with how it folds;
`tests/accounts/test_merging.py` fails when a model gains such a relation that is not named
here, so that whoever adds it decides what a merge does with it.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Value
from django.utils.translation import gettext as _

from accounts import folding
from accounts.models import Account, Contact, MergedAccount, MergedContact
from files.models import Document

MOVE = {}
# When two relationship rows fold into one, the deeper stage stays (its evidence moves too);
# when two communication preferences do, a refusal on either stays a refusal (PIPL).
DEEPER_STAGE = {"deeper": ("stage",)}
OPT_OUTS_STAY = {"stricter": ("email_allowed", "sms_allowed")}

CHILDREN = {
    Account: {
        ("accounts.Account", "parent"): MOVE,
        ("accounts.InstalledProduct", "account"): MOVE,
        ("accounts.PurchasePlan", "account"): MOVE,
        ("accounts.CompetitorPresence", "account"): MOVE,  # one per competitor: folded
        ("accounts.Department", "account"): MOVE,  # one per name: folded
        ("accounts.Contact", "account"): MOVE,
        ("accounts.MergedAccount", "survivor"): MOVE,
        ("relationships.Activity", "account"): MOVE,
        ("relationships.PlannedActivity", "account"): MOVE,
        ("relationships.Todo", "account"): MOVE,
        ("opportunities.Opportunity", "account"): MOVE,
        ("opportunities.Referral", "referred_account"): MOVE,
        ("opportunities.Comment", "account"): MOVE,
        # A pooled loser's row moves; an owned survivor's save then takes it out (pool.signals).
        ("pool.PooledAccount", "account"): MOVE,
        ("pool.PoolMove", "account"): MOVE,
    },
    Contact: {
        ("accounts.Department", "head"): MOVE,
        ("accounts.Contact", "reports_to"): MOVE,
        ("accounts.PersonalProfile", "contact"): MOVE,  # one per person: folded
        ("accounts.PersonalDataAccess", "contact"): MOVE,  # the log follows the person
        ("accounts.ContactTie", "contact"): MOVE,
        ("accounts.ContactTie", "other"): MOVE,
        ("accounts.MergedContact", "survivor"): MOVE,
        ("relationships.Relationship", "contact"): DEEPER_STAGE,
        ("relationships.Activity", "contacts"): MOVE,
        ("relationships.PlannedActivity", "contacts"): MOVE,
        ("relationships.Todo", "contact"): MOVE,
        ("opportunities.Stakeholder", "contact"): MOVE,  # one per deal: folded with its roles
        ("opportunities.Need", "contact"): MOVE,
        ("opportunities.ProjectApproval", "approver"): MOVE,
        ("opportunities.Concern", "raised_by"): MOVE,
        ("opportunities.Contract", "signed_by"): MOVE,
        ("opportunities.Referral", "referred_contact"): MOVE,
        ("opportunities.SatisfactionCheck", "answered_by"): MOVE,
        ("relationships.CommunicationPreference", "contact"): OPT_OUTS_STAY,
        ("relationships.Greeting", "contact"): MOVE,  # one per occasion: folded
    },
}


@dataclass(frozen=True)
class Kind:
    model: type
    fields: tuple  # offered side by side; the rest stay the survivor's
    record: type
    appended: tuple = field(default=())  # kept from both when they differ


ACCOUNT = Kind(
    Account,
    fields=(
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
        "parent",
        "notes",
        "external_id",
    ),
    record=MergedAccount,
    appended=("notes", "finance_notes", "business_scope"),
)
CONTACT = Kind(
    Contact,
    fields=(
        "name",
        "title",
        "department",
        "mobile",
        "phone",
        "email",
        "wechat",
        "function",
        "level",
        "has_veto",
        "is_guide",
        "guide_type",
        "guide_since",
        "reports_to",
        "is_active",
        "external_id",
    ),
    record=MergedContact,
)
KINDS = {Account: ACCOUNT, Contact: CONTACT}


def relations(model=Account):
    return [(r.related_model._meta.label, r.field.name, r) for r in model._meta.related_objects]


def plan(survivor, other) -> dict:
    """What a merge would move: {kind of record: count}, shown before the user confirms; one
    statement (a count per relation, unioned)."""
    found = relations(type(other))
    counts = [
        relation.related_model._base_manager.filter(**{name: other})
        .order_by()
        .annotate(relation=Value(index))
        .values("relation")
        .annotate(count=Count("pk"))
        .values_list("relation", "count")
        for index, (_label, name, relation) in enumerate(found)
    ]
    moving = {}
    for index, count in counts[0].union(*counts[1:], all=True):
        if not count:
            continue
        _label, name, relation = found[index]
        title = (
            _("subsidiaries")
            if name == "parent"
            else str(relation.related_model._meta.verbose_name_plural)
        )
        moving[title] = moving.get(title, 0) + count
    return moving


def choices(survivor, other):
    """(field, label, survivor's value, other's value) where the other adds something."""
    kind = KINDS[type(survivor)]
    rows = []
    for name in kind.fields:
        model_field = kind.model._meta.get_field(name)
        mine, theirs = getattr(survivor, name), getattr(other, name)
        if theirs not in ("", None) and theirs != mine and not (theirs is False and not mine):
            rows.append(
                (
                    name,
                    model_field.verbose_name,
                    _shown(model_field, mine),
                    _shown(model_field, theirs),
                )
            )
    return rows


def _shown(model_field, value):
    """A value as the record's pages show it: a choice's label, not its code."""
    if model_field.choices and value not in ("", None):
        return dict(model_field.flatchoices).get(value, value)
    return value


@transaction.atomic
def merge(survivor, other, *, take: set, user):
    """Merge `other` into `survivor`, taking `other`'s value for the fields in `take`."""
    model = type(survivor)
    kind = KINDS[model]
    if survivor.pk == other.pk or type(other) is not model:
        raise ValueError("a record is merged with another of its kind")
    locked = {
        r.pk: r for r in model.objects.select_for_update().filter(pk__in=[survivor.pk, other.pk])
    }
    survivor, other = locked[survivor.pk], locked[other.pk]
    moved = {}
    for label, name, relation in relations(model):
        options = CHILDREN[model][(label, name)]
        if relation.many_to_many:
            moved[label] = folding.repoint_m2m(relation, other, survivor)
        else:
            moved[label] = folding.repoint(relation, other, survivor, **options)
    # Files point at their record by content type and id (files.models), not by a relation.
    moved["files.Document"] = Document.objects.of(other).update(object_id=survivor.pk)
    for name in kind.fields:
        mine, theirs = getattr(survivor, name), getattr(other, name)
        if name in take:
            setattr(survivor, name, theirs)
        elif name in kind.appended and theirs and mine != theirs:
            setattr(survivor, name, f"{mine}\n\n{theirs}".strip())
        elif mine in ("", None) and theirs not in ("", None):
            setattr(survivor, name, theirs)
    _inherit_self_links(survivor, other)
    for m2m in model._meta.many_to_many:
        getattr(survivor, m2m.name).add(*getattr(other, m2m.name).all())
    old_pk, old_name = other.pk, other.name
    other._change_reason = _("merged into #%(pk)s %(name)s") % {
        "pk": survivor.pk,
        "name": survivor.name,
    }
    other.delete()
    survivor._change_reason = _("merged with #%(pk)s %(name)s") % {"pk": old_pk, "name": old_name}
    survivor.save()
    kind.record.objects.create(
        old_pk=old_pk, old_name=old_name, survivor=survivor, merged_by=user, moved=moved
    )
    return survivor


def _inherit_self_links(survivor, other):
    """The survivor pointing at the other (its parent company, the person it reports to) now
    points where the other did — never at itself."""
    for model_field in type(survivor)._meta.concrete_fields:
        points_here = model_field.is_relation and model_field.related_model is type(survivor)
        if points_here and getattr(survivor, model_field.attname) == other.pk:
            setattr(survivor, model_field.attname, getattr(other, model_field.attname))
        if points_here and getattr(survivor, model_field.attname) == survivor.pk:
            setattr(survivor, model_field.attname, None)
