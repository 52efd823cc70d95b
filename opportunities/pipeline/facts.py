"""Derived facts of each deal, stored so that the pipeline's figures are plain GROUP BYs.

Stage inflation, late entry, conversion and time per move (METHOD.md §9.2) are derived from a
deal's move history and buying group. Computed on every dashboard view they cost seconds at
100,000 deals (docs/performance.md), so they are stored: OpportunityFacts per deal and
MoveChange.left_at per history row, rewritten by `refresh()` whenever an input changes.

Who calls `refresh()`: the services that change a deal, its move, its buying group, its
qualification or the records of moves 3–4 (opportunities.deals.services,
opportunities.moves.services); the services and admin pages that change a person's guide
flag, level or relationship stage (`refresh_for_contacts()`); the importers and the volume
seeder for what they bulk-write; and `manage.py refresh_opportunity_facts`, the nightly safety
net for anything written around them (raw SQL, a restored backup).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import (
    BooleanField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.utils import timezone

from accounts.models import Level
from opportunities.models import (
    Concern,
    Contract,
    Evaluation,
    Influence,
    MoveChange,
    Opportunity,
    OpportunityFacts,
    ProjectApproval,
    PurchaseCriterion,
    PurchaseRole,
    Stakeholder,
    StakeholderRole,
    Status,
)
from opportunities.rules import stages
from opportunities.rules.qualification import Verdict

BATCH = 5000
TIME_FIELDS = {move: f"time_in_move_{move}" for move in range(1, stages.WON_MOVE)}


# --- the exit checks as SQL (tests/opportunities/test_pipeline_inflated.py keeps them in step
# with gates.exit_checks over selectors.gate_facts) ------------------------------------------


def _stakeholders(**lookups):
    return Stakeholder.objects.filter(opportunity=OuterRef("pk"), **lookups)


def _rule() -> dict:
    """The move-2 gate's settings (MoveThresholdSetting) as scalar subqueries over its one row,
    with stages.TrustRule's defaults when there is none: part of the same SQL, no query."""
    from opportunities.models import MoveThresholdSetting

    row = MoveThresholdSetting.objects.filter(pk=1)
    default = stages.TrustRule()
    return {
        name: Coalesce(Subquery(row.values(f"trust_{name}")[:1]), Value(getattr(default, name)))
        for name in ("stage", "guides", "decision_level", "unsupported_counts")
    }


def _counted(rule: dict) -> Q:
    """Stakeholders whose stage counts at the move-2 gate (stages.TrustRule.reached): recorded
    at the gate's stage or beyond and, unless unsupported stages count, supported by a
    completed activity of that stage or a higher one (done, not refused, not pending)."""
    from relationships.models import Activity

    supported = Exists(
        Activity.objects.filter(
            contacts=OuterRef("contact_id"),
            date__lte=timezone.localdate(),
            approval_status__in=[Activity.Approval.NOT_NEEDED, Activity.Approval.APPROVED],
            type__stage__gte=rule["stage"],
        )
    )
    return Q(contact__relationship__stage__gte=rule["stage"]) & (
        Q(Exact(rule["unsupported_counts"], True)) | Q(supported)
    )


def _at_least(stakeholders, count):
    number = stakeholders.order_by().values("opportunity").annotate(n=Count("pk")).values("n")
    return GreaterThanOrEqual(Coalesce(Subquery(number), 0), count)


def gate_annotations() -> dict:
    """The exit checks of moves 1–4 as SQL booleans: decision maker known, a guide (move 1);
    the key people (decision makers and high influence) at the gate's stage, enough guides
    and decision-level people there (move 2, by the admin's settings); budget approved (立项),
    purchase criteria recorded (move 3); shortlisted or preferred vendor (move 4). The
    qualification verdict is a column."""
    rule = _rule()
    key = Q(roles__role=PurchaseRole.DECISION_MAKER) | Q(influence=Influence.HIGH)
    counted = _counted(rule)
    key_counted = Stakeholder.objects.filter(pk=OuterRef("pk")).filter(counted)
    return {
        "check_decision_maker": Exists(
            StakeholderRole.objects.filter(
                stakeholder__opportunity=OuterRef("pk"), role=PurchaseRole.DECISION_MAKER
            )
        ),
        "check_guide": Exists(_stakeholders(contact__is_guide=True)),
        "has_key": Exists(_stakeholders().filter(key)),
        "key_behind": Exists(_stakeholders().filter(key).filter(~Exists(key_counted))),
        "check_guide_trust": _at_least(
            _stakeholders(contact__is_guide=True).filter(counted), rule["guides"]
        ),
        "check_decision_level": _at_least(
            _stakeholders(contact__level=Level.DECISION).filter(counted), rule["decision_level"]
        ),
        **move_check_annotations(),
    }


def move_check_annotations() -> dict:
    """The exit checks of moves 3–4 as SQL booleans (as selectors.gate_facts reads them)."""
    return {
        "check_budget_approved": Exists(
            ProjectApproval.objects.filter(
                opportunity=OuterRef("pk"), decision="yes", approved_budget__isnull=False
            )
        ),
        "check_criteria_recorded": Exists(
            PurchaseCriterion.objects.filter(opportunity=OuterRef("pk"))
        ),
        "check_preferred_vendor": Exists(
            Evaluation.objects.filter(
                opportunity=OuterRef("pk"), standing__in=["shortlisted", "preferred"]
            )
        ),
    }


def inflation_condition() -> Q:
    """Stage inflated (METHOD.md §9.2): in a later move with an earlier move's exit checks
    unmet, over the annotations of `gate_annotations()`. Only checks the data can measure
    count; "not yet measurable" is not "unmet"."""
    move1_unmet = (
        ~Q(qualification_verdict=Verdict.QUALIFIED)
        | Q(check_decision_maker=False)
        | Q(check_guide=False)
    )
    move2_unmet = (
        Q(has_key=False)
        | Q(key_behind=True)
        | Q(check_guide_trust=False)
        | Q(check_decision_level=False)
    )
    move3_unmet = Q(check_budget_approved=False) | Q(check_criteria_recorded=False)
    move4_unmet = Q(check_preferred_vendor=False)
    return (
        (Q(move__gt=1) & move1_unmet)
        | (Q(move__gt=2) & move2_unmet)
        | (Q(move__gt=3) & move3_unmet)
        | (Q(move__gt=4) & move4_unmet)
    )


def counts_for_inflation() -> Q:
    """Open deals, and won deals whose last step to won overrode unmet checks (issue 17: a
    deal declared won past its gates is as inflated as one moved past them)."""
    last_win = MoveChange.objects.filter(opportunity=OuterRef("pk"), to_status=Status.WON).order_by(
        "-changed_at", "-pk"
    )
    won_by_override = Exact(
        Subquery(last_win.values("is_override")[:1], output_field=BooleanField()), True
    )
    return Q(status=Status.OPEN) | (Q(status=Status.WON) & won_by_override)


# --- refreshing ---------------------------------------------------------------------------------


def refresh(opportunity_ids: Iterable[int]) -> None:
    """Recompute the stored facts of these deals: four queries per batch of 5,000 — read the
    facts, rewrite the history's `left_at`, sum the time per move, upsert the facts."""
    ids = sorted({int(pk) for pk in opportunity_ids})
    for start in range(0, len(ids), BATCH):
        _refresh_batch(ids[start : start + BATCH])


def _refresh_batch(ids: list[int]) -> None:
    history = MoveChange.objects.filter(opportunity=OuterRef("pk")).order_by()
    first = history.order_by("changed_at", "pk").values("to_move")[:1]
    furthest = history.values("opportunity").annotate(top=Max("to_move")).values("top")
    rows = (
        Opportunity.objects.filter(pk__in=ids)
        .annotate(**gate_annotations())
        .annotate(
            first=Subquery(first, output_field=IntegerField()),
            furthest=Coalesce(Subquery(furthest), F("move"), output_field=IntegerField()),
            inflated=ExpressionWrapper(
                inflation_condition() & counts_for_inflation(), output_field=BooleanField()
            ),
        )
        .values_list("pk", "first", "furthest", "inflated")
    )
    next_change = (
        MoveChange.objects.filter(
            opportunity=OuterRef("opportunity"), changed_at__gt=OuterRef("changed_at")
        )
        .order_by("changed_at")
        .values("changed_at")[:1]
    )
    MoveChange.objects.filter(opportunity__in=ids).update(left_at=Subquery(next_change))
    times, open_since = _time_per_move(ids)
    OpportunityFacts.objects.bulk_create(
        [
            OpportunityFacts(
                opportunity_id=pk,
                first_move=first_move,
                furthest_move=furthest_move,
                stage_inflated=bool(inflated),
                open_since=open_since.get(pk),
                **times.get(pk, {}),
            )
            for pk, first_move, furthest_move, inflated in rows
        ],
        update_conflicts=True,
        unique_fields=["opportunity"],
        update_fields=[
            "first_move",
            "furthest_move",
            "stage_inflated",
            "open_since",
            *TIME_FIELDS.values(),
        ],
    )


def _time_per_move(ids: list[int]) -> tuple[dict, dict]:
    """({deal: {time field: time spent open in the move and left}}, {deal: start of the current
    open stay}) from the history rows entering an open state; one query."""
    spent = ExpressionWrapper(F("left_at") - F("changed_at"), output_field=DurationField())
    times, open_since = {}, {}
    for row in (
        MoveChange.objects.filter(opportunity__in=ids, to_status=Status.OPEN)
        .order_by()
        .values("opportunity", "to_move")
        .annotate(spent=Sum(spent), current=Max("changed_at", filter=Q(left_at__isnull=True)))
    ):
        if row["spent"] is not None and row["to_move"] in TIME_FIELDS:
            times.setdefault(row["opportunity"], {})[TIME_FIELDS[row["to_move"]]] = row["spent"]
        if row["current"] is not None:
            open_since[row["opportunity"]] = row["current"]
    return times, open_since


def refresh_for_contacts(contact_ids: Iterable[int]) -> None:
    """After a person's guide flag, level or relationship stage changed: the deals whose
    buying group they are in."""
    refresh(
        Stakeholder.objects.filter(contact__in=list(contact_ids))
        .order_by()
        .values_list("opportunity", flat=True)
        .distinct()
    )


def refresh_all() -> int:
    """Every deal, in batches of 5,000 by id; returns how many."""
    ids = list(Opportunity.objects.order_by("pk").values_list("pk", flat=True))
    refresh(ids)
    return len(ids)


def refresh_missing(using: str = "default") -> int:
    """The deals without stored facts (a database from before they existed); returns how many."""
    if using != "default":
        return 0
    ids = list(Opportunity.objects.filter(facts__isnull=True).values_list("pk", flat=True))
    refresh(ids)
    return len(ids)


def with_move_gate_facts(queryset):
    """Annotate the exit checks of moves 3–5 on `queryset` in SQL, the facts
    `move_gate_facts()` reads back (the home page's next-steps panel)."""
    annotations = move_check_annotations()
    unplanned = (
        Concern.objects.filter(opportunity=OuterRef("pk"))
        .blocking()
        .order_by()
        .values("opportunity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    annotations["unplanned_concerns_count"] = Coalesce(
        Subquery(unplanned, output_field=IntegerField()), Value(0)
    )
    annotations["has_contract"] = Exists(Contract.objects.filter(opportunity=OuterRef("pk")))
    # The move-2 rule of the settings, in the same row (no query of its own).
    annotations.update({f"gate_trust_{name}": value for name, value in _rule().items()})
    return queryset.annotate(**annotations)


def move_gate_facts(deal) -> dict:
    """The move-2 rule and the move 3–5 facts of a deal annotated by `with_move_gate_facts()`,
    under the names deals.selectors.gate_facts takes as `moves`."""
    return {
        "budget_approved": deal.check_budget_approved,
        "criteria_recorded": deal.check_criteria_recorded,
        "preferred_vendor": deal.check_preferred_vendor,
        "open_concerns_without_plan": deal.unplanned_concerns_count,
        "contract_signed": deal.has_contract,
        "trust": stages.TrustRule(
            stage=deal.gate_trust_stage,
            guides=deal.gate_trust_guides,
            decision_level=deal.gate_trust_decision_level,
            unsupported_counts=deal.gate_trust_unsupported_counts,
        ),
    }
