"""The exit checks of the six moves over `stages.GateFacts`, each move's end flag as shown,
and the decision on a move change (METHOD.md §2.3, §9.2). Pure rules, no database access.

Moves 3–6 look at the records of `opportunities/models/` (needs, approval, criteria,
evaluation, concerns, contract, payments), gathered by `opportunities/moves/selectors.py`. A
fact left `None` (nobody gathered it) makes its check "not yet measurable": a check never
passes silently for lack of data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from opportunities.rules.stages import (
    MOVES,
    STAGE_ACTIVITIES,
    Check,
    CheckStatus,
    GateFacts,
    Move,
    Person,
    TrustRule,
)


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


def _below(rule: TrustRule, people: Sequence[Person]) -> str:
    parts = []
    for person in people:
        if (person.stage or 0) >= rule.stage and not rule.reached(person):
            parts.append(
                _(
                    "%(name)s (unsupported: no completed activity of this stage; a manager "
                    "may confirm it with an override)"
                )
                % {"name": person.name}
            )
        else:
            parts.append(person.name)
    return _("Below %(stage)s: %(names)s") % {"stage": rule.stage_name, "names": ", ".join(parts)}


def _count_check(code, label, group, rule, wanted, missing, next_action) -> Check:
    reached = [p for p in group if rule.reached(p)]
    if len(reached) >= wanted:
        detail = _names(reached)
    elif group:
        detail = _below(rule, [p for p in group if not rule.reached(p)])
    else:
        detail = missing
    return _check(code, label, len(reached) >= wanted, detail, next_action)


def _move2_checks(facts: GateFacts) -> list[Check]:
    rule = facts.trust
    stage = {"stage": rule.stage_name}
    activities = STAGE_ACTIVITIES.get(rule.stage, "")
    key = [p for p in facts.people if p.is_key]
    behind = [p for p in key if not rule.reached(p)]
    if not key:
        key_detail = _("No key stakeholder (decision maker or high influence) yet.")
    elif behind:
        key_detail = _below(rule, behind)
    else:
        key_detail = _names(key)
    return [
        _check(
            "key_trust",
            _("Key stakeholders are at %(stage)s or beyond") % stage,
            bool(key) and not behind,
            key_detail,
            _("Invite the key people to the activities of %(stage)s: %(activities)s.")
            % {**stage, "activities": activities},
        ),
        _count_check(
            "guide_trust",
            _("At least %(count)s guide (向导) at %(stage)s or beyond")
            % {**stage, "count": rule.guides},
            [p for p in facts.people if p.is_guide],
            rule,
            rule.guides,
            _("No stakeholder is marked as a guide."),
            _("Develop the guide with the activities of %(stage)s: %(activities)s.")
            % {**stage, "activities": activities},
        ),
        _count_check(
            "decision_level",
            _("At least %(count)s decision-level (决策层) person at %(stage)s or beyond")
            % {**stage, "count": rule.decision_level},
            [p for p in facts.people if p.is_decision_level],
            rule,
            rule.decision_level,
            _("No decision-level (决策层) contact among the stakeholders."),
            _("Invite a decision-level person to the activities of %(stage)s: %(activities)s.")
            % {**stage, "activities": activities},
        ),
    ]


def end_flag(move: int, facts: GateFacts) -> str:
    """The end flag shown for `move`. Move 2's is generated from the same rule its checks
    use (`TrustRule`), so what is shown and what is enforced cannot drift apart."""
    if Move(move) != Move.TRUST:
        return str(MOVES[Move(move)].end_flag)
    rule = facts.trust
    text = _(
        "The key people, including at least %(guides)s guide (向导) and %(level)s person at "
        "decision level, have reached %(stage)s or beyond, and the customer talks openly "
        "about problems"
    ) % {"guides": rule.guides, "level": rule.decision_level, "stage": rule.stage_name}
    if rule.unsupported_counts:
        return str(text)
    return str(
        _("%(flag)s; a stage counts only when a completed activity of that stage supports it")
        % {"flag": text}
    )


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
