"""The trust plan of the deal review (opportunities/pipeline/trust_plan.py): each person's
stage against the move-2 gate's target, the gap, the next planned activity and the days since
the last advance; the rows as a table, then the one query that reads the plans and advances."""

import datetime

import pytest
from django.utils import timezone, translation

from opportunities.pipeline import trust_plan
from opportunities.pipeline.trust_plan import DECISION_LEVEL, GUIDE, KEY, NextAction
from opportunities.rules.stages import GateFacts, Person, TrustRule
from relationships.models import ActivityType, PlannedActivity, StageChange
from tests.factories import AccountFactory, ContactFactory, RelationshipFactory
from tests.relationships.factories import PlannedActivityFactory

TODAY = datetime.date(2026, 11, 18)
NOBODY_SHORT = frozenset()
RULE = TrustRule()  # 信赖, one guide, one decision-level person, supported stages only
AT_ANY_STAGE = TrustRule(unsupported_counts=True)


def key(stage, evidence=None, **extra):
    return Person("Key", is_key=True, stage=stage, evidence=evidence, **extra)


# person, rule, unmet "at least N" checks → needed as, counted, target, steps behind, on target
ROWS = [
    (key(2, 2), RULE, NOBODY_SHORT, (KEY,), 2, 3, 1, False),
    (key(3, 3), RULE, NOBODY_SHORT, (KEY,), 3, 3, 0, True),
    (key(4, 4), RULE, NOBODY_SHORT, (KEY,), 4, 3, 0, True),  # beyond the target is on it
    (key(3, 1), RULE, NOBODY_SHORT, (KEY,), 1, 3, 2, False),  # unsupported: counts as 认识
    (key(3, None), AT_ANY_STAGE, NOBODY_SHORT, (KEY,), 3, 3, 0, True),
    (key(None), RULE, NOBODY_SHORT, (KEY,), 0, 3, 3, False),  # no relationship at all
    (key(3, 3), TrustRule(stage=4), NOBODY_SHORT, (KEY,), 3, 4, 1, False),  # admin: 同盟
    (key(1), TrustRule(stage=2), NOBODY_SHORT, (KEY,), 1, 2, 1, False),  # admin: 约会
    (Person("G", is_guide=True, stage=2, evidence=2), RULE, {GUIDE}, (GUIDE,), 2, 3, 1, False),
    (Person("G", is_guide=True, stage=2, evidence=2), RULE, NOBODY_SHORT, (), 2, None, 0, False),
    (
        Person("D", is_decision_level=True, stage=1),
        RULE,
        {DECISION_LEVEL},
        (DECISION_LEVEL,),
        1,
        3,
        2,
        False,
    ),
    (Person("D", is_decision_level=True, stage=1), RULE, {GUIDE}, (), 1, None, 0, False),
    (
        Person("All", is_key=True, is_guide=True, is_decision_level=True, stage=3, evidence=3),
        RULE,
        {GUIDE, DECISION_LEVEL},
        (KEY, GUIDE, DECISION_LEVEL),
        3,
        3,
        0,
        True,
    ),
    (Person("Other", stage=1), RULE, {GUIDE, DECISION_LEVEL}, (), 1, None, 0, False),
]


@pytest.mark.parametrize(
    ("person", "rule", "unmet", "needed", "counted", "target", "behind", "on_target"), ROWS
)
def test_stage_against_the_gates_target(
    person, rule, unmet, needed, counted, target, behind, on_target
):
    row = trust_plan.plan_row(person, rule, unmet=frozenset(unmet), today=TODAY)
    assert row.needed_as == needed
    assert row.counted == counted
    assert row.target == target
    assert row.steps_behind == behind
    assert row.on_target is on_target
    assert row.unsupported is (counted < (person.stage or 0))


@pytest.mark.parametrize(
    ("next_day", "overdue"),
    [
        (TODAY - datetime.timedelta(days=1), True),
        (TODAY, False),  # planned for today: not late yet
        (TODAY + datetime.timedelta(days=5), False),
        (None, False),
    ],
)
def test_a_next_action_planned_for_a_past_day_is_overdue(next_day, overdue):
    action = NextAction("Visit", next_day) if next_day else None
    row = trust_plan.plan_row(key(2, 2), RULE, unmet=NOBODY_SHORT, today=TODAY, next_action=action)
    assert row.next_action == action
    assert row.overdue is overdue


@pytest.mark.parametrize(
    ("last_advance", "days"),
    [(TODAY - datetime.timedelta(days=45), 45), (TODAY, 0), (None, None)],
)
def test_days_since_the_last_advance(last_advance, days):
    row = trust_plan.plan_row(
        key(2, 2), RULE, unmet=NOBODY_SHORT, today=TODAY, last_advance=last_advance
    )
    assert row.days_since_advance == days


def test_the_unmet_count_checks_come_from_the_gate():
    guide_below = Person("G", is_guide=True, stage=2, evidence=2)
    boss_at_trust = Person("B", is_key=True, is_decision_level=True, stage=3, evidence=3)
    facts = GateFacts(qualification_passes=True, people=(guide_below, boss_at_trust), trust=RULE)
    assert trust_plan.unmet_counts(facts) == {GUIDE}
    two_guides = GateFacts(
        qualification_passes=True,
        people=(guide_below, boss_at_trust),
        trust=TrustRule(decision_level=2),
    )
    assert trust_plan.unmet_counts(two_guides) == {GUIDE, DECISION_LEVEL}


def test_key_people_first_then_those_with_a_target_the_furthest_behind_first():
    def row(name, person):
        return trust_plan.plan_row(person, RULE, unmet=frozenset({GUIDE}), today=TODAY)

    rows = [
        row("Other", Person("Other", stage=1)),
        row("Guide", Person("Guide", is_guide=True, stage=1)),
        row("Near", Person("Near", is_key=True, stage=2, evidence=2)),
        row("There", Person("There", is_key=True, stage=3, evidence=3)),
        row("Far", Person("Far", is_key=True, stage=1)),
    ]
    assert [r.name for r in trust_plan.order(rows)] == ["Far", "Near", "There", "Guide", "Other"]


def test_a_row_as_one_line_of_evidence():
    row = trust_plan.plan_row(
        Person("周敏", is_key=True, stage=2, evidence=2),
        RULE,
        unmet=NOBODY_SHORT,
        today=TODAY,
        next_action=NextAction("Visit", datetime.date(2026, 11, 10)),
        last_advance=TODAY - datetime.timedelta(days=45),
    )
    with translation.override("en"):
        assert trust_plan.line(row) == (
            "周敏: interaction (约会) → needs trust (信赖), 1 step behind; "
            "next: Visit on 2026-11-10, overdue; 45 days since the last advance"
        )
    with translation.override("zh-hans"):
        assert "约会" in trust_plan.line(row) and "信赖" in trust_plan.line(row)
    unsupported = trust_plan.plan_row(key(3, 1), RULE, unmet=NOBODY_SHORT, today=TODAY)
    with translation.override("en"):
        assert trust_plan.line(unsupported) == (
            "Key: trust (信赖) (unsupported: counts as acquaintance (认识)) → needs trust (信赖), "
            "2 steps behind; next: nothing planned; never advanced"
        )


@pytest.mark.parametrize(
    ("move", "words"),
    [(1, "Move 1 asks for no relationship stage"), (2, "this move's exit"), (4, "inflated")],
)
def test_the_note_says_what_the_target_means_in_the_deals_move(move, words):
    with translation.override("en"):
        assert words in trust_plan.gate_note(move, RULE)


# --- the query ----------------------------------------------------------------------------------


def _plan(contact, owner, when, status=PlannedActivity.Status.PLANNED, name="Visit"):
    kind, _created = ActivityType.objects.get_or_create(
        code=f"plan-{name}", defaults={"name_en": name, "name_zh": f"{name}（中）"}
    )
    return PlannedActivityFactory(
        account=contact.account,
        owner=owner,
        type=kind,
        starts_at=when,
        status=status,
        contacts=[contact],
    )


@pytest.mark.django_db
def test_the_figures_of_every_person_in_one_query(personas, django_assert_num_queries):
    now = timezone.now()
    account = AccountFactory(owner=personas.owner)
    zhou, quiet = ContactFactory(account=account), ContactFactory(account=account)
    relationship = RelationshipFactory(contact=zhou, stage=2)
    StageChange.objects.create(
        relationship=relationship,
        from_stage=1,
        to_stage=2,
        changed_at=now - datetime.timedelta(days=45),
    )
    StageChange.objects.create(  # going down is no advance
        relationship=relationship,
        from_stage=3,
        to_stage=2,
        changed_at=now - datetime.timedelta(days=5),
    )
    _plan(zhou, personas.owner, now + datetime.timedelta(days=9), name="Lunch")
    _plan(zhou, personas.owner, now - datetime.timedelta(days=2), name="Visit")
    _plan(zhou, personas.owner, now - datetime.timedelta(days=20), PlannedActivity.Status.DONE)
    _plan(zhou, personas.owner, now - datetime.timedelta(days=9), PlannedActivity.Status.CANCELLED)
    # another team's plan with the same person, on another account: not the owner's to see
    _plan(
        ContactFactory(account=AccountFactory(owner=personas.outsider)),
        personas.outsider,
        now - datetime.timedelta(days=1),
    ).contacts.add(zhou)
    with translation.override("en"), django_assert_num_queries(1):
        figures = trust_plan.person_figures([zhou.pk, quiet.pk], personas.owner)
    today = timezone.localdate()
    assert figures[zhou.pk] == {
        "last_advance": today - datetime.timedelta(days=45),
        "next_action": NextAction("Visit", today - datetime.timedelta(days=2)),
    }
    assert figures[quiet.pk] == {"last_advance": None, "next_action": None}
    with translation.override("zh-hans"):
        chinese = trust_plan.person_figures([zhou.pk], personas.owner)
    assert chinese[zhou.pk]["next_action"].name == "Visit（中）"
    outsider_sees = trust_plan.person_figures([zhou.pk], personas.outsider)
    assert outsider_sees[zhou.pk]["next_action"].day == today - datetime.timedelta(days=1)


def _grow_buying_group(deal, n):
    """n more key people, each with an advance, a step down and two open plans."""
    from tests.opportunities.factories import StakeholderFactory

    now = timezone.now()
    for i in range(n):
        contact = ContactFactory(account=deal.account)
        relationship = RelationshipFactory(contact=contact, stage=2)
        StakeholderFactory(opportunity=deal, contact=contact, influence="high")
        for from_stage, to_stage in ((1, 3), (3, 2)):
            StageChange.objects.create(
                relationship=relationship,
                from_stage=from_stage,
                to_stage=to_stage,
                changed_at=now - datetime.timedelta(days=10 + i),
            )
        for days in (-3, 4):
            _plan(contact, deal.owner, now + datetime.timedelta(days=days + i))


@pytest.mark.django_db
def test_the_review_with_its_trust_plan_costs_the_same_at_two_sizes(client_for, personas):
    from django.urls import reverse

    from tests.opportunities.pipeline_data import make_deal
    from tests.opportunities.test_pipeline_queries import REVIEW_QUERIES, count

    deal = make_deal(personas.owner, move=2)
    client = client_for(personas.manager)
    review = reverse("opportunities:review", args=[deal.pk])
    _grow_buying_group(deal, 2)
    small, _ctx = count(client, review)
    _grow_buying_group(deal, 10)
    large, ctx = count(client, review)
    rows = client.get(review).context["trust_plan"].rows
    assert len(rows) == 12 and all(r.next_action and r.days_since_advance for r in rows)
    assert large == small == REVIEW_QUERIES, "\n".join(q["sql"][:120] for q in ctx.captured_queries)
