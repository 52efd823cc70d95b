"""The six moves (摧龙六式) as pipeline stages, and their exit gates (METHOD.md §2.3, §9.2).

Pure rules: plain values in, plain results out, no database access. The selector gathers the
facts (`GateFacts`) from the opportunity, its buying group and the relationships; this module
says which exit checks of a move are met, unmet or not yet measurable, and what to do next.

Moves 3–6 look at the records of `opportunities/models/` (needs, approval, criteria,
evaluation, concerns, contract, payments), gathered by `opportunities/moves/selectors.py`. A
fact left `None` (nobody gathered it) makes its check "not yet measurable": a check never
passes silently for lack of data.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import IntegerChoices
from django.utils.translation import gettext_lazy as _


class Move(IntegerChoices):
    """六式: the six moves, numbered as in the method."""

    ANALYSIS = 1, _("customer analysis (客户分析)")
    TRUST = 2, _("build trust (建立信任)")
    NEEDS = 3, _("uncover needs (挖掘需求)")
    VALUE = 4, _("present value (呈现价值)")
    COMMITMENT = 5, _("win commitment (赢取承诺)")
    COLLECTION = 6, _("collect payment (回收账款)")


FIRST_MOVE = Move.ANALYSIS
LAST_MOVE = Move.COLLECTION
# Entering move 6 means the contract is signed (METHOD.md §2.3: "keep 签约 won as a pipeline
# milestone"), so an open deal lives in moves 1–5 and a won deal in move 6.
WON_MOVE = Move.COLLECTION

# Relationship stages (relationships.models.Stage) used by the move-2 gate; plain ints here so
# that this module stays free of the ORM.
STAGE_INTERACTION = 2  # 约会
STAGE_TRUST = 3  # 信赖


class Source(enum.StrEnum):
    """Where a flag comes from (METHOD.md §0): the handout, public material, or our inference."""

    HANDOUT = "H"
    SOURCE = "S"
    INFERRED = "I"


@dataclass(frozen=True)
class MoveDefinition:
    move: Move
    short_name: str  # the method's own name, the same in every language
    start_flag: str
    start_source: Source
    end_flag: str
    end_source: Source
    default_probability: int
    buyer_stages: str

    @property
    def start_is_ours(self) -> bool:
        return self.start_source == Source.INFERRED

    @property
    def end_is_ours(self) -> bool:
        return self.end_source == Source.INFERRED


MOVES: dict[int, MoveDefinition] = {
    d.move: d
    for d in (
        MoveDefinition(
            Move.ANALYSIS,
            "客户分析",
            _("Target customer locked in (锁定目标客户)"),
            Source.HANDOUT,
            _(
                "A clear, imminent and valuable opportunity found "
                "(发现明显、近在眼前并且有价值的销售机会)"
            ),
            Source.HANDOUT,
            10,
            _("before the buyer's step 1"),
        ),
        MoveDefinition(
            Move.TRUST,
            "建立信任",
            _("The opportunity is qualified (end of move 1)"),
            Source.INFERRED,
            _(
                "The key people, including a guide (向导) and people at decision level, have "
                "reached trust (信赖) or alliance (同盟), and the customer talks openly about "
                "problems"
            ),
            Source.INFERRED,
            20,
            _("before and throughout"),
        ),
        MoveDefinition(
            Move.NEEDS,
            "挖掘需求",
            _("Trust is in place; trust must come before deep needs work"),
            Source.INFERRED,
            _(
                "Project approved with a budget (立项) and purchase criteria (采购指标) set, "
                "ideally shaped by us"
            ),
            Source.INFERRED,
            35,
            _("buyer's steps 1–3"),
        ),
        MoveDefinition(
            Move.VALUE,
            "呈现价值",
            _("The customer starts to evaluate and compare (评估比较), e.g. an RFP is issued"),
            Source.SOURCE,
            _("The customer picks us as the preferred vendor for commercial talks"),
            Source.INFERRED,
            55,
            _("buyer's step 4"),
        ),
        MoveDefinition(
            Move.COMMITMENT,
            "赢取承诺",
            _("The customer reaches purchase commitment (购买承诺): concerns and negotiation"),
            Source.SOURCE,
            _("Written contract signed"),
            Source.INFERRED,
            80,
            _("buyer's step 5"),
        ),
        MoveDefinition(
            Move.COLLECTION,
            "回收账款",
            _("Contract signed"),
            Source.INFERRED,
            _("The whole receivable (100%) collected: only this, not the signature, ends the sale"),
            Source.SOURCE,
            100,
            _("buyer's step 6 and payment"),
        ),
    )
}


class CheckStatus(enum.StrEnum):
    MET = "met"
    UNMET = "unmet"
    NOT_MEASURABLE = "not_measurable"


CHECK_STATUS_LABELS = {
    CheckStatus.MET: _("met"),
    CheckStatus.UNMET: _("unmet"),
    CheckStatus.NOT_MEASURABLE: _("not yet measurable"),
}


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    status: CheckStatus
    detail: str
    next_action: str

    @property
    def status_label(self) -> str:
        return CHECK_STATUS_LABELS[self.status]

    @property
    def is_met(self) -> bool:
        return self.status == CheckStatus.MET


@dataclass(frozen=True)
class Person:
    """A stakeholder as the gates see it. `stage` is the relationship stage 1–4, or None when
    no relationship has been recorded (treated as below 认识)."""

    name: str
    is_decision_maker: bool = False
    is_key: bool = False
    is_decision_level: bool = False
    is_guide: bool = False
    stage: int | None = None


@dataclass(frozen=True)
class GateFacts:
    """Everything the exit checks look at. Facts of moves 3–6 default to None ("we do not
    record this yet"); the part of the app that records them fills them in."""

    qualification_passes: bool
    qualification_verdict_label: str = ""
    people: Sequence[Person] = field(default_factory=tuple)
    # move 3 挖掘需求
    budget_approved: bool | None = None
    approved_budget: Decimal | None = None
    criteria_recorded: bool | None = None
    criteria_count: int = 0
    criteria_unweighted: int = 0
    influence_percent: int | None = None
    # move 4 呈现价值
    preferred_vendor: bool | None = None
    standing_label: str = ""
    standing_evidence: str = ""
    # move 5 赢取承诺
    open_concerns_without_plan: int | None = None
    unplanned_concerns: Sequence[str] = field(default_factory=tuple)
    contract_signed: bool | None = None
    contract_signed_on: date | None = None
    # move 6 回收账款
    collected_percent: Decimal | None = None


def _check(code, label, ok: bool | None, detail, next_action) -> Check:
    if ok is None:
        status = CheckStatus.NOT_MEASURABLE
    else:
        status = CheckStatus.MET if ok else CheckStatus.UNMET
    return Check(code, str(label), status, str(detail), str(next_action))


def _names(people: Iterable[Person]) -> str:
    return ", ".join(p.name for p in people)


def _move1_checks(facts: GateFacts) -> list[Check]:
    decision_makers = [p for p in facts.people if p.is_decision_maker]
    guides = [p for p in facts.people if p.is_guide]
    return [
        _check(
            "qualified",
            _("Five criteria pass: clear, imminent and valuable (明确、近在眼前、有价值)"),
            facts.qualification_passes,
            facts.qualification_verdict_label or _("See the qualification card."),
            _("Fill in and firm up the five criteria on the qualification card."),
        ),
        _check(
            "decision_maker",
            _("A decision maker (决策者) is known"),
            bool(decision_makers),
            _names(decision_makers) or _("No stakeholder has the decision-maker role."),
            _("Find out who decides whether, when and how much to buy, and add them."),
        ),
        _check(
            "guide",
            _("A guide (向导) is among the stakeholders"),
            bool(guides),
            _names(guides) or _("No stakeholder is marked as a guide."),
            _("Develop a guide inside the account, starting with whoever is easy to win over."),
        ),
    ]


def _move2_checks(facts: GateFacts) -> list[Check]:
    key = [p for p in facts.people if p.is_key]
    behind = [p for p in key if (p.stage or 0) < STAGE_TRUST]
    decision_level = [p for p in facts.people if p.is_decision_level]
    reached = [p for p in decision_level if (p.stage or 0) >= STAGE_INTERACTION]
    if not key:
        key_detail = _("No key stakeholder (decision maker or high influence) yet.")
    elif behind:
        key_detail = _("Below trust (信赖): %(names)s") % {"names": _names(behind)}
    else:
        key_detail = _names(key)
    if reached:
        level_detail = _names(reached)
    elif decision_level:
        level_detail = _("Below interaction (约会): %(names)s") % {"names": _names(decision_level)}
    else:
        level_detail = _("No decision-level (决策层) contact among the stakeholders.")
    return [
        _check(
            "key_trust",
            _("Key stakeholders are at trust (信赖) or alliance (同盟)"),
            bool(key) and not behind,
            key_detail,
            _("Invite the key people to semi-private activities that build trust."),
        ),
        _check(
            "decision_level",
            _("A decision-level contact is at interaction (约会) or better"),
            bool(reached),
            level_detail,
            _("Meet a decision-level contact outside the office: a meal, tea or a site visit."),
        ),
    ]


def _not_recorded_yet() -> str:
    return str(_("Cuilong does not record this yet; a manager can confirm it with an override."))


def _move3_checks(facts: GateFacts) -> list[Check]:
    if facts.budget_approved is None:
        budget_detail = _not_recorded_yet()
    elif facts.budget_approved:
        budget_detail = _("Approved budget: ¥%(amount)s") % {
            "amount": f"{facts.approved_budget or 0:,.0f}"
        }
    else:
        budget_detail = _("No buy decision with an approved budget is recorded (立项).")
    if facts.criteria_recorded is None:
        criteria_detail = _not_recorded_yet()
    elif not facts.criteria_recorded:
        criteria_detail = _("No purchase criterion recorded yet.")
    else:
        criteria_detail = _("%(count)s criteria, %(unweighted)s without a weight yet") % {
            "count": facts.criteria_count,
            "unweighted": facts.criteria_unweighted,
        }
        if facts.influence_percent is not None:
            criteria_detail = _("%(detail)s; influence score %(score)s%%") % {
                "detail": criteria_detail,
                "score": facts.influence_percent,
            }
    return [
        _check(
            "budget_approved",
            _("Project approved with a budget (立项)"),
            facts.budget_approved,
            budget_detail,
            _("Help the decision maker approve the project: put an ROI case in front of them."),
        ),
        _check(
            "criteria_recorded",
            _("Purchase criteria (采购指标) recorded"),
            facts.criteria_recorded,
            criteria_detail,
            _("Work with the designer to set the purchase criteria, on ground that favours us."),
        ),
    ]


def _move4_checks(facts: GateFacts) -> list[Check]:
    if facts.preferred_vendor is None:
        detail = _not_recorded_yet()
    elif facts.standing_evidence:
        detail = f"{facts.standing_label}: {facts.standing_evidence}"
    else:
        detail = facts.standing_label or _("Our standing is not recorded yet.")
    return [
        _check(
            "preferred_vendor",
            _("We are the preferred or shortlisted vendor"),
            facts.preferred_vendor,
            detail,
            _("Show our FAB against each criterion, with proof; win the evaluators over."),
        ),
    ]


def _move5_checks(facts: GateFacts) -> list[Check]:
    open_concerns = facts.open_concerns_without_plan
    if open_concerns is None:
        concern_detail = _not_recorded_yet()
    elif open_concerns:
        concern_detail = _("Without a plan: %(names)s") % {
            "names": "; ".join(facts.unplanned_concerns)
        }
    else:
        concern_detail = ""
    if facts.contract_signed is None:
        contract_detail = _not_recorded_yet()
    elif facts.contract_signed_on:
        contract_detail = _("Signed on %(date)s") % {"date": facts.contract_signed_on.isoformat()}
    else:
        contract_detail = _("No signed contract recorded yet.")
    return [
        _check(
            "concerns_planned",
            _("No open concern (顾虑) without a prevention and remedy plan"),
            None if open_concerns is None else open_concerns == 0,
            concern_detail,
            _("Find the risks the customer sees and answer each with a plan."),
        ),
        _check(
            "contract_signed",
            _("Written contract signed"),
            facts.contract_signed,
            contract_detail,
            _("Negotiate the terms and get the contract signed."),
        ),
    ]


def _move6_checks(facts: GateFacts) -> list[Check]:
    collected = facts.collected_percent
    if collected is None:
        detail = _not_recorded_yet()
    else:
        detail = _("%(percent)s%% collected") % {"percent": collected}
    return [
        _check(
            "collected",
            _("The whole receivable (100%) collected"),
            None if collected is None else collected >= 100,
            detail,
            _("Collect each payment on time, before it falls overdue."),
        ),
    ]


_CHECKS = {
    Move.ANALYSIS: _move1_checks,
    Move.TRUST: _move2_checks,
    Move.NEEDS: _move3_checks,
    Move.VALUE: _move4_checks,
    Move.COMMITMENT: _move5_checks,
    Move.COLLECTION: _move6_checks,
}


def exit_checks(move: int, facts: GateFacts) -> list[Check]:
    """The exit checks of `move` over `facts`, in the order to work on them."""
    return _CHECKS[Move(move)](facts)


@dataclass(frozen=True)
class MoveDecision:
    """What happens when someone asks to go from one move to another."""

    allowed: bool
    needs_override: bool
    blocking: tuple[Check, ...]
    direction: str  # "forward", "back" or "same"


def decide_move(
    current: int, target: int, facts: GateFacts, *, may_override: bool, override: bool
) -> MoveDecision:
    """May the deal go from `current` to `target`?

    Going back is always allowed. Going forward needs every exit check of every move passed
    through (current … target−1) met; otherwise it needs an override by someone who may grant
    one (a manager of the owner's team, or an admin), with a written reason checked elsewhere.
    """
    if target == current:
        return MoveDecision(False, False, (), "same")
    if target < current:
        return MoveDecision(True, False, (), "back")
    blocking = tuple(
        check
        for move in range(current, target)
        for check in exit_checks(move, facts)
        if not check.is_met
    )
    if not blocking:
        return MoveDecision(True, False, (), "forward")
    return MoveDecision(may_override and override, True, blocking, "forward")


def days_per_move(changes: Sequence[tuple[int, datetime]], now: datetime) -> dict[int, float]:
    """Days spent in each move, from the move history.

    `changes` are (move entered, when) pairs in time order; the deal stayed in each move until
    the next change, and is in the last one until `now`. A move entered twice adds up.
    """
    days: dict[int, float] = {}
    for index, (move, started) in enumerate(changes):
        ended = changes[index + 1][1] if index + 1 < len(changes) else now
        seconds = max((ended - started).total_seconds(), 0.0)
        days[move] = days.get(move, 0.0) + seconds / 86400
    return days
