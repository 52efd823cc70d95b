"""Recent changes of an opportunity and of a relationship, for their pages (who, when,
field old → new), built on the generic reader in crm/history.py."""

from django.utils.translation import gettext as _

from crm import history
from opportunities.models import LineItem, Opportunity, Stakeholder
from relationships.models import Activity, Relationship

# A deal's bookkeeping fields change with every move or view; their own history says more.
OPPORTUNITY_IGNORED = [
    *history.IGNORED,
    "qualification_score",
    "qualification_verdict",
    "entered_move_at",
]


def opportunity_changes(opportunity: Opportunity, limit: int = history.RECENT) -> list:
    """The deal's own changes with their fields, and its line items and buying group as
    events (3 queries)."""
    changes = history.own_changes(
        Opportunity,
        opportunity.pk,
        str(Opportunity._meta.verbose_name),
        limit,
        ignored=OPPORTUNITY_IGNORED,
    )
    changes += history.events(
        LineItem.history.filter(opportunity_id=opportunity.pk).select_related("product"),
        limit,
        _("line item"),
        name=lambda r: r.product.name if r.product else "",
    )
    changes += history.events(
        Stakeholder.history.filter(opportunity_id=opportunity.pk).select_related("contact"),
        limit,
        _("buying group"),
        name=lambda r: r.contact.name if r.contact else "",
    )
    return history.newest(changes, limit)


def relationship_changes(relationship: Relationship | None, limit: int = history.RECENT) -> list:
    """The relationship's own changes with their fields, and the person's activities as
    events (2 queries)."""
    if relationship is None:
        return []
    changes = history.own_changes(
        Relationship, relationship.pk, _("relationship"), limit, name=lambda r: ""
    )
    changes += history.events(
        Activity.history.filter(
            id__in=Activity.contacts.through.objects.filter(
                contact_id=relationship.contact_id
            ).values("activity_id")
        ).select_related("type"),
        limit,
        _("activity"),
        name=lambda r: f"{r.date:%Y-%m-%d} {r.type.name if r.type else ''}".strip(),
    )
    return history.newest(changes, limit)
