"""The stored facts of each deal (opportunities/facts.py) follow every change of their inputs
made through the services, so the pipeline never reads stale figures."""

import pytest

from accounts.signals import announce_people_changed
from opportunities import facts, services
from opportunities.models import MoveChange, OpportunityFacts, Stakeholder
from relationships import services as relationship_services
from tests.opportunities.conftest import qualify_fully

pytestmark = pytest.mark.django_db


def stored(deal) -> OpportunityFacts:
    return OpportunityFacts.objects.get(opportunity=deal)


def test_a_move_change_stores_first_and_furthest_move_and_the_time_per_move(deal, personas):
    change = services.change_move(
        deal, to_move=3, by=personas.manager, override=True, reason="Budget confirmed"
    )
    row = stored(deal)
    assert (row.first_move, row.furthest_move, row.stage_inflated) == (1, 3, True)
    assert row.open_since == change.changed_at
    assert row.time_in_move_1 is not None and row.time_in_move_3 is None
    first = MoveChange.objects.filter(opportunity=deal).order_by("changed_at", "pk").first()
    assert first.left_at == change.changed_at

    back = services.change_move(deal, to_move=2, by=personas.owner)
    row = stored(deal)
    assert (row.first_move, row.furthest_move) == (1, 3)  # the furthest move stays
    assert row.time_in_move_3 == back.changed_at - change.changed_at
    assert row.open_since == back.changed_at


def test_closing_a_deal_ends_its_open_stay(deal, personas):
    services.set_outcome(
        deal, status="abandoned", by=personas.owner, data={"lost_reason": "No budget"}
    )
    row = stored(deal)
    assert row.open_since is None
    assert row.time_in_move_1 is not None


def test_losing_the_guide_through_the_people_services_inflates_the_deal(deal, personas):
    qualify_fully(deal)
    services.change_move(deal, to_move=2, by=personas.owner)
    assert stored(deal).stage_inflated is False
    guide = Stakeholder.objects.get(opportunity=deal, contact__name="Guide").contact
    guide.is_guide = False
    guide.save()
    announce_people_changed([guide.pk])  # what accounts/relationships services send
    assert stored(deal).stage_inflated is True


def test_a_key_person_falling_below_trust_inflates_a_deal_in_move_3(deal, personas):
    qualify_fully(deal)
    services.change_move(
        deal, to_move=3, by=personas.manager, override=True, reason="Approval in hand"
    )
    boss = Stakeholder.objects.get(opportunity=deal, contact__name="Boss").contact
    deal_facts = stored(deal)
    assert deal_facts.stage_inflated is False
    relationship_services.change_stage(contact=boss, to_stage=2, by=personas.owner)
    assert stored(deal).stage_inflated is True


def test_removing_the_decision_maker_inflates_the_deal(deal, personas):
    qualify_fully(deal)
    services.change_move(deal, to_move=2, by=personas.owner)
    boss = Stakeholder.objects.get(opportunity=deal, contact__name="Boss")
    services.remove_stakeholder(boss)
    assert stored(deal).stage_inflated is True


def test_refresh_missing_fills_only_the_deals_without_facts(deal, personas):
    assert not OpportunityFacts.objects.filter(opportunity=deal).exists()
    assert facts.refresh_missing() == 1
    assert stored(deal).first_move == 1
    assert facts.refresh_missing() == 0


def test_refresh_is_idempotent(deal, personas):
    services.change_move(deal, to_move=3, by=personas.manager, override=True, reason="ok")
    before = list(OpportunityFacts.objects.values())
    facts.refresh_all()
    assert list(OpportunityFacts.objects.values()) == before
