"""Move changes through services.change_move / set_outcome: gates, overrides, exact history."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from opportunities.deals import services
from opportunities.models import MoveChange, Opportunity, Status
from tests.opportunities.conftest import qualify_fully


def history(opportunity):
    return list(
        MoveChange.objects.filter(opportunity=opportunity)
        .order_by("changed_at", "pk")
        .values_list("from_move", "to_move", "to_status", "is_override")
    )


def test_a_qualified_deal_with_a_decision_maker_and_guide_advances_without_override(deal, personas):
    qualify_fully(deal)
    change = services.change_move(deal, to_move=2, by=personas.owner)
    deal.refresh_from_db()
    assert deal.move == 2
    assert deal.entered_move_at == change.changed_at
    assert not change.is_override
    assert history(deal) == [(None, 1, "open", False), (1, 2, "open", False)]


def test_a_rep_is_refused_with_the_list_of_unmet_checks(deal, personas):
    with pytest.raises(services.MoveRefused) as refusal:
        services.change_move(deal, to_move=2, by=personas.owner, override=True, reason="pls")
    assert {c.code for c in refusal.value.blocking} == {"qualified", "decision_maker", "guide"}
    deal.refresh_from_db()
    assert deal.move == 1
    assert len(history(deal)) == 1


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_a_manager_of_the_owners_team_or_an_admin_overrides_with_a_reason(deal, personas, who):
    user = getattr(personas, who)
    with translation.override("en"):
        change = services.change_move(
            deal, to_move=3, by=user, override=True, reason="Budget confirmed by phone"
        )
    assert change.is_override
    assert change.changed_by == user
    assert change.reason == "Budget confirmed by phone"
    # The unmet checks are stored as the overriding manager read them.
    assert "decision maker" in change.overridden_checks.lower()


def test_a_manager_of_another_team_cannot_override(deal, personas):
    with pytest.raises(services.MoveRefused):
        services.change_move(
            deal, to_move=2, by=personas.outsider_manager, override=True, reason="x"
        )


def test_an_override_without_a_reason_is_refused(deal, personas):
    with pytest.raises(services.MoveRefused):
        services.change_move(deal, to_move=2, by=personas.manager, override=True, reason="  ")
    assert len(history(deal)) == 1


def test_an_unrequested_override_is_not_granted_silently(deal, personas):
    with pytest.raises(services.MoveRefused):
        services.change_move(deal, to_move=2, by=personas.manager, reason="because")


def test_moves_3_to_6_cannot_pass_without_override_even_when_everything_else_is_met(deal, personas):
    qualify_fully(deal)
    services.change_move(deal, to_move=2, by=personas.owner)
    services.change_move(deal, to_move=3, by=personas.owner)  # trust gate met by the fixture
    with pytest.raises(services.MoveRefused) as refusal:
        services.change_move(deal, to_move=4, by=personas.owner)
    # Move 3's gate reads the needs records (issue 6): with none recorded, both checks are unmet.
    assert {(c.code, c.status) for c in refusal.value.blocking} == {
        ("budget_approved", "unmet"),
        ("criteria_recorded", "unmet"),
    }


def test_moving_back_is_allowed_and_recorded(deal, personas):
    services.change_move(deal, to_move=3, by=personas.manager, override=True, reason="ok")
    change = services.change_move(deal, to_move=2, by=personas.owner, reason="Trust lost")
    assert (change.from_move, change.to_move, change.is_override) == (3, 2, False)
    assert history(deal)[-1] == (3, 2, "open", False)


def test_entering_move_6_means_the_contract_is_signed(deal, personas):
    services.change_move(deal, to_move=6, by=personas.admin, override=True, reason="Signed")
    deal.refresh_from_db()
    assert deal.status == Status.WON
    assert deal.closed_at is not None
    assert history(deal)[-1] == (1, 6, "won", True)


def test_the_owner_cannot_take_a_move_1_deal_straight_to_won(deal, personas):
    with pytest.raises(services.MoveRefused) as refusal:
        services.set_outcome(deal, status=Status.WON, by=personas.owner, data={})
    assert {"qualified", "decision_maker", "guide", "contract_signed"} <= {
        c.code for c in refusal.value.blocking
    }
    deal.refresh_from_db()
    assert (deal.status, deal.move) == (Status.OPEN, 1)
    assert len(history(deal)) == 1


def test_won_lost_abandoned_and_reopen_are_recorded(deal, personas):
    services.set_outcome(
        deal, status=Status.WON, by=personas.manager, data={}, override=True, reason="Signed"
    )
    deal.refresh_from_db()
    assert (deal.status, deal.move) == (Status.WON, 6)
    services.set_outcome(
        deal,
        status=Status.OPEN,
        by=personas.owner,
        data={"next_step": "Renegotiate", "next_step_date": deal.next_step_date},
    )
    deal.refresh_from_db()
    assert (deal.status, deal.move) == (Status.OPEN, 5)
    services.set_outcome(
        deal,
        status=Status.LOST,
        by=personas.owner,
        data={"lost_reason": "Price", "lost_at_buyer_stage": "commit", "lost_to": None},
    )
    deal.refresh_from_db()
    assert (deal.status, deal.move, deal.lost_reason) == (Status.LOST, 5, "Price")
    assert [row[1:3] for row in history(deal)] == [
        (1, "open"),
        (6, "won"),
        (5, "open"),
        (5, "lost"),
    ]


def test_a_closed_deal_cannot_change_move(deal, personas):
    services.set_outcome(
        deal, status=Status.ABANDONED, by=personas.owner, data={"lost_reason": "No budget"}
    )
    with pytest.raises(services.MoveRefused):
        services.change_move(deal, to_move=2, by=personas.admin, override=True, reason="x")


def test_lost_without_a_reason_writes_nothing(deal, personas):
    with pytest.raises(ValidationError):
        services.set_outcome(deal, status=Status.LOST, by=personas.owner, data={"lost_reason": ""})
    deal.refresh_from_db()
    assert deal.status == Status.OPEN
    assert len(history(deal)) == 1


def test_the_database_refuses_an_open_deal_without_a_next_step(deal):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=deal.pk).update(next_step="")


def test_the_database_refuses_a_won_deal_outside_move_6(deal):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=deal.pk).update(status=Status.WON)
