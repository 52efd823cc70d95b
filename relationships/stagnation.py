"""Stagnation (METHOD.md §4.5, [I]): a person in the buying group of an open deal whose
relationship stage has not moved for more than N days (`StagnationSetting`, seeded with 60).
同盟 is the top of the ladder, so an alliance never stagnates.

The rule twice, side by side: `is_stagnant` over plain values for one page, `stagnant` as SQL
for lists; tests/relationships/test_stagnation.py keeps them in step.
"""

from datetime import date, datetime, timedelta

from django.db.models import (
    BooleanField,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import Contact
from relationships.defaults import STAGNATION_DAYS
from relationships.ladder import ALLIANCE

ONE_DAY = timedelta(days=1)


def stage_since(last_change: datetime | None, created: datetime | None, today: date) -> date:
    """The day the stage was last set: its last change, else the day the relationship was
    recorded (today for a relationship not recorded yet)."""
    moment = last_change or created
    return timezone.localtime(moment).date() if moment else today


def is_stagnant(*, stage: int, since: date, today: date, days: int, in_open_deal: bool) -> bool:
    """True when a person of an open deal has stayed below 同盟 for more than `days` days."""
    return in_open_deal and stage < ALLIANCE and (today - since).days > days


def open_deal_membership(contact_ref: str = "pk"):
    """EXISTS: the contact is in the buying group of an open deal. The stakeholder model is
    reached through the relation (relationships does not import opportunities)."""
    stakeholder = Contact._meta.get_field("stakeholdings").related_model
    return Exists(
        stakeholder.objects.filter(contact=OuterRef(contact_ref), opportunity__status="open")
    )


def days_setting():
    """The admin's N as a subquery (the seeded default when there is no row)."""
    from relationships.models import StagnationSetting

    return Coalesce(
        Subquery(StagnationSetting.objects.order_by("pk").values("days")[:1]),
        Value(STAGNATION_DAYS),
        output_field=IntegerField(),
    )


def annotate_stagnant(relationships, today: date):
    """Relationships annotated with `stage_since` (a date), `stagnation_days` and `stagnant`
    (the SQL form of is_stagnant)."""
    from relationships.models import StageChange

    last_change = (
        StageChange.objects.filter(relationship=OuterRef("pk"))
        .values("relationship")
        .annotate(last=Max("changed_at"))
        .values("last")
    )
    since = Coalesce(TruncDate(Subquery(last_change)), TruncDate("created_at"))
    limit = ExpressionWrapper(F("stagnation_days") * Value(ONE_DAY), output_field=DurationField())
    return (
        relationships.annotate(
            stage_since=ExpressionWrapper(since, output_field=DateField()),
            stagnation_days=days_setting(),
            in_open_deal=open_deal_membership("contact_id"),
        )
        .annotate(
            stagnates_on=ExpressionWrapper(F("stage_since") + limit, output_field=DateField())
        )
        .annotate(
            stagnant=ExpressionWrapper(
                Q(in_open_deal=True, stage__lt=ALLIANCE, stagnates_on__lt=today),
                output_field=BooleanField(),
            )
        )
    )
