"""The records of moves 3–6 in the API: an ERP posting receipts, the signed contract's gate,
the access policy, If-Match, and lists whose cost does not grow with their rows — all through
the web's forms and services, so the answers are the web's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from crm.api.models import ApiToken
from opportunities.models import (
    Commitment,
    Concern,
    Contract,
    Evaluation,
    MoveChange,
    Need,
    NeedCategory,
    PaymentMilestone,
    ProjectApproval,
    PurchaseCriterion,
    Receipt,
    ValuePoint,
)
from tests.api.conftest import token_for
from tests.opportunities.factories import OpportunityFactory
from tests.opportunities.moves_factories import (
    ensure_moves_defaults,
    fill_moves,
    won_deal_with_milestones,
)
from tests.world import build_world

# One record of each kind in tests/world.py's World, by the path of its list.
RECORDS = {
    "needs": lambda w: w.need,
    "approvals": lambda w: ProjectApproval.objects.get(opportunity=w.opportunity),
    "criteria": lambda w: PurchaseCriterion.objects.get(opportunity=w.opportunity),
    "evaluations": lambda w: Evaluation.objects.get(opportunity=w.opportunity),
    "value-points": lambda w: ValuePoint.objects.get(opportunity=w.opportunity),
    "concerns": lambda w: Concern.objects.get(opportunity=w.opportunity),
    "negotiation-items": lambda w: w.negotiation,
    "contracts": lambda w: Contract.objects.get(opportunity=w.opportunity),
    "milestones": lambda w: PaymentMilestone.objects.get(opportunity=w.opportunity),
    "receipts": lambda w: Receipt.objects.get(milestone__opportunity=w.opportunity),
    "commitments": lambda w: Commitment.objects.get(opportunity=w.opportunity),
}
SEES = {
    "owner": True,
    "teammate": False,
    "manager": True,
    "outsider": False,
    "outsider_manager": False,
    "admin": True,
}
STALE = '"2020-01-01T00:00:00+00:00"'


@pytest.fixture(autouse=True)
def moves_defaults(db):
    ensure_moves_defaults()


@pytest.fixture
def open_deal(personas):
    """An open deal of the owner's in move 1: no exit check of moves 1–5 is met."""
    deal = OpportunityFactory(account__owner=personas.owner, owner=personas.owner)
    MoveChange.objects.create(opportunity=deal, to_move=1, to_status="open", changed_by=deal.owner)
    return deal


def speaking(user, language="en"):
    """A client of `user`'s write token asking for answers in `language`."""
    _token, key = token_for(user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE=language)
    return api


def today() -> str:
    return timezone.localdate().isoformat()  # the session's pinned day (tests/conftest.py)


@pytest.mark.parametrize("who", list(SEES))
def test_each_record_is_read_with_its_deal(personas, api_as, who):
    world = build_world(personas)
    api = api_as(getattr(personas, who))
    for plural, record_of in RECORDS.items():
        record = record_of(world)
        detail = api.get(f"/api/v1/{plural}/{record.pk}/")
        listed = api.get(f"/api/v1/{plural}/").json()["results"]
        assert detail.status_code == (200 if SEES[who] else 404), plural
        assert (record.pk in [row["id"] for row in listed]) == SEES[who], plural
        if SEES[who]:
            assert detail["ETag"], plural


def test_an_outsider_lists_nothing_of_the_deal(personas, api_as):
    world = build_world(personas)
    api = api_as(personas.outsider)
    for plural in RECORDS:
        response = api.get(f"/api/v1/{plural}/", {"opportunity": world.opportunity.pk})
        assert (response.status_code, response.json()["results"]) == (200, []), plural


def test_an_erp_posts_a_receipt_against_the_milestone_of_its_invoice(personas, api_as):
    deal = won_deal_with_milestones(personas.owner)  # 100 000: 30% paid, 50% and 20% to come
    deal.payment_milestones.filter(name="acceptance").update(invoice_number="INV-42")
    deal.payment_milestones.filter(name="warranty").update(invoice_number="INV-43")
    Contract.objects.filter(opportunity=deal).update(number="HT-7")
    api = api_as(personas.owner)
    by_contract = api.get("/api/v1/milestones/", {"contract_number": "HT-7"}).json()["results"]
    assert {m["name"] for m in by_contract} == {"signing", "acceptance", "warranty"}

    for invoice, amount in [("INV-42", "50000.00"), ("INV-43", "20000.00")]:
        [milestone] = api.get("/api/v1/milestones/", {"invoice_number": invoice}).json()["results"]
        posted = api.post(
            "/api/v1/receipts/",
            {"milestone": milestone["id"], "amount": amount, "received_on": today()},
            format="json",
        )
        assert posted.status_code == 201, posted.json()
        assert posted.json()["opportunity"] == deal.pk
        read = api.get(f"/api/v1/milestones/{milestone['id']}/").json()
        assert (read["status"], read["received"]) == ("paid", amount)
        [contract] = api.get("/api/v1/contracts/", {"opportunity": deal.pk}).json()["results"]
        # The sale is complete at 100% collected only (refresh_collection).
        assert (contract["collected_at"] is not None) == (invoice == "INV-43")
    assert Contract.objects.get(opportunity=deal).is_complete


@pytest.mark.parametrize(
    "language, message",
    [
        ("en", "Only ¥50,000.00 is still due on “acceptance”: a receipt cannot be larger."),
        ("zh-hans", "“acceptance”只剩 ¥50,000.00 未回款：到账金额不能更大。"),
    ],
)
def test_a_receipt_larger_than_what_is_due_is_refused_in_the_form_s_words(
    personas, language, message
):
    deal = won_deal_with_milestones(personas.owner)
    milestone = deal.payment_milestones.get(name="acceptance")
    response = speaking(personas.owner, language).post(
        "/api/v1/receipts/",
        {"milestone": milestone.pk, "amount": "50000.01", "received_on": today()},
        format="json",
    )
    assert (response.status_code, response.json()) == (400, {"amount": [message]})
    assert not milestone.receipts.exists()


def test_a_read_only_token_cannot_post(personas, api_as):
    deal = won_deal_with_milestones(personas.owner)
    milestone = deal.payment_milestones.get(name="acceptance")
    response = api_as(personas.owner, scope=ApiToken.Scope.READ).post(
        "/api/v1/receipts/", {"milestone": milestone.pk, "amount": "1"}, format="json"
    )
    assert response.status_code == 403
    assert not milestone.receipts.exists()


def test_a_change_needs_the_version_one_has_read(personas, api_as, open_deal):
    api = api_as(personas.owner)
    created = api.post(
        "/api/v1/commitments/",
        {"opportunity": open_deal.pk, "what": "A pilot by March", "due_date": today()},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["promised_by"] == personas.owner.pk  # the form's default: the owner
    url = f"/api/v1/commitments/{created.json()['id']}/"
    change = {"what": "A pilot by April"}
    assert api.patch(url, change, format="json").status_code == 428
    assert api.patch(url, change, format="json", HTTP_IF_MATCH=STALE).status_code == 412
    assert api.delete(url, HTTP_IF_MATCH=STALE).status_code == 412
    etag = api.get(url)["ETag"]
    changed = api.patch(url, change, format="json", HTTP_IF_MATCH=etag)
    assert (changed.status_code, changed.json()["what"]) == (200, "A pilot by April")
    assert api.delete(url, HTTP_IF_MATCH=changed["ETag"]).status_code == 204


def test_a_record_is_posted_only_on_a_deal_one_may_see(personas, api_as, open_deal):
    response = api_as(personas.outsider).post(
        "/api/v1/needs/",
        {
            "opportunity": open_deal.pk,
            "problem": "Slow close",
            "category": NeedCategory.objects.first().pk,
        },
        format="json",
    )
    assert response.status_code == 400 and "opportunity" in response.json()
    assert not Need.objects.exists()


def test_the_contract_of_a_deal_with_unmet_checks_is_refused_for_the_rep(personas, open_deal):
    contract = {"opportunity": open_deal.pk, "signed_on": today(), "amount": "250000"}
    for posted in (contract, {**contract, "override": True, "reason": "Trust me"}):
        response = speaking(personas.owner).post("/api/v1/contracts/", posted, format="json")
        assert response.status_code == 409
        assert response.json()["detail"].startswith("The exit checks are not all met.")
        assert {c["code"] for c in response.json()["blocking"]} >= {"qualified", "guide"}
    open_deal.refresh_from_db()
    assert (open_deal.status, open_deal.move) == ("open", 1)
    assert not Contract.objects.exists()
    assert not open_deal.move_changes.filter(to_status="won").exists()


def test_a_manager_signs_the_contract_past_the_gate_with_a_reason(personas, open_deal):
    api = speaking(personas.manager)
    contract = {"opportunity": open_deal.pk, "signed_on": today(), "amount": "250000"}
    missing = api.post("/api/v1/contracts/", {**contract, "override": True}, format="json")
    assert (missing.status_code, missing.json()) == (
        400,
        {"reason": ["An override needs a written reason."]},
    )
    signed = api.post(
        "/api/v1/contracts/",
        {**contract, "override": True, "reason": "Signed at the trade fair"},
        format="json",
    )
    assert signed.status_code == 201, signed.json()
    open_deal.refresh_from_db()
    assert (open_deal.status, open_deal.move) == ("won", 6)
    change = open_deal.move_changes.order_by("-pk").first()
    assert (change.to_status, change.is_override, change.reason) == (
        "won",
        True,
        "Signed at the trade fair",
    )
    again = api.post("/api/v1/contracts/", contract, format="json")
    assert again.status_code == 400 and "already has one" in again.json()["opportunity"][0]
    url = f"/api/v1/contracts/{signed.json()['id']}/"
    assert api.delete(url, HTTP_IF_MATCH=signed["ETag"]).status_code == 405


def test_a_single_record_is_created_once_then_changed(personas, open_deal):
    api = speaking(personas.owner)
    posted = {"opportunity": open_deal.pk, "standing": "preferred", "standing_evidence": "RFP"}
    created = api.post("/api/v1/evaluations/", posted, format="json")
    assert created.status_code == 201, created.json()
    second = api.post("/api/v1/evaluations/", {**posted, "standing": "evaluating"}, format="json")
    assert second.status_code == 400
    assert second.json()["opportunity"] == [
        f"This opportunity already has one (id {created.json()['id']}): change that one, "
        "with its ETag in If-Match."
    ]
    url = f"/api/v1/evaluations/{created.json()['id']}/"
    changed = api.patch(
        url, {"standing": "evaluating"}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert (changed.status_code, changed.json()["standing"]) == (200, "evaluating")
    assert Evaluation.objects.filter(opportunity=open_deal).count() == 1


def test_a_milestone_with_receipts_is_not_deleted(personas):
    deal = won_deal_with_milestones(personas.owner)
    api = speaking(personas.owner)
    paid = deal.payment_milestones.get(name="signing")
    url = f"/api/v1/milestones/{paid.pk}/"
    response = api.delete(url, HTTP_IF_MATCH=api.get(url)["ETag"])
    assert response.status_code == 409
    assert response.json() == {"detail": "This milestone has receipts: delete them first."}
    assert PaymentMilestone.objects.filter(pk=paid.pk).exists()
    unpaid = deal.payment_milestones.get(name="warranty")
    url = f"/api/v1/milestones/{unpaid.pk}/"
    assert api.delete(url, HTTP_IF_MATCH=api.get(url)["ETag"]).status_code == 204


@pytest.mark.parametrize("plural", list(RECORDS))
def test_a_list_costs_the_same_at_any_length(personas, api_as, plural):
    deal = OpportunityFactory(account__owner=personas.owner, owner=personas.owner)
    fill_moves(deal, n=1)
    api = api_as(personas.owner)
    api.get("/api/v1/needs/")  # the token's first use is written down once

    def listed():
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/v1/{plural}/", {"opportunity": deal.pk})
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    few = listed()
    fill_moves(deal, n=4)
    more = listed()
    assert few[0] == more[0] <= 3, (few, more)  # token, page (+ a prefetch)
    if plural not in ("approvals", "evaluations", "contracts"):
        assert more[1] == few[1] + 4


def test_a_discount_is_decided_by_a_manager_not_the_owner(personas):
    from opportunities.models import Approval, NegotiationItem
    from tests.api.conftest import token_for
    from tests.world import build_world

    world = build_world(personas)
    item = NegotiationItem.objects.filter(opportunity=world.opportunity).first()
    url = f"/api/v1/negotiation-items/{item.pk}/decision/"

    def client(user):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)[1]}")
        return api

    assert client(personas.owner).post(url, {"approve": True}, format="json").status_code == 403
    assert client(personas.outsider).post(url, {"approve": True}, format="json").status_code == 404
    decided = client(personas.manager).post(url, {"approve": False}, format="json")
    assert decided.status_code == 200 and decided.json()["approval"] == Approval.REJECTED
    item.refresh_from_db()
    assert (item.approval, item.decided_by) == (Approval.REJECTED, personas.manager)
