"""Writes of moves 3–6 that span models: each one atomic."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from crm.webhooks import payloads
from crm.webhooks.events import Event, emit
from opportunities.deals import services
from opportunities.models import (
    Approval,
    Contract,
    CriterionCompetitorFit,
    MilestoneStatus,
    NegotiationItem,
    Opportunity,
    PaymentMilestone,
    Receipt,
    Status,
)
from opportunities.moves import receivables
from opportunities.pipeline import facts


@transaction.atomic
def save_criterion(form):
    """A criterion and its competitors' fits together (a fit left empty is removed)."""
    criterion = form.try_save()
    if criterion is None:
        return None
    for competitor_id, (fit, weakness) in form.fits().items():
        if fit is None:
            CriterionCompetitorFit.objects.filter(
                criterion=criterion, competitor_id=competitor_id
            ).delete()
        else:
            CriterionCompetitorFit.objects.update_or_create(
                criterion=criterion,
                competitor_id=competitor_id,
                defaults={"fit": fit, "weakness": weakness},
            )
    return criterion


@transaction.atomic
def save_negotiation_item(form):
    """Save a negotiation item; a discount above the limit waits for a manager's approval,
    and changing an approved discount asks again."""
    item = form.instance
    needs = form.needs_approval()
    if not needs:
        item.approval = Approval.NOT_NEEDED
    elif "discount_percent" in form.changed_data or item.approval == Approval.NOT_NEEDED:
        item.approval = Approval.PENDING
        item.decided_by, item.decided_at = None, None
        item.self_approved = False
    return form.try_save()


@transaction.atomic
def decide_negotiation_item(item: NegotiationItem, *, approve: bool, by) -> NegotiationItem:
    locked = NegotiationItem.objects.select_for_update().get(pk=item.pk)
    locked.approval = Approval.APPROVED if approve else Approval.REJECTED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    # Separation of duties waived (ALLOW_SELF_APPROVAL): recorded on the item and its history.
    locked.self_approved = by.pk == locked.opportunity.owner_id
    locked.save()
    return locked


@transaction.atomic
def sign_contract(form, *, by, override: bool = False, reason: str = "") -> Contract | None:
    """Record the signed contract. A signed contract is the end flag of move 5: an open deal
    becomes won and enters move 6 through the outcome service and its gate — a deal in an
    early move needs a manager's override, or nothing is written (MoveRefused)."""
    contract = form.try_save()
    if contract is None:
        return None
    opportunity = Opportunity.objects.get(pk=contract.opportunity_id)
    if opportunity.status == Status.OPEN:
        services.set_outcome(
            opportunity, status=Status.WON, by=by, data={}, override=override, reason=reason
        )
    refresh_collection(opportunity)
    return contract


def refresh_collection(opportunity: Opportunity) -> None:
    """Keep each milestone's status and the contract's "fully collected" time in step with the
    receipts (METHOD.md §8: the sale is complete only at 100%)."""
    received_total = Decimal(0)
    for milestone in PaymentMilestone.objects.filter(opportunity=opportunity):
        received = milestone.received_so_far()
        received_total += received
        if received >= milestone.amount:
            status = MilestoneStatus.PAID
        elif milestone.invoice_number:
            status = MilestoneStatus.INVOICED
        else:
            status = MilestoneStatus.PLANNED
        if milestone.status != status:
            milestone.status = status
            milestone.save(update_fields=["status", "updated_at"])
    contract = Contract.objects.filter(opportunity=opportunity).first()
    if contract is None:
        return
    complete = receivables.is_complete(contract.amount, received_total)
    if complete and contract.collected_at is None:
        contract.collected_at = timezone.now()
        contract.save(update_fields=["collected_at", "updated_at"])
    elif not complete and contract.collected_at is not None:
        contract.collected_at = None
        contract.save(update_fields=["collected_at", "updated_at"])


@transaction.atomic
def save_milestone(form):
    milestone = form.try_save()
    if milestone is not None:
        refresh_collection(milestone.opportunity)
    return milestone


@transaction.atomic
def save_receipt(form):
    """Save a receipt with its milestone locked, so two receipts entered at once cannot both
    pass the "not more than what is still due" check."""
    milestone = PaymentMilestone.objects.select_for_update().get(
        pk=form.cleaned_data["milestone"].pk
    )
    before = milestone.received_so_far(excluding=form.instance.pk)
    if not receivables.check_receipt(milestone.amount, before, form.cleaned_data["amount"]).ok:
        form.add_error("amount", form.fields["amount"].error_messages.get("invalid"))
        return None
    creating = form.instance.pk is None
    receipt = form.try_save()
    if receipt is not None:
        refresh_collection(milestone.opportunity)
        if creating:
            emit(Event.PAYMENT_RECEIVED, payloads.receipt(receipt))
    return receipt


@transaction.atomic
def delete_record(record) -> None:
    """Delete a record of moves 3–6; money records keep the collection state in step."""
    opportunity_id = (
        record.milestone.opportunity_id if isinstance(record, Receipt) else record.opportunity_id
    )
    if isinstance(record, PaymentMilestone) and record.receipts.exists():
        raise ValueError("milestone has receipts")
    record.delete()
    refresh_collection(Opportunity.objects.get(pk=opportunity_id))
    facts.refresh([opportunity_id])
