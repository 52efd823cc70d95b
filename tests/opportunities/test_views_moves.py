"""The move 3–6 views: the permission matrix of every URL, the inline (htmx) add/edit flow,
bad input, the contract making the deal won, and the opportunity page's query count with
every section filled."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from opportunities.models import (
    Concern,
    Contract,
    Need,
    NeedCategory,
    NegotiationItem,
    Opportunity,
    PaymentMilestone,
    PurchaseCriterion,
    Receipt,
)
from tests.factories import CompetitorFactory, ContactFactory
from tests.opportunities.moves_factories import (
    ensure_moves_defaults,
    fill_moves,
    won_deal_with_milestones,
)

KINDS = [
    "need",
    "approval",
    "criterion",
    "evaluation",
    "value",
    "concern",
    "negotiation",
    "contract",
    "milestone",
    "receipt",
    "commitment",
]
SEES = {
    "owner": True,
    "teammate": False,
    "manager": True,
    "outsider": False,
    "outsider_manager": False,
    "admin": True,
}


@pytest.fixture(autouse=True)
def english(db):
    ensure_moves_defaults()
    with translation.override("en"):
        yield


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who", list(SEES))
def test_the_add_form_of_every_kind_follows_the_access_policy(
    personas, client_for, deal, kind, who
):
    response = client_for(getattr(personas, who)).get(
        reverse("opportunities:record_new", args=[deal.pk, kind])
    )
    assert response.status_code == (200 if SEES[who] else 404)


def test_anonymous_visitors_are_sent_to_log_in(client, deal):
    for name, args in [
        ("record_new", [deal.pk, "need"]),
        ("record_edit", [deal.pk, "need", 1]),
        ("record_delete", [deal.pk, "need", 1]),
        ("negotiation_decide", [deal.pk, 1]),
    ]:
        response = client.post(reverse(f"opportunities:{name}", args=args))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_unknown_kind_is_not_found(personas, client_for, deal):
    response = client_for(personas.owner).get(
        reverse("opportunities:record_new", args=[deal.pk, "gift"])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", list(SEES))
def test_edit_and_delete_follow_the_access_policy(personas, client_for, deal, who):
    need = Need.objects.create(
        opportunity=deal, category=NeedCategory.objects.first(), problem="slow"
    )
    client = client_for(getattr(personas, who))
    edit = client.get(reverse("opportunities:record_edit", args=[deal.pk, "need", need.pk]))
    delete = client.post(reverse("opportunities:record_delete", args=[deal.pk, "need", need.pk]))
    assert edit.status_code == (200 if SEES[who] else 404)
    assert delete.status_code == (302 if SEES[who] else 404)
    assert Need.objects.filter(pk=need.pk).exists() is not SEES[who]


def test_a_record_of_another_deal_is_not_found_through_this_one(personas, client_for, deal):
    other = won_deal_with_milestones(personas.owner)
    milestone = other.payment_milestones.first()
    response = client_for(personas.owner).get(
        reverse("opportunities:record_edit", args=[deal.pk, "milestone", milestone.pk])
    )
    assert response.status_code == 404


def test_htmx_opens_the_form_inline_and_a_save_reloads_the_page_at_the_section(
    personas, client_for, deal
):
    client = client_for(personas.owner)
    url = reverse("opportunities:record_new", args=[deal.pk, "need"])
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b'id="move-form-need"' in fragment.content
    category = NeedCategory.objects.first()
    response = client.post(
        url,
        {"problem": "Month-end close takes 5 days", "category": category.pk, "severity": "high"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].endswith(f"/opportunities/{deal.pk}/#move-3")
    assert Need.objects.get(opportunity=deal).problem == "Month-end close takes 5 days"


def test_bad_input_is_refused_field_by_field(personas, client_for, deal):
    client = client_for(personas.owner)
    response = client.post(
        reverse("opportunities:record_new", args=[deal.pk, "need"]),
        {"problem": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"problem", "category"}
    assert not Need.objects.exists()


def test_a_contact_of_another_account_cannot_be_attached(personas, client_for, deal):
    stranger = ContactFactory()
    response = client_for(personas.owner).post(
        reverse("opportunities:record_new", args=[deal.pk, "need"]),
        {
            "problem": "x",
            "category": NeedCategory.objects.first().pk,
            "severity": "low",
            "contact": stranger.pk,
        },
    )
    assert response.status_code == 400 and "contact" in response.context["form"].errors


def test_a_second_save_from_a_stale_form_is_refused(personas, client_for, deal):
    need = Need.objects.create(
        opportunity=deal, category=NeedCategory.objects.first(), problem="slow"
    )
    url = reverse("opportunities:record_edit", args=[deal.pk, "need", need.pk])
    client = client_for(personas.owner)
    version = client.get(url).context["form"].initial["version"]
    data = {
        "problem": "slow",
        "category": need.category_id,
        "severity": "medium",
        "version": version,
    }
    assert client.post(url, {**data, "target": "≤ 2 days"}).status_code == 302
    stale = client.post(url, {**data, "target": "≤ 3 days"})
    assert stale.status_code == 400 and stale.context["form"].non_field_errors()
    need.refresh_from_db()
    assert need.target == "≤ 2 days"


def test_criterion_saves_our_fit_and_each_competitors(personas, client_for, deal):
    competitor = CompetitorFactory(name="Rival Soft")
    response = client_for(personas.owner).post(
        reverse("opportunities:record_new", args=[deal.pk, "criterion"]),
        {
            "text": "Close time",
            "weight": "30",
            "origin": "us",
            "our_fit": "5",
            "status": "draft",
            "other_competitor": competitor.pk,
            "other_fit": "3",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    criterion = PurchaseCriterion.objects.get(opportunity=deal)
    assert [(f.competitor.name, f.fit) for f in criterion.competitor_fits.all()] == [
        ("Rival Soft", 3)
    ]


def test_recording_the_contract_on_a_move_1_deal_is_refused_for_the_rep(personas, client_for, deal):
    response = client_for(personas.owner).post(
        reverse("opportunities:record_new", args=[deal.pk, "contract"]),
        {"signed_on": timezone.localdate().isoformat(), "amount": "250000", "number": "C-1"},
    )
    assert response.status_code == 400
    assert {c.code for c in response.context["refusal"].blocking} >= {"qualified", "guide"}
    assert "gate-override" not in response.content.decode()  # a rep is offered no override
    deal.refresh_from_db()
    assert (deal.status, deal.move) == ("open", 1)
    assert not Contract.objects.filter(opportunity=deal).exists()  # nothing half-written


def test_recording_the_contract_makes_the_deal_won_by_a_managers_override(
    personas, client_for, deal
):
    response = client_for(personas.manager).post(
        reverse("opportunities:record_new", args=[deal.pk, "contract"]),
        {
            "signed_on": timezone.localdate().isoformat(),
            "amount": "250000",
            "number": "C-1",
            "gate-override": "on",
            "gate-reason": "Signed at the trade fair",
        },
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.status, deal.move) == ("won", 6)
    change = deal.move_changes.order_by("-pk").first()
    assert (change.to_status, change.is_override) == ("won", True)
    assert change.reason == "Signed at the trade fair" and change.overridden_checks


def test_a_contract_cannot_be_signed_before_the_deal_existed(personas, client_for, deal):
    Opportunity.objects.filter(pk=deal.pk).update(created_at=timezone.now())
    before = (timezone.localdate() - timezone.timedelta(days=3)).isoformat()
    response = client_for(personas.owner).post(
        reverse("opportunities:record_new", args=[deal.pk, "contract"]),
        {"signed_on": before, "amount": "1"},
    )
    assert response.status_code == 400 and "signed_on" in response.context["form"].errors
    assert not Contract.objects.exists()


def test_a_receipt_larger_than_what_is_due_is_refused(personas, client_for):
    deal = won_deal_with_milestones(personas.owner)
    milestone = deal.payment_milestones.get(name="acceptance")  # 50 000 due
    url = reverse("opportunities:record_new", args=[deal.pk, "receipt"])
    client = client_for(personas.owner)
    data = {"milestone": milestone.pk, "received_on": timezone.localdate().isoformat()}
    refused = client.post(url, {**data, "amount": "50000.01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "still due" in str(refused.context["form"].errors["amount"])
    assert client.post(url, {**data, "amount": "50000"}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "paid"


def test_milestones_cannot_add_up_to_more_than_the_contract(personas, client_for):
    deal = won_deal_with_milestones(personas.owner)  # milestones already make up 100 000
    response = client_for(personas.owner).post(
        reverse("opportunities:record_new", args=[deal.pk, "milestone"]),
        {"name": "extra", "amount": "1", "due_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400 and "amount" in response.context["form"].errors


def test_a_milestone_with_receipts_is_not_deleted(personas, client_for):
    deal = won_deal_with_milestones(personas.owner)
    paid = deal.payment_milestones.get(name="signing")
    client_for(personas.owner).post(
        reverse("opportunities:record_delete", args=[deal.pk, "milestone", paid.pk])
    )
    assert PaymentMilestone.objects.filter(pk=paid.pk).exists()


def test_a_discount_above_the_limit_waits_for_a_manager(personas, client_for, deal):
    url = reverse("opportunities:record_new", args=[deal.pk, "negotiation"])
    owner = client_for(personas.owner)
    refused = owner.post(url, {"topic": "price", "discount_percent": "20", "status": "agreed"})
    assert refused.status_code == 400 and "status" in refused.context["form"].errors
    assert (
        owner.post(url, {"topic": "price", "discount_percent": "20", "status": "open"}).status_code
        == 302
    )
    item = NegotiationItem.objects.get(opportunity=deal)
    assert item.approval == "pending"
    decide = reverse("opportunities:negotiation_decide", args=[deal.pk, item.pk])
    assert owner.post(decide, {"decision": "approve"}).status_code == 403
    assert client_for(personas.manager).post(decide, {"decision": "approve"}).status_code == 302
    item.refresh_from_db()
    assert (item.approval, item.decided_by) == ("approved", personas.manager)


@pytest.mark.parametrize("who", ["teammate", "outsider", "outsider_manager"])
def test_people_who_cannot_see_the_deal_cannot_decide(personas, client_for, deal, who):
    item = NegotiationItem.objects.create(
        opportunity=deal, topic="price", discount_percent=30, approval="pending"
    )
    response = client_for(getattr(personas, who)).post(
        reverse("opportunities:negotiation_decide", args=[deal.pk, item.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 404


def test_a_concern_with_both_plans_becomes_planned(personas, client_for, deal):
    response = client_for(personas.owner).post(
        reverse("opportunities:record_new", args=[deal.pk, "concern"]),
        {
            "signal": "let's wait",
            "risk_type": "price",
            "owner": personas.owner.pk,
            "status": "open",
            "prevention_plan": "a",
            "remedy_plan": "b",
        },
    )
    assert response.status_code == 302
    assert Concern.objects.get(opportunity=deal).status == "planned"


def test_the_detector_suggests_a_concern_from_a_visit_note(personas, client_for, deal):
    from relationships.models import Activity, ActivityType

    kind = ActivityType.objects.first()
    activity = Activity.objects.create(
        account=deal.account, type=kind, owner=personas.owner, notes="客户说最近忙，再等等"
    )
    page = client_for(personas.owner).get(reverse("opportunities:detail", args=[deal.pk]))
    suggestions = page.context["moves"]["suggestions"]
    assert [s.activity_id for s, _ in suggestions] == [activity.pk]
    form = (
        client_for(personas.owner)
        .get(
            reverse("opportunities:record_new", args=[deal.pk, "concern"])
            + f"?activity={activity.pk}&phrase=再等等"
        )
        .context["form"]
    )
    assert form.initial["activity"] == activity.pk and form.initial["signal"] == "再等等"


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# The opportunity page with every section of moves 3–6 filled: the 5 queries of the page itself
# (see test_views_queries.py; the one-to-ones approval, evaluation and contract, the settings
# and the line items come with the opportunity's row) + need categories (+ the needs),
# criteria (+ competitor fits), value points (+ their criteria), concerns, the detector's
# notes (+ the signal phrases), negotiation items, milestones (+ receipts), commitments (8):
# the children are joined to their parents' query, so a filled page costs what an empty one
# does; the deal is won, so the after-sale section adds its satisfaction checks and referrals
# (2, test_aftersale_views.py).
FULL_DETAIL_QUERIES = 5 + 8 + 2


def test_the_opportunity_page_with_every_section_filled_costs_the_same_at_two_sizes(
    personas, client_for
):
    deal = won_deal_with_milestones(personas.owner)
    client = client_for(personas.owner)
    url = reverse("opportunities:detail", args=[deal.pk])
    fill_moves(deal, 1)
    count(client, url)
    small = count(client, url)
    fill_moves(deal, 12)
    count(client, url)
    assert count(client, url) == small == FULL_DETAIL_QUERIES


def test_the_page_shows_every_section(personas, client_for):
    deal = won_deal_with_milestones(personas.owner)
    fill_moves(deal, 2)
    body = (
        client_for(personas.owner)
        .get(reverse("opportunities:detail", args=[deal.pk]))
        .content.decode()
    )
    for anchor in ("move-3", "move-3-criteria", "move-4", "move-5", "move-6"):
        assert f'id="{anchor}"' in body
    assert "Don&#x27;t fight here" not in body or "别在这里打" in body
    assert Receipt.objects.filter(milestone__opportunity=deal).count() == 3
    assert (
        Decimal(0)
        < client_for(personas.owner)
        .get(reverse("opportunities:detail", args=[deal.pk]))
        .context["moves"]["collected_percent"]
        < 100
    )
