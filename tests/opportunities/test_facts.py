"""The stored facts of each deal (opportunities/pipeline/facts.py) follow every change of their
inputs made through the services, so the pipeline never reads stale figures."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.signals import announce_people_changed
from opportunities.deals import services
from opportunities.models import MoveChange, OpportunityFacts, Stakeholder
from opportunities.pipeline import facts
from relationships import services as relationship_services
from tests.opportunities.conftest import qualify_fully
from tests.opportunities.factories import OpportunityFactory

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


def from_history(deal) -> dict:
    """The facts computed from scratch in Python from the deal's move history."""
    changes = list(MoveChange.objects.filter(opportunity=deal).order_by("changed_at", "pk"))
    times = {}
    for change, following in zip(changes, changes[1:], strict=False):
        if change.to_status == "open":
            times[change.to_move] = times.get(change.to_move, timedelta()) + (
                following.changed_at - change.changed_at
            )
    last = changes[-1]
    return {
        "first_move": changes[0].to_move,
        "furthest_move": max(c.to_move for c in changes),
        "open_since": last.changed_at if last.to_status == "open" else None,
        **{f"time_in_move_{m}": times.get(m) for m in range(1, 6)},
    }


steps = st.lists(
    st.one_of(st.integers(min_value=1, max_value=6), st.sampled_from(["lost", "open"])),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps)
def test_the_stored_facts_equal_the_history_recomputed(personas, walk):
    deal = OpportunityFactory(account__owner=personas.owner)
    MoveChange.objects.create(
        opportunity=deal, to_move=1, to_status="open", changed_by=personas.owner
    )
    facts.refresh([deal.pk])  # as services.save_opportunity does for a new deal
    for step in walk:
        deal.refresh_from_db()
        try:
            if step == "lost":
                services.set_outcome(
                    deal,
                    status="lost",
                    by=personas.admin,
                    data={"lost_reason": "Price", "lost_at_buyer_stage": "evaluate"},
                )
            elif step == "open":
                services.set_outcome(
                    deal,
                    status="open",
                    by=personas.admin,
                    data={"next_step": "Call", "next_step_date": deal.next_step_date},
                )
            else:
                services.change_move(
                    deal, to_move=step, by=personas.admin, override=True, reason="test"
                )
        except services.MoveRefused:
            continue  # a step the rules refuse (same move, closed deal) changes nothing
    stored_row = OpportunityFacts.objects.filter(opportunity=deal).values().get()
    assert {key: stored_row[key] for key in from_history(deal)} == from_history(deal)
