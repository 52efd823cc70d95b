"""The trust plan of the deal review (复盘, METHOD.md §9.3 question 3, §4.2): for each person of
the buying group, the relationship stage, the stage the trust gate asks of them, the gap, the
next planned activity with them and the days since their stage last went up.

The target is the move-2 gate's own (one definition, never a copy): `stages.TrustRule` from
the admin's settings says which stage counts and how (a recorded stage counts only when a
completed activity supports it, unless the setting says otherwise),
`deals.selectors.gate_facts` (called by the review) says who is key (decision maker or high
influence), and `gates.exit_checks` of move 2 say whether the guides and the decision-level
people are already enough. Move 2 is the only move whose exit asks for a relationship stage:
in move 1 it is the next gate, in move 2 the exit, and from move 3 on a key person below it
makes the deal stage-inflated (METHOD.md §9.2).

`plan_row` and `order` are pure (tests/opportunities/test_trust_plan.py);
`person_figures` is the one query the plan adds to the review.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opportunities.rules import gates, stages

# The move whose exit checks ask for a relationship stage (gates._move2_checks).
STAGE_GATE = stages.Move.TRUST

KEY = "key"
GUIDE = "guide"
DECISION_LEVEL = "decision_level"
# A check of the gate that asks "at least N of these people", and who counts for it.
COUNT_CHECKS = {GUIDE: "guide_trust", DECISION_LEVEL: "decision_level"}


@dataclass(frozen=True)
class NextAction:
    """The earliest open planned activity with the person."""

    name: str
    day: date


@dataclass(frozen=True)
class PlanRow:
    contact_id: int
    name: str
    roles: tuple[str, ...]
    needed_as: tuple[str, ...]  # KEY, GUIDE, DECISION_LEVEL: why the gate asks a stage of them
    stage: int | None  # as recorded; None: no relationship recorded
    counted: int  # as the gate counts it (stages.TrustRule.counted_stage)
    target: int | None  # None: the gate asks nothing of this person
    steps_behind: int  # 0 when on target or without a target
    next_action: NextAction | None
    overdue: bool
    days_since_advance: int | None  # None: the stage never went up

    @property
    def is_key(self) -> bool:
        return KEY in self.needed_as

    @property
    def on_target(self) -> bool:
        return self.target is not None and self.steps_behind == 0

    @property
    def unsupported(self) -> bool:
        """Recorded higher than the gate counts: no completed activity supports the stage."""
        return self.counted < (self.stage or 0)

    # The words of the row, for the template.
    @property
    def stage_name(self) -> str:
        return stage_label(self.stage)

    @property
    def counted_name(self) -> str:
        return stage_label(self.counted)

    @property
    def target_name(self) -> str:
        return stage_label(self.target) if self.target is not None else ""

    @property
    def gap_display(self) -> str:
        return gap_text(self)

    @property
    def since_display(self) -> str:
        return since_text(self)


def unmet_counts(facts: stages.GateFacts) -> frozenset[str]:
    """Which "at least N" checks of the gate are unmet (GUIDE, DECISION_LEVEL): while one is,
    each of its people below the stage is asked to reach it."""
    unmet = {c.code for c in gates.exit_checks(STAGE_GATE, facts) if not c.is_met}
    return frozenset(who for who, code in COUNT_CHECKS.items() if code in unmet)


def needed_as(person: stages.Person, unmet: frozenset[str]) -> tuple[str, ...]:
    """Why the gate asks a stage of `person`: every key person must reach it; a guide or a
    decision-level person only while their "at least N" check is unmet."""
    reasons = []
    if person.is_key:
        reasons.append(KEY)
    if person.is_guide and GUIDE in unmet:
        reasons.append(GUIDE)
    if person.is_decision_level and DECISION_LEVEL in unmet:
        reasons.append(DECISION_LEVEL)
    return tuple(reasons)


def plan_row(
    person: stages.Person,
    rule: stages.TrustRule,
    *,
    unmet: frozenset[str],
    today: date,
    contact_id: int = 0,
    roles: Sequence[str] = (),
    next_action: NextAction | None = None,
    last_advance: date | None = None,
) -> PlanRow:
    """One person's row: the target and the gap as the gate counts them, whether the next
    planned activity is overdue (planned for a day before `today`), and the days since the
    last advance up the ladder."""
    reasons = needed_as(person, unmet)
    counted = rule.counted_stage(person)
    target = rule.stage if reasons else None
    return PlanRow(
        contact_id=contact_id,
        name=person.name,
        roles=tuple(roles),
        needed_as=reasons,
        stage=person.stage,
        counted=counted,
        target=target,
        steps_behind=max(target - counted, 0) if target is not None else 0,
        next_action=next_action,
        overdue=next_action is not None and next_action.day < today,
        days_since_advance=(today - last_advance).days if last_advance else None,
    )


def order(rows: Iterable[PlanRow]) -> list[PlanRow]:
    """Key people first, then those the gate still asks a stage of, then the others; the
    furthest behind first, then by name."""
    return sorted(
        rows, key=lambda r: (not r.is_key, r.target is None, -r.steps_behind, r.name, r.contact_id)
    )


# --- the words ----------------------------------------------------------------------------------


def stage_label(stage: int | None) -> str:
    from relationships.models import Stage

    return str(Stage(stage).label) if stage else _("no relationship recorded")


def gate_note(move: int, rule: stages.TrustRule) -> str:
    """What the targets mean for a deal in `move`."""
    values = {"stage": stage_label(rule.stage)}
    if move < STAGE_GATE:
        return (
            _(
                "Move 1 asks for no relationship stage: the targets are those of move 2's exit, "
                "the next gate, where the key people must be at %(stage)s or beyond."
            )
            % values
        )
    if move == STAGE_GATE:
        return (
            _(
                "The targets of this move's exit: the key people at %(stage)s or beyond, with "
                "enough guides and decision-level people there."
            )
            % values
        )
    return (
        _(
            "Move 2's exit, passed on the way here: a key person below %(stage)s makes the deal "
            "stage-inflated."
        )
        % values
    )


def gap_text(row: PlanRow) -> str:
    if row.target is None:
        return _("no target")
    if row.on_target:
        return _("on target")
    return ngettext("%(n)s step behind", "%(n)s steps behind", row.steps_behind) % {
        "n": row.steps_behind
    }


def next_text(row: PlanRow) -> str:
    if row.next_action is None:
        return _("nothing planned")
    values = {"action": row.next_action.name, "date": row.next_action.day.isoformat()}
    if row.overdue:
        return _("%(action)s on %(date)s, overdue") % values
    return _("%(action)s on %(date)s") % values


def since_text(row: PlanRow) -> str:
    if row.days_since_advance is None:
        return _("never advanced")
    return ngettext(
        "%(n)s day since the last advance",
        "%(n)s days since the last advance",
        row.days_since_advance,
    ) % {"n": row.days_since_advance}


def stage_text(row: PlanRow) -> str:
    if row.unsupported:
        return _("%(stage)s (unsupported: counts as %(counted)s)") % {
            "stage": stage_label(row.stage),
            "counted": stage_label(row.counted),
        }
    return stage_label(row.stage)


def line(row: PlanRow) -> str:
    """The row as one line of evidence: "周敏: 约会 → needs 信赖, 1 step behind; next: …"."""
    values = {
        "name": row.name,
        "stage": stage_text(row),
        "gap": gap_text(row),
        "next": next_text(row),
        "since": since_text(row),
    }
    if row.target is None:
        return _("%(name)s: %(stage)s; next: %(next)s; %(since)s") % values
    values["target"] = stage_label(row.target)
    return _("%(name)s: %(stage)s → needs %(target)s, %(gap)s; next: %(next)s; %(since)s") % values


# --- the query ----------------------------------------------------------------------------------


def _day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def person_figures(contact_ids: Sequence[int], user) -> dict[int, dict]:
    """Per contact, in one query: the day of the last stage advance (a StageChange going up)
    and the earliest open planned activity with them that `user` may see."""
    from accounts.models import Contact
    from relationships.models import ActivityType, PlannedActivity, StageChange

    if not contact_ids:
        return {}
    advance = (
        StageChange.objects.filter(
            relationship__contact_id=OuterRef("pk"), to_stage__gt=F("from_stage")
        )
        .order_by()
        .values("relationship")
        .annotate(last=Max("changed_at"))
        .values("last")
    )
    plans = (
        PlannedActivity.objects.visible_to(user)
        .planned()
        .filter(contacts=OuterRef("pk"))
        .order_by("starts_at", "pk")
    )
    rows = (
        Contact.objects.filter(pk__in=contact_ids)
        .annotate(
            last_advance=Subquery(advance[:1]),
            plan_at=Subquery(plans.values("starts_at")[:1]),
            plan_en=Subquery(plans.values("type__name_en")[:1]),
            plan_zh=Subquery(plans.values("type__name_zh")[:1]),
        )
        .values("pk", "last_advance", "plan_at", "plan_en", "plan_zh")
    )
    figures = {}
    for row in rows:
        next_action = None
        if row["plan_at"] is not None:
            kind = ActivityType(name_en=row["plan_en"] or "", name_zh=row["plan_zh"] or "")
            next_action = NextAction(kind.name, _day(row["plan_at"]))
        figures[row["pk"]] = {
            "last_advance": _day(row["last_advance"]),
            "next_action": next_action,
        }
    return figures


@dataclass(frozen=True)
class TrustPlan:
    rows: list[PlanRow]
    rule: stages.TrustRule
    note: str

    @property
    def target_label(self) -> str:
        return stage_label(self.rule.stage)

    @property
    def targeted(self) -> list[PlanRow]:
        return [r for r in self.rows if r.target is not None]

    @property
    def behind(self) -> list[PlanRow]:
        return [r for r in self.targeted if not r.on_target]

    @property
    def key_rows(self) -> list[PlanRow]:
        return [r for r in self.rows if r.is_key]

    @property
    def other_rows(self) -> list[PlanRow]:
        return [r for r in self.rows if not r.is_key]


def plan_for(
    *, move: int, facts: stages.GateFacts, contact_ids, roles, user, today: date
) -> TrustPlan:
    """The plan of a buying group: `facts.people`, `contact_ids` and `roles` (labels) in the
    same order, as deal_review gathers them (one query: person_figures)."""
    figures = person_figures(list(contact_ids), user)
    unmet = unmet_counts(facts)
    rows = [
        plan_row(
            person,
            facts.trust,
            unmet=unmet,
            today=today,
            contact_id=contact_id,
            roles=person_roles,
            **figures.get(contact_id, {}),
        )
        for person, contact_id, person_roles in zip(facts.people, contact_ids, roles, strict=True)
    ]
    return TrustPlan(order(rows), facts.trust, gate_note(move, facts.trust))
