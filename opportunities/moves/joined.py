"""The tables of the move 3–6 sections, each read in one statement (issue 24): a parent with
its children LEFT JOINed and folded (deals/folding.py), or two small reads in one UNION ALL.
Used by moves/selectors.py (the opportunity page's sections and the gates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DateField, F, FilteredRelation, IntegerField, Q, Value

from accounts.models import Contact
from opportunities.deals.folding import columns, fold, instance
from opportunities.models import (
    ConcernSignal,
    Need,
    NeedCategory,
    Opportunity,
    PaymentMilestone,
    PurchaseCriterion,
    Receipt,
    ValuePoint,
)
from opportunities.moves import concerns as concern_rules

ZERO = Decimal(0)
DETECTOR_NOTES = 50  # the most recent activities the detector reads on the page
NOTE, SIGNAL = 0, 1  # the two kinds of rows of detector_inputs
NEED, HELD_BY = "need_", "held_by_"  # the columns of needs


@dataclass(frozen=True)
class CompetitorFit:
    """A competitor's fit to a purchase criterion (1–5) and its weakness there."""

    competitor: str
    fit: int
    weakness: str


def _competitor_fit(row) -> CompetitorFit | None:
    if row.fit_pk is None:
        return None
    return CompetitorFit(row.fit_competitor, row.fit_value, row.fit_weakness)


def criteria(opportunity: Opportunity) -> list[PurchaseCriterion]:
    """The purchase criteria, heaviest first, each with its competitors' fits in `fits`, by
    competitor name (one query: the fits LEFT JOINed, folded)."""
    rows = (
        PurchaseCriterion.objects.filter(opportunity=opportunity)
        .select_related("need", "origin_competitor")
        .annotate(
            fit_pk=F("competitor_fits__pk"),
            fit_competitor=F("competitor_fits__competitor__name"),
            fit_value=F("competitor_fits__fit"),
            fit_weakness=F("competitor_fits__weakness"),
        )
        .order_by("-weight", "pk", "fit_competitor", "fit_pk")
    )
    return fold(rows, "fits", _competitor_fit)


def value_points(opportunity: Opportunity, criteria: list[PurchaseCriterion]) -> list:
    """The value points, each with the criteria it answers in `answered` (in the criteria's
    order), and each criterion's `n_value_points` and `n_proven`. One query: the links LEFT
    JOINed and folded; the criteria are the deal's own, already loaded (the value point form
    offers no other)."""
    rows = (
        ValuePoint.objects.filter(opportunity=opportunity)
        .annotate(criterion_pk=F("criteria__pk"))
        .order_by("pk", "criterion_pk")
    )
    value_points = fold(rows, "criterion_pks", lambda row: row.criterion_pk)
    for criterion in criteria:
        criterion.n_value_points = criterion.n_proven = 0
    for value_point in value_points:
        linked = set(value_point.criterion_pks)
        value_point.answered = [c for c in criteria if c.pk in linked]
        for criterion in value_point.answered:
            criterion.n_value_points += 1
            criterion.n_proven += int(bool(value_point.proof_type))
    return value_points


def detector_inputs(opportunity: Opportunity, since: date):
    """What the concern detector reads, in one statement (a UNION ALL of the two reads): the
    notes of the account's activities since `since`, newest first (at most DETECTOR_NOTES),
    and the active signal phrases by phrase."""
    from relationships.models import Activity

    recent = (
        Activity.objects.filter(account_id=opportunity.account_id, date__gte=since)
        .order_by("-date", "-pk")
        .values("pk")[:DETECTOR_NOTES]
    )
    note_rows = (
        Activity.objects.filter(pk__in=recent)
        .order_by()
        .annotate(kind=Value(NOTE))
        .values_list("kind", "pk", "date", "notes", "outcome")
    )
    signal_rows = (
        ConcernSignal.objects.filter(is_active=True)
        .order_by()
        .annotate(
            kind=Value(SIGNAL),
            no_pk=Value(None, output_field=IntegerField()),
            no_date=Value(None, output_field=DateField()),
        )
        .values_list("kind", "no_pk", "no_date", "phrase", "risk_type")
    )
    rows = list(note_rows.union(signal_rows, all=True).order_by("kind", "-date", "-pk", "notes"))
    notes = [
        concern_rules.Note(pk, day, f"{text}\n{outcome}".strip())
        for kind, pk, day, text, outcome in rows
        if kind == NOTE
    ]
    signals = [
        concern_rules.Signal(phrase, risk) for kind, _, _, phrase, risk in rows if kind == SIGNAL
    ]
    return notes, signals


def _need(row: NeedCategory) -> Need | None:
    need = instance(row, Need, NEED)
    if need is not None:
        need.contact = instance(row, Contact, HELD_BY)
    return need


def needs(opportunity: Opportunity) -> tuple[list[NeedCategory], list[Need]]:
    """The active need categories (by position and code) and the deal's needs (by their
    category's position, then as recorded) with their category and person. One query: every
    category (an inactive one may still hold a need) with the deal's needs LEFT JOINed."""
    rows = (
        NeedCategory.objects.annotate(
            here=FilteredRelation("needs", condition=Q(needs__opportunity=opportunity))
        )
        .annotate(**columns("here", Need, NEED), **columns("here__contact", Contact, HELD_BY))
        .order_by("position", "code", f"{NEED}id")
    )
    categories = fold(rows, "need_list", _need)
    needs = []
    for category in categories:
        for need in category.need_list:
            need.category = category
            needs.append(need)
    needs.sort(key=lambda need: (need.category.position, need.pk))
    return [c for c in categories if c.is_active], needs


def _receipt(row) -> Receipt | None:
    if row.receipt_pk is None:
        return None
    return Receipt(
        pk=row.receipt_pk,
        milestone_id=row.pk,
        amount=row.receipt_amount,
        received_on=row.receipt_on,
        reference=row.receipt_reference,
    )


def milestones(opportunity: Opportunity) -> list[PaymentMilestone]:
    """The payment milestones by due date, each with its receipts in `receipt_list` (oldest
    first) and their sum in `received`. One query: the receipts LEFT JOINed, folded."""
    rows = (
        PaymentMilestone.objects.filter(opportunity=opportunity)
        .annotate(
            receipt_pk=F("receipts__pk"),
            receipt_amount=F("receipts__amount"),
            receipt_on=F("receipts__received_on"),
            receipt_reference=F("receipts__reference"),
        )
        .order_by("due_date", "pk", "receipt_on", "receipt_pk")
    )
    milestones = fold(rows, "receipt_list", _receipt)
    for milestone in milestones:
        milestone.received = sum((r.amount for r in milestone.receipt_list), ZERO)
    return milestones
