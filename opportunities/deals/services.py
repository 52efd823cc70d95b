"""Writes that span models: each one atomic, and every move or status change recorded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.webhooks import payloads
from crm.webhooks.events import Event, emit
from opportunities.deals import selectors
from opportunities.models import (
    MoveChange,
    Opportunity,
    QualificationSetting,
    Stakeholder,
    StakeholderRole,
    Status,
)
from opportunities.pipeline import facts as deal_facts
from opportunities.rules import gates, stages


class MoveRefused(Exception):
    """A move change the user may not make; `blocking` lists the unmet checks."""

    def __init__(self, message: str, blocking: tuple[stages.Check, ...] = ()):
        super().__init__(message)
        self.message = message
        self.blocking = blocking


def recalculate_amount(opportunity: Opportunity) -> Decimal:
    """Keep Opportunity.amount equal to the total of its line items."""
    total = sum((item.total for item in opportunity.line_items.all()), Decimal(0))
    if opportunity.amount != total:
        opportunity.amount = total
        Opportunity.objects.filter(pk=opportunity.pk).update(amount=total)
    return total


def refresh_qualification(opportunity: Opportunity, *, today: date | None = None):
    """Store the current qualification score and verdict on the deal (the list filters on
    them). Cheap: called after every change of its inputs and when the deal is viewed."""
    today = today or timezone.localdate()
    result = selectors.qualify(
        opportunity,
        selectors.stakeholders_of(opportunity),
        QualificationSetting.rules(),
        today,
    )
    store_qualification(opportunity, result, today)
    return result


def store_qualification(opportunity: Opportunity, result, today: date) -> None:
    if (
        opportunity.qualification_score != result.overall
        or opportunity.qualification_verdict != result.verdict
        or opportunity.qualified_on != today
    ):
        verdict_changed = opportunity.qualification_verdict != result.verdict
        opportunity.qualification_score = result.overall
        opportunity.qualification_verdict = result.verdict
        opportunity.qualified_on = today
        # update(), not save(): a snapshot, not an edit worth a history row or a version bump.
        Opportunity.objects.filter(pk=opportunity.pk).update(
            qualification_score=result.overall,
            qualification_verdict=result.verdict,
            qualified_on=today,
        )
        if verdict_changed:  # the verdict is move 1's first exit check (stage inflation)
            deal_facts.refresh([opportunity.pk])


def _record(opportunity, *, from_move, from_status, by, is_override=False, reason="", checks=()):
    MoveChange.objects.create(
        opportunity=opportunity,
        from_move=from_move,
        to_move=opportunity.move,
        from_status=from_status,
        to_status=opportunity.status,
        changed_at=opportunity.entered_move_at if from_move != opportunity.move else timezone.now(),
        changed_by=by,
        is_override=is_override,
        reason=reason,
        overridden_checks="\n".join(f"{c.label}: {c.status_label}" for c in checks),
    )


@transaction.atomic
def save_opportunity(form, line_items, *, by) -> Opportunity:
    """Create or update a deal from its form and line-item formset, atomically.

    A new deal starts in move 1 and its first history row says so. The form guards against
    concurrent edits (crm/concurrency.py): a stale one raises EditConflict and nothing of the
    deal or its line items is written.
    """
    opportunity = form.instance
    creating = opportunity.pk is None
    if creating:
        opportunity.entered_move_at = timezone.now()
    opportunity = form.save()
    line_items.instance = opportunity
    line_items.save()
    recalculate_amount(opportunity)
    if creating:
        _record(opportunity, from_move=None, from_status="", by=by)
    refresh_qualification(opportunity)
    deal_facts.refresh([opportunity.pk])
    return opportunity


def _locked(opportunity: Opportunity) -> Opportunity:
    # Lock the row so two people moving the same deal cannot both write from the same state.
    return Opportunity.objects.select_for_update().get(pk=opportunity.pk)


def gate(
    current: Opportunity,
    *,
    to_move: int,
    by,
    override: bool = False,
    reason: str = "",
    today: date | None = None,
):
    """The one gate decision for every way a deal goes forward or becomes won (a move change,
    the outcome page, the signed contract, an import's update): the unmet exit checks of every
    move passed through, refused for a rep, passable by a manager of the owner's team (or an
    admin) with a written reason. Returns (decision, qualification); raises MoveRefused."""
    stakeholders = selectors.stakeholders_of(current)
    today = today or timezone.localdate()
    result = selectors.qualify(current, stakeholders, QualificationSetting.rules(), today)
    facts = selectors.gate_facts(stakeholders, result, opportunity=current)
    may_override = selectors.can_override(by, current)
    decision = gates.decide_move(
        current.move, to_move, facts, may_override=may_override, override=override
    )
    if decision.direction == "same":
        raise MoveRefused(_("The opportunity is already in this move."))
    if decision.needs_override and not decision.allowed:
        if not may_override:
            message = _(
                "The exit checks are not all met. Work on them, or ask a manager of the "
                "owner's team to override with a reason."
            )
        else:
            message = _("The exit checks are not all met: tick “override” and give a reason.")
        raise MoveRefused(message, decision.blocking)
    if decision.needs_override and not reason.strip():
        raise MoveRefused(_("An override needs a written reason."), decision.blocking)
    return decision, result


def _overridden(decision: gates.MoveDecision) -> str:
    return "\n".join(f"{c.label}: {c.status_label}" for c in decision.blocking)


@transaction.atomic
def change_move(
    opportunity: Opportunity,
    *,
    to_move: int,
    by,
    override: bool = False,
    reason: str = "",
    today: date | None = None,
) -> MoveChange:
    """Move an open deal to another move.

    Back: always allowed. Forward: through `gate()`. Entering move 6 means the contract is
    signed: the deal becomes won.
    """
    current = _locked(opportunity)
    if current.status != Status.OPEN:
        raise MoveRefused(_("Only an open opportunity can change its move; reopen it first."))
    today = today or timezone.localdate()
    decision, result = gate(
        current, to_move=to_move, by=by, override=override, reason=reason, today=today
    )
    from_move, from_status = current.move, current.status
    current.move = to_move
    current.entered_move_at = timezone.now()
    fields = ["move", "entered_move_at", "updated_at"]
    if to_move == stages.WON_MOVE:
        current.status = Status.WON
        current.closed_at = current.entered_move_at
        fields += ["status", "closed_at"]
    current.save(update_fields=fields)
    change = MoveChange.objects.create(
        opportunity=current,
        from_move=from_move,
        to_move=to_move,
        from_status=from_status,
        to_status=current.status,
        changed_at=current.entered_move_at,
        changed_by=by,
        is_override=decision.needs_override,
        self_approved=decision.needs_override and by.pk == current.owner_id,
        reason=reason.strip(),
        overridden_checks=_overridden(decision),
    )
    store_qualification(current, result, today)
    deal_facts.refresh([current.pk])
    _announce(current, from_move, from_status)
    opportunity.refresh_from_db()
    return change


@transaction.atomic
def set_outcome(
    opportunity: Opportunity,
    *,
    status: str,
    by,
    data: dict,
    override: bool = False,
    reason: str = "",
) -> MoveChange:
    """Close a deal as won, lost or abandoned, or reopen it; recorded in the move history.

    Won puts the deal in move 6 (回收账款: the contract is signed) through the same gate as a
    move change (`gate()`): a rep cannot skip unmet exit checks, a manager overrides them with
    a reason. Reopening a won deal puts it back in move 5; a lost or abandoned one stays in
    the move it was lost in.
    """
    current = _locked(opportunity)
    if status == current.status:
        raise MoveRefused(_("The opportunity already has this status."))
    decision = None
    if status == Status.WON:
        decision, _result = gate(
            current, to_move=stages.WON_MOVE, by=by, override=override, reason=reason
        )
    from_move, from_status = current.move, current.status
    now = timezone.now()
    current.status = status
    if status == Status.OPEN:
        current.closed_at = None
        current.lost_to = None
        current.lost_at_buyer_stage = ""
        current.lost_reason = ""
        current.next_step = data["next_step"]
        current.next_step_date = data["next_step_date"]
        if current.move == stages.WON_MOVE:
            current.move = stages.Move.COMMITMENT
    else:
        current.closed_at = now
        if status == Status.WON:
            current.move = stages.WON_MOVE
            current.lost_to = None
            current.lost_at_buyer_stage = ""
            current.lost_reason = ""
        else:
            current.lost_to = data.get("lost_to") if status == Status.LOST else None
            current.lost_at_buyer_stage = (
                data.get("lost_at_buyer_stage", "") if status == Status.LOST else ""
            )
            current.lost_reason = data["lost_reason"]
    if current.move != from_move:
        current.entered_move_at = now
    # Closing is not the place to fix an imported deal's missing account (the deal form is).
    current.full_clean(exclude=["expected_close_date", "account"])
    current.save()
    is_override = bool(decision and decision.needs_override)
    change = MoveChange.objects.create(
        opportunity=current,
        from_move=from_move,
        to_move=current.move,
        from_status=from_status,
        to_status=status,
        changed_at=now,
        changed_by=by,
        is_override=is_override,
        self_approved=is_override and by.pk == current.owner_id,
        reason=reason.strip() if is_override else current.lost_reason,
        overridden_checks=_overridden(decision) if decision else "",
    )
    deal_facts.refresh([current.pk])
    _announce(current, from_move, from_status)
    opportunity.refresh_from_db()
    return change


def _announce(deal: Opportunity, from_move: int, from_status: str) -> None:
    """Tell the webhooks' subscribers (crm.webhooks) once the change commits."""
    if deal.move != from_move:
        emit(Event.DEAL_MOVED, payloads.deal(deal, from_move=from_move))
    if deal.status != from_status and deal.status in (Status.WON, Status.LOST):
        emit(Event.DEAL_WON if deal.status == Status.WON else Event.DEAL_LOST, payloads.deal(deal))


@transaction.atomic
def save_stakeholder(form, *, opportunity: Opportunity) -> Stakeholder:
    """Save a stakeholder and its set of purchase roles together; an edit is saved under the
    row lock with its version re-checked (crm.concurrency.EditConflict)."""
    form.instance.opportunity = opportunity
    stakeholder = form.save()
    wanted = set(form.cleaned_data["roles"])
    existing = set(stakeholder.roles.values_list("role", flat=True))
    stakeholder.roles.exclude(role__in=wanted).delete()
    StakeholderRole.objects.bulk_create(
        StakeholderRole(stakeholder=stakeholder, role=role) for role in sorted(wanted - existing)
    )
    refresh_qualification(opportunity)
    deal_facts.refresh([opportunity.pk])
    return stakeholder


@transaction.atomic
def remove_stakeholder(stakeholder: Stakeholder) -> None:
    opportunity = stakeholder.opportunity
    stakeholder.delete()
    refresh_qualification(opportunity)
    deal_facts.refresh([opportunity.pk])
