"""One path to won (issue 17): the outcome page, the signed contract and imports pass the same
gate as a move change; a manager overrides with a reason, recorded with the checks overridden;
imported history is recorded as imported; won by override counts as stage-inflated."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from opportunities.deals import services
from opportunities.models import MoveChange, Opportunity, OpportunityFacts, Status
from opportunities.rules import gates, stages
from tests.opportunities.conftest import qualify_fully
from tests.opportunities.test_import_files import HEADER, catalogue, run  # noqa: F401

pytestmark = pytest.mark.django_db


def outcome(client, deal, **extra):
    return client.post(reverse("opportunities:outcome", args=[deal.pk]), {"status": "won", **extra})


def last_change(deal):
    return MoveChange.objects.filter(opportunity=deal).order_by("-changed_at", "-pk").first()


@pytest.mark.parametrize(
    ("who", "extra", "won", "override_offered"),
    [
        ("owner", {}, False, False),
        ("owner", {"override": "on", "reason": "please"}, False, False),  # a rep cannot override
        ("teammate", {"override": "on", "reason": "x"}, False, False),  # not their deal: 404
        ("manager", {}, False, True),  # the override is never granted unasked
        ("manager", {"override": "on", "reason": "Signed at the fair"}, True, True),
        ("admin", {"override": "on", "reason": "Signed at the fair"}, True, True),
        ("outsider_manager", {"override": "on", "reason": "x"}, False, False),
    ],
)
def test_the_outcome_page_won_goes_through_the_gate(
    personas, client_for, deal, who, extra, won, override_offered
):
    response = outcome(client_for(getattr(personas, who)), deal, **extra)
    deal.refresh_from_db()
    assert (deal.status == Status.WON) is won
    if won:
        assert response.status_code == 302
        change = last_change(deal)
        assert (change.is_override, change.reason, change.is_imported) == (
            True,
            "Signed at the fair",
            False,
        )
        assert "guide" in change.overridden_checks.lower() or "向导" in change.overridden_checks
    elif response.status_code == 200:
        refusal = response.context["refusal"]
        assert {"qualified", "decision_maker", "guide"} <= {c.code for c in refusal.blocking}
        assert ('name="override"' in response.content.decode()) is override_offered
        assert MoveChange.objects.filter(opportunity=deal).count() == 1
    else:
        assert response.status_code == 404  # outsiders, as everywhere


def test_an_override_without_a_reason_is_a_field_error(personas, client_for, deal):
    response = outcome(client_for(personas.manager), deal, override="on", reason=" ")
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    deal.refresh_from_db()
    assert deal.status == Status.OPEN


def test_the_refusal_lists_each_check_in_the_users_language(personas, client_for, deal):
    with translation.override("zh-hans"):
        response = outcome(client_for(personas.owner), deal, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.context["refusal"]
    assert "向导" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_deal_without_an_account_does_not_break_the_outcome_page(
    personas, client_for, deal, method
):
    Opportunity.objects.filter(pk=deal.pk).update(account=None)
    client = client_for(personas.owner)
    url = reverse("opportunities:outcome", args=[deal.pk])
    if method == "get":
        assert client.get(url).status_code == 200
    else:
        response = client.post(url, {"status": "abandoned", "lost_reason": "No budget"})
        assert response.status_code == 302
        deal.refresh_from_db()
        assert deal.status == Status.ABANDONED


def test_won_from_a_lost_deal_is_gated_too(personas, deal):
    services.set_outcome(
        deal,
        status=Status.LOST,
        by=personas.owner,
        data={"lost_reason": "Price", "lost_at_buyer_stage": "evaluate"},
    )
    with pytest.raises(services.MoveRefused):
        services.set_outcome(deal, status=Status.WON, by=personas.owner, data={})
    services.set_outcome(
        deal, status=Status.WON, by=personas.admin, data={}, override=True, reason="Came back"
    )
    deal.refresh_from_db()
    assert (deal.status, deal.move) == (Status.WON, 6)


def test_reopening_a_won_deal_needs_no_gate(personas, deal):
    services.set_outcome(
        deal, status=Status.WON, by=personas.manager, data={}, override=True, reason="Signed"
    )
    deal.refresh_from_db()
    services.set_outcome(
        deal,
        status=Status.OPEN,
        by=personas.owner,
        data={"next_step": "Renegotiate", "next_step_date": deal.next_step_date},
    )
    deal.refresh_from_db()
    assert (deal.status, deal.move) == (Status.OPEN, 5)


def test_won_by_override_counts_as_stage_inflated_and_lost_does_not(personas, deal):
    services.set_outcome(
        deal, status=Status.WON, by=personas.manager, data={}, override=True, reason="Signed"
    )
    assert OpportunityFacts.objects.get(opportunity=deal).stage_inflated is True
    services.set_outcome(
        deal,
        status=Status.OPEN,
        by=personas.owner,
        data={"next_step": "Call", "next_step_date": timezone.localdate()},
    )
    services.set_outcome(
        deal,
        status=Status.LOST,
        by=personas.owner,
        data={"lost_reason": "Price", "lost_at_buyer_stage": "evaluate"},
    )
    assert OpportunityFacts.objects.get(opportunity=deal).stage_inflated is False


def test_won_through_met_checks_of_move_1_is_not_inflated_by_move_1(personas, deal):
    """A qualified deal with its people moved to 2 through the gate is not inflated; the
    same deal won by override still is (moves 3–4 unmet)."""
    qualify_fully(deal)
    services.change_move(deal, to_move=2, by=personas.owner)
    assert OpportunityFacts.objects.get(opportunity=deal).stage_inflated is False
    services.set_outcome(
        deal, status=Status.WON, by=personas.manager, data={}, override=True, reason="Signed"
    )
    assert OpportunityFacts.objects.get(opportunity=deal).stage_inflated is True


# --- imports ------------------------------------------------------------------------------


def test_imported_history_is_recorded_as_imported(personas, catalogue):  # noqa: F811
    content = (HEADER + "H1,owner,ACME,GTX Pro,won,2017-01-02,2017-03-01,4514\n").encode()
    with translation.override("en"):
        report = run(personas.manager, "opportunities", content, commit=True)
    assert report.applied and not report.rejected
    deal = Opportunity.objects.get(external_id="H1")
    change = last_change(deal)
    assert (deal.status, change.is_imported, change.is_override) == (Status.WON, True, False)


@pytest.mark.parametrize(
    ("stage", "closed_on", "rejected"),
    [
        ("won", "2017-03-01", True),  # an early deal declared won by a file
        ("3", "", True),  # a jump forward past unmet checks
        ("1", "", False),  # unchanged move
        ("lost", "2017-03-01", False),  # losing needs no gate
    ],
)
def test_an_import_update_takes_a_deal_forward_only_through_the_gate(
    personas,
    catalogue,  # noqa: F811
    stage,
    closed_on,
    rejected,
):
    first = (HEADER + "U1,owner,ACME,GTX Pro,1,,,\n").encode()
    with translation.override("en"):
        run(personas.manager, "opportunities", first, commit=True)
        again = (HEADER + f"U1,owner,ACME,GTX Pro,{stage},,{closed_on},\n").encode()
        report = run(personas.manager, "opportunities", again, commit=True)
    deal = Opportunity.objects.get(external_id="U1")
    if rejected:
        assert report.rejected and "exit checks" in report.rejected[0]["errors"][0][1]
        assert (deal.status, deal.move) == (Status.OPEN, 1)
    else:
        assert not report.rejected


def test_an_import_update_passes_when_the_checks_are_met(personas, catalogue):  # noqa: F811
    with translation.override("en"):
        first = (HEADER + "U2,owner,ACME,,1,,,\n").encode()
        run(personas.manager, "opportunities", first, commit=True)
        deal = Opportunity.objects.get(external_id="U2")
        qualify_fully(deal)
        second = (HEADER + "U2,owner,ACME,,2,,,\n").encode()
        report = run(personas.manager, "opportunities", second, commit=True)
    assert not report.rejected
    deal.refresh_from_db()
    assert deal.move == 2
    assert last_change(deal).is_imported


# --- the law: an override never hides a check from the record ----------------------------

facts_strategy = st.builds(
    stages.GateFacts,
    qualification_passes=st.booleans(),
    people=st.lists(
        st.builds(
            stages.Person,
            name=st.sampled_from(["A", "B", "C"]),
            is_decision_maker=st.booleans(),
            is_key=st.booleans(),
            is_decision_level=st.booleans(),
            is_guide=st.booleans(),
            stage=st.none() | st.integers(1, 4),
        ),
        max_size=4,
    ).map(tuple),
    budget_approved=st.none() | st.booleans(),
    criteria_recorded=st.none() | st.booleans(),
    preferred_vendor=st.none() | st.booleans(),
    open_concerns_without_plan=st.none() | st.integers(0, 2),
    contract_signed=st.none() | st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(facts=facts_strategy, start=st.integers(1, 5))
def test_an_override_records_every_unmet_check_it_passes(facts, start):
    decision = gates.decide_move(start, stages.WON_MOVE, facts, may_override=True, override=True)
    unmet = [
        check
        for move in range(start, stages.WON_MOVE)
        for check in gates.exit_checks(move, facts)
        if not check.is_met
    ]
    assert decision.allowed
    assert decision.needs_override is bool(unmet)
    record = services._overridden(decision)
    assert all(f"{c.label}: {c.status_label}" in record for c in unmet)
    refused = gates.decide_move(start, stages.WON_MOVE, facts, may_override=False, override=True)
    assert refused.allowed is not bool(unmet)
