"""Reads used by the opportunity screens: each one a bounded number of queries (the
opportunity page's own row and sections: page.py)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, DateField, F, OuterRef, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from accounts.models import Level
from crm import policy
from opportunities.deals.folding import fold
from opportunities.models import (
    Attitude,
    Influence,
    MoveProbabilitySetting,
    Opportunity,
    PurchaseRole,
    Stakeholder,
    Status,
)
from opportunities.moves import selectors as move_selectors
from opportunities.rules import powermap, qualification, stages

BOARD_CARDS_PER_MOVE = 8


def opportunities_for(user, probabilities: dict[int, int] | None = None):
    """The deals `user` may see, with account, owner and the SQL-computed weighted amount."""
    if probabilities is None:
        probabilities = MoveProbabilitySetting.probabilities()
    return (
        Opportunity.objects.visible_to(user)
        .select_related("account", "owner")
        .with_weighted_amount(probabilities)
    )


FAR_FUTURE = Value(date(9999, 12, 31), output_field=DateField())


def default_order(user) -> list:
    """The list's default order: soonest to close first, undated last, then by id. For an
    admin, who sees every deal, the close-date index walks straight to the first page. For
    anyone else the first rows of that index are mostly other teams' deals (every team's
    oldest, or an imported history closing years ago), and PostgreSQL, which assumes the
    visible deals are spread evenly, walked thousands of them (70 ms for a manager at the large
    size): sorting by an expression it cannot take from that index makes it read the user's own
    deals and sort them (9 ms; docs/performance.md)."""
    if policy.is_admin(user):
        return [F("expected_close_date").asc(nulls_last=True), "pk"]
    return [Coalesce("expected_close_date", FAR_FUTURE), "pk"]


def totals(queryset) -> dict:
    """Count, amount and weighted amount of a filtered set, in one SQL aggregate."""
    values = queryset.order_by().aggregate(
        count=Count("pk"), amount=Sum("amount"), weighted=Sum("weighted_amount")
    )
    return {k: v or 0 for k, v in values.items()}


def board(queryset, *, per_move: int = BOARD_CARDS_PER_MOVE) -> list[dict]:
    """Columns of the board, one per move: count, amount and weighted amount for all deals in
    the filtered set, and at most `per_move` cards (the soonest to close) so the page stays
    bounded. Two queries whatever the data size."""
    live = queryset.filter(status__in=[Status.OPEN, Status.WON])
    sums = {
        row["move"]: row
        for row in live.order_by()
        .values("move")
        .annotate(count=Count("pk"), amount=Sum("amount"), weighted=Sum("weighted_amount"))
    }
    # Rank the narrow rows first, then fetch the few cards with their joins: the window runs
    # over every live deal in reach (12,700 for a manager at the large size).
    ranked = (
        live.order_by()
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("move")],
                order_by=[F("expected_close_date").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=per_move)
        .values("pk")
    )
    cards: dict[int, list] = {}
    for opportunity in live.filter(pk__in=ranked).order_by("move", "expected_close_date", "pk"):
        cards.setdefault(opportunity.move, []).append(opportunity)
    columns = []
    for move in stages.Move:
        row = sums.get(move.value, {})
        count = row.get("count", 0)
        shown = cards.get(move.value, [])
        columns.append(
            {
                "move": move,
                "definition": stages.MOVES[move],
                "count": count,
                "amount": row.get("amount") or 0,
                "weighted": row.get("weighted") or 0,
                "cards": shown,
                "hidden": max(count - len(shown), 0),
            }
        )
    return columns


def can_override(user, opportunity: Opportunity) -> bool:
    """A manager of one of the owner's teams, or an admin, may override a gate, decide on the
    deal's negotiation items and record its review — never on their own deal."""
    return policy.decides_for(user, opportunity.owner_id)


def evidence_stage(today: date | None = None) -> Subquery:
    """The highest relationship stage a completed activity with the stakeholder's contact
    supports: done (dated today or before) and not refused or still waiting for approval
    (METHOD.md §9.2: a stage counts only when such an activity supports it)."""
    from relationships.models import Activity

    today = today or timezone.localdate()
    done = (
        Activity.objects.filter(
            contacts=OuterRef("contact_id"),
            date__lte=today,
            approval_status__in=[Activity.Approval.NOT_NEEDED, Activity.Approval.APPROVED],
            type__stage__isnull=False,
        )
        .order_by("-type__stage")
        .values("type__stage")[:1]
    )
    return Subquery(done)


def stakeholders_of(opportunity: Opportunity) -> list[Stakeholder]:
    """The buying group with contacts, relationship stages, the stage their completed
    activities support, and roles (two queries)."""
    return list(
        Stakeholder.objects.filter(opportunity=opportunity)
        .select_related("contact")
        .annotate(
            relationship_stage=F("contact__relationship__stage"), evidence_stage=evidence_stage()
        )
        .prefetch_related("roles")
        .order_by("contact__name", "pk")
    )


def _stagnation() -> dict:
    """relationships.stagnation.annotate_stagnant over each stakeholder's relationship, as
    subqueries of the same row: `stagnant` and `stage_since`, no query of their own."""
    from relationships.models import Relationship
    from relationships.stagnation import annotate_stagnant

    rows = annotate_stagnant(
        Relationship.objects.filter(contact_id=OuterRef("contact_id")), timezone.localdate()
    )
    return {
        "stagnant": Subquery(rows.values("stagnant")[:1]),
        "stage_since": Subquery(rows.values("stage_since")[:1]),
    }


def buying_group(opportunity: Opportunity) -> list[Stakeholder]:
    """The buying group as the opportunity page reads it, in one query: contacts and
    relationship stages joined, the purchase roles LEFT JOINed and folded into `role_codes`
    (stakeholders_of, for the other screens, prefetches them)."""
    rows = (
        Stakeholder.objects.filter(opportunity=opportunity)
        .select_related("contact")
        .annotate(
            relationship_stage=F("contact__relationship__stage"),
            evidence_stage=evidence_stage(),
            **_stagnation(),
            role_code=F("roles__role"),
            role_pk=F("roles__pk"),
        )
        .order_by("contact__name", "pk", "role_pk")
    )
    return fold(rows, "role_codes", lambda row: row.role_code)


def roles_of(stakeholder: Stakeholder) -> list[str]:
    if hasattr(stakeholder, "role_codes"):  # read by buying_group()
        return stakeholder.role_codes
    return [r.role for r in stakeholder.roles.all()]


def _is_key(stakeholder: Stakeholder) -> bool:
    return (
        PurchaseRole.DECISION_MAKER in roles_of(stakeholder)
        or stakeholder.influence == Influence.HIGH
    )


def win_evidence(stakeholders: list[Stakeholder]) -> qualification.WinEvidence:
    decision_makers = [s for s in stakeholders if PurchaseRole.DECISION_MAKER in roles_of(s)]
    key = [s for s in stakeholders if _is_key(s)]
    return qualification.WinEvidence(
        decision_maker_known=bool(decision_makers),
        decision_maker_supports=any(s.attitude == Attitude.SUPPORTER for s in decision_makers),
        guides=sum(1 for s in stakeholders if s.contact.is_guide),
        key_people=len(key),
        key_people_at_trust=sum(
            1 for s in key if (s.relationship_stage or 0) >= stages.STAGE_TRUST
        ),
        key_opponents=sum(1 for s in key if s.attitude == Attitude.OPPONENT),
    )


def qualification_inputs(
    opportunity: Opportunity, stakeholders: list[Stakeholder]
) -> qualification.Inputs:
    return qualification.Inputs(
        amount=opportunity.amount,
        budget_amount=opportunity.budget_amount,
        budget_status=opportunity.budget_status,
        decision_date=opportunity.decision_date,
        fit=opportunity.fit,
        margin_percent=opportunity.margin_percent,
        cost_of_sale=opportunity.cost_of_sale,
        risk=opportunity.implementation_risk,
        win_estimate=opportunity.win_estimate,
        evidence=win_evidence(stakeholders),
    )


def qualify(
    opportunity: Opportunity,
    stakeholders: list[Stakeholder],
    rules: qualification.Rules,
    today: date,
) -> qualification.Qualification:
    return qualification.qualify(qualification_inputs(opportunity, stakeholders), rules, today)


def gate_facts(
    stakeholders: list[Stakeholder],
    result: qualification.Qualification,
    *,
    opportunity: Opportunity | None = None,
    moves: dict | None = None,
) -> stages.GateFacts:
    """The facts the exit checks look at. The facts of moves 3–6 and the move-2 rule come from
    `moves` (already loaded by move_selectors.sections) or are read for `opportunity`; with
    neither they stay None ("not yet measurable") and the rule its defaults."""
    if moves is None and opportunity is not None:
        moves = move_selectors.gate_records(opportunity)
    people = tuple(
        stages.Person(
            name=s.contact.name,
            is_decision_maker=PurchaseRole.DECISION_MAKER in roles_of(s),
            is_key=_is_key(s),
            is_decision_level=s.contact.level == Level.DECISION,
            is_guide=s.contact.is_guide,
            stage=s.relationship_stage,
            evidence=getattr(s, "evidence_stage", None),
        )
        for s in stakeholders
    )
    return stages.GateFacts(
        qualification_passes=result.passes,
        qualification_verdict_label=result.summary,
        people=people,
        **(moves or {}),
    )


def map_people(stakeholders: list[Stakeholder]) -> list[powermap.MapPerson]:
    from relationships.models import Stage

    stage_labels = dict(Stage.choices)
    role_labels = dict(PurchaseRole.choices)
    return [
        powermap.MapPerson(
            pk=s.pk,
            name=s.contact.name,
            title=s.contact.title,
            level=s.contact.level,
            function=s.contact.function,
            roles=[(r, str(role_labels.get(r, r))) for r in roles_of(s)],
            attitude=s.attitude,
            attitude_label=s.get_attitude_display(),
            influence=s.influence,
            influence_label=s.get_influence_display(),
            is_guide=s.contact.is_guide,
            stage=s.relationship_stage,
            stage_label=str(stage_labels.get(s.relationship_stage, "")),
            stagnant=bool(getattr(s, "stagnant", False)),
            stage_since=getattr(s, "stage_since", None),
        )
        for s in stakeholders
    ]
