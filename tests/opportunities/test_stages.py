"""The six moves and their exit gates (METHOD.md §2.3, §9.2)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from opportunities.rules.gates import decide_move, end_flag, exit_checks
from opportunities.rules.stages import (
    MOVES,
    CheckStatus,
    GateFacts,
    Move,
    Person,
    TrustRule,
    days_per_move,
)

BOSS = Person(
    "Boss", is_decision_maker=True, is_key=True, is_decision_level=True, stage=3, evidence=3
)
GUIDE = Person("Guide", is_guide=True, stage=3, evidence=4)
READY = GateFacts(qualification_passes=True, people=(BOSS, GUIDE))


def statuses(move, facts):
    return {c.code: c.status for c in exit_checks(move, facts)}


def test_the_six_moves_are_the_methods_names_in_order():
    assert [MOVES[m].short_name for m in Move] == [
        "客户分析",
        "建立信任",
        "挖掘需求",
        "呈现价值",
        "赢取承诺",
        "回收账款",
    ]
    assert [MOVES[m].default_probability for m in Move] == [10, 20, 35, 55, 80, 100]


def test_only_move_1_flags_come_from_the_handout_the_rest_are_marked():
    assert not MOVES[Move.ANALYSIS].start_is_ours and not MOVES[Move.ANALYSIS].end_is_ours
    assert MOVES[Move.TRUST].start_is_ours and MOVES[Move.TRUST].end_is_ours
    assert not MOVES[Move.COLLECTION].end_is_ours  # 100% collected is the author's [S1]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (READY, {"qualified": "met", "decision_maker": "met", "guide": "met"}),
        (
            GateFacts(qualification_passes=False, people=(BOSS, GUIDE)),
            {"qualified": "unmet", "decision_maker": "met", "guide": "met"},
        ),
        (
            GateFacts(qualification_passes=True, people=(GUIDE,)),
            {"qualified": "met", "decision_maker": "unmet", "guide": "met"},
        ),
        (
            GateFacts(qualification_passes=True, people=(BOSS,)),
            {"qualified": "met", "decision_maker": "met", "guide": "unmet"},
        ),
    ],
)
def test_move_1_needs_qualification_a_decision_maker_and_a_guide(facts, expected):
    assert statuses(Move.ANALYSIS, facts) == expected


def _p(name, *, key=False, guide=False, level=False, stage=None, evidence=None):
    return Person(
        name, is_key=key, is_guide=guide, is_decision_level=level, stage=stage, evidence=evidence
    )


# METHOD.md §2.3 / §9.2: the key people at ≥ 信赖, among them ≥ 1 guide and ≥ 1 decision-level
# person; a stage counts only when a completed activity of that stage supports it.
@pytest.mark.parametrize(
    ("people", "rule", "expected"),
    [
        ((BOSS, GUIDE), TrustRule(), ("met", "met", "met")),
        ((), TrustRule(), ("unmet", "unmet", "unmet")),
        # the guide only at 约会 (interaction)
        ((BOSS, _p("G", guide=True, stage=2, evidence=2)), TrustRule(), ("met", "unmet", "met")),
        # the decision level at 信赖 without a supporting activity
        (
            (_p("VP", key=True, level=True, stage=3, evidence=2), GUIDE),
            TrustRule(),
            ("unmet", "met", "unmet"),
        ),
        # ... which counts when the admin lets unsupported stages count
        (
            (_p("VP", key=True, level=True, stage=3, evidence=None), GUIDE),
            TrustRule(unsupported_counts=True),
            ("met", "met", "met"),
        ),
        # a refused or planned activity is no evidence: the selector leaves evidence None
        ((_p("VP", key=True, level=True, stage=4), GUIDE), TrustRule(), ("unmet", "met", "unmet")),
        # a stage above the recorded one supports it; evidence above does not lift the stage
        (
            (_p("VP", key=True, level=True, stage=2, evidence=4), GUIDE),
            TrustRule(),
            ("unmet", "met", "unmet"),
        ),
        # the thresholds are settings: two guides wanted, or the gate at 同盟
        ((BOSS, GUIDE), TrustRule(guides=2), ("met", "unmet", "met")),
        ((BOSS, GUIDE), TrustRule(stage=4), ("unmet", "unmet", "unmet")),
        ((BOSS, GUIDE), TrustRule(stage=2, decision_level=0), ("met", "met", "met")),
        # a decision-level person who is not key still counts for the decision level
        (
            (_p("K", key=True, stage=4, evidence=4), _p("VP", level=True, stage=3, evidence=3)),
            TrustRule(guides=0),
            ("met", "met", "met"),
        ),
        ((_p("Nobody", stage=None), GUIDE), TrustRule(), ("unmet", "met", "unmet")),
    ],
)
def test_move_2_gate_is_its_end_flag(people, rule, expected):
    facts = GateFacts(qualification_passes=True, people=people, trust=rule)
    found = statuses(Move.TRUST, facts)
    assert (found["key_trust"], found["guide_trust"], found["decision_level"]) == expected


def test_the_move_2_flag_and_checks_come_from_one_rule():
    with translation.override("en"):
        for rule in (TrustRule(), TrustRule(stage=4, guides=2, unsupported_counts=True)):
            facts = GateFacts(qualification_passes=True, trust=rule)
            flag = end_flag(Move.TRUST, facts)
            labels = " ".join(c.label for c in exit_checks(Move.TRUST, facts))
            assert rule.stage_name in flag and rule.stage_name in labels
            assert f"at least {rule.guides} guide" in flag
            assert f"At least {rule.guides} guide" in labels
            assert ("completed activity" in flag) is (not rule.unsupported_counts)
        assert end_flag(Move.NEEDS, READY) == str(MOVES[Move.NEEDS].end_flag)


def test_the_next_actions_name_the_handouts_activities_of_the_stage():
    with translation.override("en"):
        actions = [c.next_action for c in exit_checks(Move.TRUST, GateFacts(False))]
        assert all("联谊活动" in a and "异地参观" in a for a in actions)
        at_dating = exit_checks(Move.TRUST, GateFacts(False, trust=TrustRule(stage=2)))
        assert all("测试和样品" in c.next_action for c in at_dating)
        assert not any("a meal, tea" in a for a in actions)


@given(
    stage=st.none() | st.integers(1, 4),
    evidence=st.none() | st.integers(1, 4),
    rule_stage=st.integers(2, 4),
    unsupported=st.booleans(),
)
def test_support_only_ever_lowers_the_counted_stage(stage, evidence, rule_stage, unsupported):
    rule = TrustRule(stage=rule_stage, unsupported_counts=unsupported)
    person = _p("P", stage=stage, evidence=evidence)
    counted = rule.counted_stage(person)
    assert counted <= (stage or 0)
    if rule.reached(person) and not unsupported:
        assert (evidence or 0) >= rule_stage  # a completed activity of that stage supports it


@pytest.mark.parametrize("move", [Move.NEEDS, Move.VALUE, Move.COMMITMENT, Move.COLLECTION])
def test_moves_3_to_6_are_not_yet_measurable_and_never_pass_silently(move):
    checks = exit_checks(move, READY)
    assert checks
    assert {c.status for c in checks} == {CheckStatus.NOT_MEASURABLE}
    assert all(c.next_action and c.detail for c in checks)


def test_moves_3_to_6_become_measurable_when_their_facts_exist():
    facts = GateFacts(
        qualification_passes=True,
        budget_approved=True,
        criteria_recorded=False,
        preferred_vendor=True,
        open_concerns_without_plan=0,
        contract_signed=True,
        collected_percent=Decimal("99.99"),
    )
    assert statuses(Move.NEEDS, facts) == {"budget_approved": "met", "criteria_recorded": "unmet"}
    assert statuses(Move.VALUE, facts) == {"preferred_vendor": "met"}
    assert statuses(Move.COMMITMENT, facts) == {"concerns_planned": "met", "contract_signed": "met"}
    assert statuses(Move.COLLECTION, facts) == {"collected": "unmet"}


def test_every_unmet_check_says_what_to_do_next():
    for move in Move:
        for check in exit_checks(move, GateFacts(qualification_passes=False)):
            assert check.next_action.strip()


def test_forward_with_every_check_met_needs_no_override():
    decision = decide_move(1, 2, READY, may_override=False, override=False)
    assert decision.allowed and not decision.needs_override


def test_forward_with_unmet_checks_is_refused_to_a_rep_even_if_they_ask_to_override():
    facts = GateFacts(qualification_passes=False)
    decision = decide_move(1, 2, facts, may_override=False, override=True)
    assert not decision.allowed and decision.needs_override
    assert {c.code for c in decision.blocking} == {"qualified", "decision_maker", "guide"}


def test_a_manager_can_override_when_asked():
    facts = GateFacts(qualification_passes=False)
    assert not decide_move(1, 2, facts, may_override=True, override=False).allowed
    assert decide_move(1, 2, facts, may_override=True, override=True).allowed


def test_skipping_moves_checks_every_move_passed_through():
    decision = decide_move(1, 4, READY, may_override=False, override=False)
    assert not decision.allowed
    assert {c.code for c in decision.blocking} == {"budget_approved", "criteria_recorded"}


def test_moving_back_is_always_allowed():
    decision = decide_move(
        4, 2, GateFacts(qualification_passes=False), may_override=False, override=False
    )
    assert decision.allowed and decision.direction == "back"


def test_staying_put_is_not_a_change():
    assert not decide_move(3, 3, READY, may_override=True, override=True).allowed


T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def test_days_per_move_adds_up_revisits_and_runs_to_now():
    changes = [
        (1, T0),
        (2, T0 + datetime.timedelta(days=10)),
        (1, T0 + datetime.timedelta(days=15)),
        (2, T0 + datetime.timedelta(days=17)),
    ]
    days = days_per_move(changes, T0 + datetime.timedelta(days=20))
    assert days == {1: 12.0, 2: 8.0}


@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 10_000)), min_size=1, max_size=20))
def test_days_per_move_sum_to_the_whole_span(steps):
    times = sorted(minutes for _m, minutes in steps)
    changes = [
        (move, T0 + datetime.timedelta(minutes=t))
        for (move, _), t in zip(steps, times, strict=True)
    ]
    now = changes[-1][1] + datetime.timedelta(days=1)
    total = sum(days_per_move(changes, now).values())
    assert total == pytest.approx((now - changes[0][1]).total_seconds() / 86400)
