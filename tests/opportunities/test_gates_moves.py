"""The exit checks of moves 3–6 over plain facts, and over real records through the move
service (METHOD.md §9.2)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from opportunities.deals import services
from opportunities.models import (
    Concern,
    Contract,
    Evaluation,
    NeedCategory,
    ProjectApproval,
    PurchaseCriterion,
)
from opportunities.rules import gates
from opportunities.rules.stages import GateFacts
from tests.opportunities.conftest import qualify_fully
from tests.opportunities.moves_factories import ensure_moves_defaults


def statuses(move, **facts):
    return {c.code: c.status for c in gates.exit_checks(move, GateFacts(True, **facts))}


@pytest.mark.parametrize(
    ("move", "facts", "expected"),
    [
        (3, {}, {"budget_approved": "not_measurable", "criteria_recorded": "not_measurable"}),
        (
            3,
            {"budget_approved": False, "criteria_recorded": True, "criteria_count": 2},
            {"budget_approved": "unmet", "criteria_recorded": "met"},
        ),
        (
            3,
            {"budget_approved": True, "approved_budget": Decimal(5), "criteria_recorded": True},
            {"budget_approved": "met", "criteria_recorded": "met"},
        ),
        (
            4,
            {"preferred_vendor": False, "standing_label": "under evaluation"},
            {"preferred_vendor": "unmet"},
        ),
        (4, {"preferred_vendor": True, "standing_evidence": "notice"}, {"preferred_vendor": "met"}),
        (
            5,
            {
                "open_concerns_without_plan": 1,
                "unplanned_concerns": ("wait",),
                "contract_signed": False,
            },
            {"concerns_planned": "unmet", "contract_signed": "unmet"},
        ),
        (
            5,
            {"open_concerns_without_plan": 0, "contract_signed": True},
            {"concerns_planned": "met", "contract_signed": "met"},
        ),
        (6, {"collected_percent": Decimal("99.9")}, {"collected": "unmet"}),
        (6, {"collected_percent": Decimal(100)}, {"collected": "met"}),
    ],
)
def test_exit_checks_of_moves_3_to_6(move, facts, expected):
    assert statuses(move, **facts) == expected


def test_details_name_what_blocks():
    (concerns, _) = gates.exit_checks(
        5,
        GateFacts(
            True,
            open_concerns_without_plan=1,
            unplanned_concerns=("再等等",),
            contract_signed=False,
        ),
    )
    assert "再等等" in concerns.detail


@pytest.fixture
def in_move_3(deal, personas):
    ensure_moves_defaults()
    qualify_fully(deal)
    services.change_move(deal, to_move=2, by=personas.owner)
    services.change_move(deal, to_move=3, by=personas.owner)
    return deal


def test_leaving_move_3_needs_budget_approved_and_criteria(in_move_3, personas):
    deal = in_move_3
    with pytest.raises(services.MoveRefused) as refused:
        services.change_move(deal, to_move=4, by=personas.owner)
    assert {c.code for c in refused.value.blocking} == {"budget_approved", "criteria_recorded"}
    ProjectApproval.objects.create(
        opportunity=deal, decision="yes", approved_budget=Decimal(100000)
    )
    PurchaseCriterion.objects.create(opportunity=deal, text="Close in 2 days", weight=40)
    services.change_move(deal, to_move=4, by=personas.owner)
    deal.refresh_from_db()
    assert deal.move == 4


def test_leaving_move_4_needs_preferred_or_shortlisted(in_move_3, personas):
    deal = in_move_3
    ProjectApproval.objects.create(opportunity=deal, decision="yes", approved_budget=Decimal(1))
    PurchaseCriterion.objects.create(opportunity=deal, text="c", weight=10)
    services.change_move(deal, to_move=4, by=personas.owner)
    Evaluation.objects.create(opportunity=deal, standing="evaluating")
    with pytest.raises(services.MoveRefused):
        services.change_move(deal, to_move=5, by=personas.owner)
    Evaluation.objects.filter(opportunity=deal).update(
        standing="shortlisted", standing_evidence="Notice"
    )
    services.change_move(deal, to_move=5, by=personas.owner)
    Concern.objects.create(opportunity=deal, signal="let's wait", owner=personas.owner)
    with pytest.raises(services.MoveRefused) as refused:
        services.change_move(deal, to_move=6, by=personas.owner)
    assert {c.code for c in refused.value.blocking} == {"concerns_planned", "contract_signed"}
    Concern.objects.filter(opportunity=deal).update(
        prevention_plan="p", remedy_plan="r", status="planned"
    )
    Contract.objects.create(opportunity=deal, signed_on=timezone.localdate(), amount=Decimal(1000))
    services.change_move(deal, to_move=6, by=personas.owner)
    deal.refresh_from_db()
    assert (deal.move, deal.status) == (6, "won")


def test_need_categories_are_seeded_for_the_comprehensive_check(db):
    ensure_moves_defaults()
    assert NeedCategory.objects.filter(required=True).count() >= 5
