"""The deal review (复盘, METHOD.md §9.3): the eight review questions answered from the data,
each with its evidence or "unknown", and what changed since the last review."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Level
from opportunities.models import (
    Commitment,
    Concern,
    Contract,
    Evaluation,
    MoveChange,
    Opportunity,
    PaymentMilestone,
    PipelineSetting,
    ProjectApproval,
    PurchaseCriterion,
    Source,
)
from opportunities.moves.selectors import received_subquery
from opportunities.pipeline import trust_plan
from opportunities.rules import attainment, gates, stages

ZERO = Decimal(0)

REVIEW_LOOKBACK_DAYS = 30
REVIEW_HISTORY = 5


def _trust_rule(opportunity: Opportunity) -> stages.TrustRule:
    """The move-2 gate's rule: from the opportunity's row when the view annotated it
    (pipeline.facts.with_move_gate_facts, as the deal review does), else one query."""
    from opportunities.models import MoveThresholdSetting
    from opportunities.pipeline import facts as deal_facts

    if hasattr(opportunity, "gate_trust_stage"):
        return deal_facts.move_gate_facts(opportunity)["trust"]
    return MoveThresholdSetting.current().trust_rule()


def _may_record(opportunity: Opportunity, user) -> bool:
    """Whether `user` may record the review: from the row when the view annotated
    `may_record` (policy.decides_for_annotation), else one query."""
    from opportunities.deals import selectors

    if hasattr(opportunity, "may_record"):
        return bool(opportunity.may_record)
    return selectors.can_override(user, opportunity)


def deal_review(opportunity: Opportunity, user, *, today: date | None = None) -> dict:
    """The eight review questions answered from the data, each with its evidence or
    "unknown"; the trust plan of the buying group (trust_plan.py); the relationship-stage and
    move changes since the last review; the last reviews. A fixed number of queries (see
    tests/opportunities/test_pipeline_queries.py)."""
    from opportunities.deals import selectors
    from opportunities.models import QualificationSetting
    from opportunities.rules import powermap
    from relationships.models import StageChange

    today = today or timezone.localdate()
    setting = PipelineSetting.current()
    stakeholders = selectors.stakeholders_of(opportunity)
    result = selectors.qualify(opportunity, stakeholders, QualificationSetting.rules(), today)
    reviews = list(
        opportunity.reviews.select_related("reviewed_by").order_by("-reviewed_at", "-pk")[
            :REVIEW_HISTORY
        ]
    )
    last = reviews[0] if reviews else None
    since = last.reviewed_at if last else timezone.now() - timedelta(days=REVIEW_LOOKBACK_DAYS)
    move_changes = list(
        MoveChange.objects.filter(opportunity=opportunity)
        .select_related("changed_by")
        .order_by("changed_at", "pk")
    )
    contact_ids = [s.contact_id for s in stakeholders]
    stage_changes = list(
        StageChange.objects.filter(relationship__contact_id__in=contact_ids, changed_at__gt=since)
        .select_related("relationship__contact", "changed_by")
        .order_by("-changed_at", "-pk")[:30]
    )
    people = selectors.map_people(stakeholders)
    gate = selectors.gate_facts(stakeholders, result, moves={"trust": _trust_rule(opportunity)})
    plan = trust_plan.plan_for(
        move=opportunity.move,
        facts=gate,
        contact_ids=contact_ids,
        roles=[tuple(label for _code, label in p.roles) for p in people],
        user=user,
        today=today,
    )
    answers = [
        _q1_real(opportunity, result),
        _q2_guides(stakeholders, people, powermap.gaps(people), plan),
        _q3_trust(stakeholders, plan, gate),
        _q4_approval(opportunity),
        _q5_criteria(opportunity),
        _q6_period(opportunity, move_changes, setting.late_entry_move),
        _q7_concerns(opportunity),
        _q8_payment(opportunity, today),
    ]
    return {
        "answers": answers,
        "unknown_count": sum(1 for a in answers if a.is_unknown),
        "qualification": result,
        "trust_plan": plan,
        "reviews": reviews,
        "last_review": last,
        "since": since,
        "stage_changes": [
            {
                "change": change,
                "contact": change.relationship.contact,
                "from_label": trust_plan.stage_label(change.from_stage),
                "to_label": trust_plan.stage_label(change.to_stage),
                "up": change.to_stage > change.from_stage,
            }
            for change in stage_changes
        ],
        "move_changes": [c for c in reversed(move_changes) if c.changed_at > since],
        "may_record": _may_record(opportunity, user),
    }


def _q1_real(opportunity, result) -> attainment.Answer:
    inputs = [
        opportunity.budget_amount,
        opportunity.decision_date,
        opportunity.fit,
        opportunity.margin_percent,
        opportunity.win_estimate,
    ]
    if all(value is None for value in inputs):
        return attainment.unknown(
            1, _("None of the five criteria is filled in on the qualification card.")
        )
    evidence = [f"{c.label}: {c.score} — {c.explanation}" for c in result.criteria]
    status = attainment.AnswerStatus.GOOD if result.passes else attainment.AnswerStatus.WARNING
    return attainment.answer(1, status, result.summary, evidence)


def _q2_guides(stakeholders, people, gaps, plan) -> attainment.Answer:
    if not stakeholders:
        return attainment.unknown(2, _("No buying group (采购小组) recorded yet."))
    guides = [s for s in stakeholders if s.contact.is_guide]
    if len(guides) >= 2:
        status, text = attainment.AnswerStatus.GOOD, _("Two guides or more: a double safeguard.")
    elif guides:
        status = attainment.AnswerStatus.WARNING
        text = _("One guide; develop a second one as a double safeguard (双向导，双保险).")
    else:
        status, text = attainment.AnswerStatus.WARNING, _("No guide (向导) yet.")
    guide_ids = {s.contact_id for s in guides}
    evidence = [
        _("Guide: %(plan)s") % {"plan": trust_plan.line(row)}
        for row in plan.rows
        if row.contact_id in guide_ids
    ]
    roles = sorted({label for p in people for _code, label in p.roles})
    if roles:
        evidence.append(_("Roles known: %(roles)s") % {"roles": ", ".join(roles)})
    evidence += [gap.text for gap in gaps]
    return attainment.answer(2, status, text, evidence)


def _q3_trust(stakeholders, plan, gate) -> attainment.Answer:
    """Move 2's exit as the trust plan reads it: every key person at the gate's stage, and
    enough decision-level people there (gates.exit_checks over the same facts)."""
    if not stakeholders:
        return attainment.unknown(3, _("No buying group (采购小组) recorded yet."))
    checks = {c.code: c for c in gates.exit_checks(trust_plan.STAGE_GATE, gate)}
    values = {
        "n": sum(1 for person in gate.people if plan.rule.reached(person)),
        "stage": plan.target_label,
    }
    by_contact = {s.contact_id: s for s in stakeholders}
    evidence = [trust_plan.line(row) for row in plan.rows if row.target is not None]
    evidence += [
        f"{row.name}: {trust_plan.stage_text(row)}"
        + (
            f" · {Level.DECISION.label}"
            if by_contact[row.contact_id].contact.level == Level.DECISION
            else ""
        )
        for row in plan.rows
        if row.target is None
    ]
    key = [row for row in plan.rows if row.is_key]
    behind = [row for row in key if not row.on_target]
    if not key:
        text = _("No key person (decision maker or high influence) in the buying group yet.")
        return attainment.answer(3, attainment.AnswerStatus.WARNING, text, evidence)
    if behind:
        text = _("%(n)s at %(stage)s or beyond; key people still below it: %(names)s.") % {
            **values,
            "names": ", ".join(row.name for row in behind),
        }
        return attainment.answer(3, attainment.AnswerStatus.WARNING, text, evidence)
    if not checks["decision_level"].is_met:
        text = _("%(n)s at %(stage)s or beyond, but not enough people at decision level.") % values
        return attainment.answer(3, attainment.AnswerStatus.WARNING, text, evidence)
    text = _("%(n)s at %(stage)s or beyond: the key people and the decision level.") % values
    return attainment.answer(3, attainment.AnswerStatus.GOOD, text, evidence)


def _one_to_one(opportunity, name: str, model):
    """The deal's `name` one-to-one (approval, evaluation, contract): from the opportunity's
    row when the view fetched it with select_related (the deal review does), else one query."""
    if name in opportunity._state.fields_cache:
        return opportunity._state.fields_cache[name]
    return model.objects.filter(opportunity=opportunity).first()


def _q4_approval(opportunity) -> attainment.Answer:
    estimate = _("The rep's move-1 estimate: budget %(status)s.") % {
        "status": opportunity.get_budget_status_display()
    }
    approval = _one_to_one(opportunity, "project_approval", ProjectApproval)
    if approval is None:
        return attainment.answer(
            4,
            attainment.AnswerStatus.UNKNOWN,
            _("No project approval (立项) recorded."),
            [estimate],
        )
    evidence = [
        f"{approval._meta.get_field('decision').verbose_name}: {approval.get_decision_display()}"
    ]
    if approval.approved_budget is not None:
        evidence.append(
            _("Approved budget: ¥%(amount)s") % {"amount": f"{approval.approved_budget:,.0f}"}
        )
    has_roi = bool(approval.roi_note.strip() or approval.value_proposal_url)
    evidence.append(
        _("ROI case / value proposal recorded.") if has_roi else _("No ROI case recorded.")
    )
    approved = approval.decision == "yes" and approval.approved_budget is not None
    if approved and has_roi:
        return attainment.answer(
            4, attainment.AnswerStatus.GOOD, _("Approved with a budget; ROI case seen."), evidence
        )
    text = _("Approved with a budget.") if approved else _("Not approved yet.")
    return attainment.answer(4, attainment.AnswerStatus.WARNING, text, evidence)


def _q5_criteria(opportunity) -> attainment.Answer:
    criteria = list(
        PurchaseCriterion.objects.filter(opportunity=opportunity)
        .annotate(best_competitor=Max("competitor_fits__fit"))
        .order_by("-weight", "pk")
    )
    if not criteria:
        return attainment.unknown(5, _("No purchase criteria (采购指标) recorded."))
    total = sum(c.weight or 0 for c in criteria)
    ours = sum(c.weight or 0 for c in criteria if c.origin == "us")
    weaker = [
        c
        for c in criteria
        if c.our_fit is not None and c.best_competitor is not None and c.our_fit < c.best_competitor
    ]
    share = attainment.ratio(ours, total)
    text = _("We shaped %(ours)s of %(total)s weight points (%(share)s%%); weaker on %(n)s.") % {
        "ours": ours,
        "total": total,
        "share": share if share is not None else "—",
        "n": len(weaker),
    }
    evidence = [
        _("Weaker than the competitor on: %(text)s (our fit %(ours)s, theirs %(theirs)s)")
        % {"text": c.text, "ours": c.our_fit, "theirs": c.best_competitor}
        for c in weaker
    ]
    status = (
        attainment.AnswerStatus.GOOD
        if share is not None and share >= 50 and not weaker
        else attainment.AnswerStatus.WARNING
    )
    return attainment.answer(5, status, text, evidence)


def _q6_period(opportunity, move_changes, late_move) -> attainment.Answer:
    first = move_changes[0].to_move if move_changes else opportunity.move
    evaluation = _one_to_one(opportunity, "evaluation", Evaluation)
    rfp_date = evaluation.rfp_date if evaluation is not None else None
    created = timezone.localtime(opportunity.created_at).date() if opportunity.created_at else None
    rfp_before = bool(rfp_date and created and rfp_date <= created)
    late = (
        attainment.is_late_entry(
            first, from_tender=opportunity.source == Source.TENDER, late_move=late_move
        )
        or rfp_before
    )
    competition = opportunity.move >= stages.Move.VALUE or bool(rfp_date)
    period = _("competition period (竞争期)") if competition else _("lead-in period (引导期)")
    evidence = [_("First recorded in move %(move)s.") % {"move": first}]
    if rfp_date:
        evidence.append(_("RFP / tender issued on %(date)s.") % {"date": rfp_date.isoformat()})
    if opportunity.source == Source.TENDER:
        evidence.append(str(Source.TENDER.label))
    if late:
        text = _("%(period)s; entered late: the criteria were set without us.") % {"period": period}
        return attainment.answer(6, attainment.AnswerStatus.WARNING, text, evidence)
    text = _("%(period)s; entered early.") % {"period": period}
    return attainment.answer(6, attainment.AnswerStatus.GOOD, text, evidence)


def _q7_concerns(opportunity) -> attainment.Answer:
    concerns = list(
        Concern.objects.filter(opportunity=opportunity).exclude(status="resolved").order_by("pk")
    )
    if not concerns:
        if opportunity.move >= stages.Move.COMMITMENT and opportunity.is_open:
            return attainment.answer(
                7,
                attainment.AnswerStatus.WARNING,
                _("No concern recorded in move 5: listen for the signals (“let's wait a little”)."),
            )
        return attainment.answer(7, attainment.AnswerStatus.GOOD, _("No open concern."))
    without_plan = [c for c in concerns if not c.has_plan]
    evidence = [
        f"{c.get_risk_type_display()}: {c.signal}"
        + ("" if c.has_plan else f" — {_('no prevention and remedy plan')}")
        for c in concerns
    ]
    text = _("%(n)s open, %(m)s without a prevention and remedy plan.") % {
        "n": len(concerns),
        "m": len(without_plan),
    }
    status = attainment.AnswerStatus.WARNING if without_plan else attainment.AnswerStatus.GOOD
    return attainment.answer(7, status, text, evidence)


def _q8_payment(opportunity, today) -> attainment.Answer:
    contract = _one_to_one(opportunity, "contract", Contract)
    milestones = list(
        PaymentMilestone.objects.filter(opportunity=opportunity)
        .annotate(received=received_subquery())
        .order_by("due_date", "pk")
    )
    promises = list(
        Commitment.objects.filter(opportunity=opportunity, fulfilled_on__isnull=True).order_by(
            "due_date", "pk"
        )
    )
    if contract is None and not milestones:
        answer = attainment.unknown(8, _("No contract or payment terms recorded yet."))
        answer.evidence = [
            _("Promised: %(what)s, due %(date)s") % {"what": c.what, "date": c.due_date.isoformat()}
            for c in promises
        ]
        return answer
    evidence = []
    if contract is not None and contract.payment_terms:
        evidence.append(_("Payment terms: %(terms)s") % {"terms": contract.payment_terms})
    overdue = [m for m in milestones if m.status != "paid" and m.due_date < today]
    for m in milestones:
        remaining = m.amount - m.received
        evidence.append(
            _("%(name)s: ¥%(amount)s due %(date)s, ¥%(left)s still to collect")
            % {
                "name": m.name,
                "amount": f"{m.amount:,.0f}",
                "date": m.due_date.isoformat(),
                "left": f"{max(remaining, ZERO):,.0f}",
            }
        )
    evidence += [
        _("Promised: %(what)s, due %(date)s") % {"what": c.what, "date": c.due_date.isoformat()}
        for c in promises
    ]
    overdue_amount = sum((m.amount - m.received for m in overdue), ZERO)
    if overdue:
        text = _("%(n)s milestone(s) overdue, ¥%(amount)s; %(p)s promise(s) open.") % {
            "n": len(overdue),
            "amount": f"{overdue_amount:,.0f}",
            "p": len(promises),
        }
        return attainment.answer(8, attainment.AnswerStatus.WARNING, text, evidence)
    text = _("Nothing overdue; %(p)s promise(s) open.") % {"p": len(promises)}
    return attainment.answer(8, attainment.AnswerStatus.GOOD, text, evidence)
