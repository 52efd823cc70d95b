"""Stage inflation is found in SQL and stored (opportunities/pipeline/facts.py); it must agree with
the exit checks of opportunities/rules/stages.py over the facts the gate panel uses
(selectors.gate_facts). A deal is inflated when an exit check of a move before its own is
*unmet*."""

import random
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from accounts.models import Level
from opportunities.deals import selectors
from opportunities.models import Opportunity, PurchaseRole
from opportunities.pipeline import facts
from opportunities.pipeline import figures as pipeline
from opportunities.rules import gates, stages
from tests.factories import ContactFactory, RelationshipFactory
from tests.opportunities.conftest import support
from tests.opportunities.factories import StakeholderFactory
from tests.opportunities.pipeline_data import make_deal

pytestmark = pytest.mark.django_db


def python_inflated(deal) -> bool:
    stakeholders = selectors.stakeholders_of(deal)
    result = SimpleNamespace(passes=deal.qualification_verdict == "qualified", summary="")
    facts = selectors.gate_facts(stakeholders, result, opportunity=deal)
    return any(
        check.status == stages.CheckStatus.UNMET
        for move in range(1, deal.move)
        for check in gates.exit_checks(move, facts)
    )


def random_deal(owner, rng):
    from opportunities.models import Evaluation, ProjectApproval, PurchaseCriterion

    deal = make_deal(
        owner,
        move=rng.randint(1, 5),
        verdict=rng.choice(["qualified", "needs_work", ""]),
        amount=str(rng.randint(0, 9) * 1000),
    )
    for _ in range(rng.randint(0, 3)):
        contact = ContactFactory(
            account=deal.account,
            is_guide=rng.random() < 0.4,
            level=rng.choice([Level.DECISION, Level.MANAGEMENT, Level.OPERATIONAL]),
        )
        if rng.random() < 0.8:
            RelationshipFactory(contact=contact, stage=rng.randint(1, 4))
        if rng.random() < 0.6:  # supported or not, refused, pending or not yet done
            support(
                contact,
                rng.randint(1, 4),
                approval=rng.choice(["not_needed", "approved", "rejected", "pending"]),
                days_ago=rng.choice([1, 1, -3]),
            )
        roles = [PurchaseRole.DECISION_MAKER] if rng.random() < 0.5 else [PurchaseRole.USER]
        StakeholderFactory(
            opportunity=deal,
            contact=contact,
            influence=rng.choice(["high", "medium", "low"]),
            roles=roles,
        )
    if rng.random() < 0.5:
        yes = rng.random() < 0.6
        ProjectApproval.objects.create(
            opportunity=deal,
            decision="yes" if yes else rng.choice(["pending", "no"]),
            approved_budget=Decimal("50000") if yes else None,
        )
    if rng.random() < 0.5:
        PurchaseCriterion.objects.create(opportunity=deal, text="Close in 2 days", weight=30)
    if rng.random() < 0.5:
        Evaluation.objects.create(
            opportunity=deal,
            standing=rng.choice(["unknown", "evaluating", "shortlisted", "preferred"]),
            standing_evidence="Invitation to negotiate",
        )
    return deal


@pytest.mark.parametrize(
    ("seed", "rule"),
    [
        (1, {}),
        (2, {}),
        (3, {"trust_stage": 2, "trust_guides": 2, "trust_unsupported_counts": True}),
        (4, {"trust_stage": 4, "trust_decision_level": 0}),
    ],
)
def test_sql_inflation_agrees_with_the_exit_checks(personas, seed, rule):
    from opportunities.models import MoveThresholdSetting

    MoveThresholdSetting.objects.update_or_create(pk=1, defaults=rule)
    rng = random.Random(seed)
    for _ in range(25):
        random_deal(personas.owner, rng)
    facts.refresh_all()  # the factories write around the services
    scope = pipeline.scope_for(personas.owner)
    found = {d.pk for d in pipeline.inflated(scope)}
    expected = {d.pk for d in Opportunity.objects.filter(status="open") if python_inflated(d)}
    assert found == expected


def test_a_deal_in_move_3_without_a_guide_is_inflated_and_says_why(personas):
    deal = make_deal(personas.owner, move=3, verdict="qualified")
    boss = ContactFactory(account=deal.account, level=Level.DECISION)
    RelationshipFactory(contact=boss, stage=4)
    support(boss, 4)
    StakeholderFactory(
        opportunity=deal, contact=boss, influence="high", roles=[PurchaseRole.DECISION_MAKER]
    )
    facts.refresh([deal.pk])
    from opportunities.pipeline.views import unmet_labels

    [found] = pipeline.with_gate_checks(list(pipeline.inflated(pipeline.scope_for(personas.owner))))
    assert found.pk == deal.pk
    with translation.override("en"):
        assert [str(label) for label in unmet_labels(found)] == [
            "move 1: no guide (向导)",
            "move 2: too few guides (向导) at the gate's stage",
        ]


def test_a_deal_in_move_1_is_never_inflated(personas):
    make_deal(personas.owner, move=1)
    facts.refresh_all()
    assert not pipeline.inflated(pipeline.scope_for(personas.owner)).exists()
