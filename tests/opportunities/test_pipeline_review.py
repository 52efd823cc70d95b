"""The deal review page (METHOD.md §9.3): the eight questions answered from the data or
"unknown", what changed since the last review, and the agreed next steps a manager records."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from opportunities.models import DealReview
from opportunities.pipeline.review import deal_review
from opportunities.rules.attainment import AnswerStatus
from relationships.models import StageChange
from tests.factories import ContactFactory, RelationshipFactory
from tests.opportunities.conftest import qualify_fully
from tests.opportunities.pipeline_data import make_deal

pytestmark = pytest.mark.django_db


def url(deal):
    return reverse("opportunities:review", args=[deal.pk])


@pytest.fixture
def bare(personas):
    return make_deal(personas.owner, move=2)


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("owner", 200, 403),
        ("teammate", 404, 404),
        ("manager", 200, 302),
        ("outsider", 404, 404),
        ("outsider_manager", 404, 404),
        ("admin", 200, 302),
    ],
)
def test_permission_matrix(client_for, personas, bare, who, get, post):
    client = client_for(getattr(personas, who))
    assert client.get(url(bare)).status_code == get
    response = client.post(url(bare), {"agreed_next_steps": "Meet the CFO"})
    assert response.status_code == post
    assert DealReview.objects.filter(opportunity=bare).exists() == (post == 302)


def test_anonymous_visitors_are_sent_to_login(client, bare):
    assert client.get(url(bare)).status_code == 302
    assert client.post(url(bare), {"agreed_next_steps": "x"}).status_code == 302
    assert not DealReview.objects.exists()


def test_a_deal_without_data_answers_unknown_never_a_made_up_number(personas, bare):
    review = deal_review(bare, personas.manager)
    statuses = {a.number: a.status for a in review["answers"]}
    assert [a.number for a in review["answers"]] == list(range(1, 9))
    for number in (1, 2, 3, 4, 5, 8):
        assert statuses[number] == AnswerStatus.UNKNOWN, number
    assert statuses[6] == AnswerStatus.GOOD  # lead-in period, entered early: the data says so
    assert statuses[7] == AnswerStatus.GOOD  # no concern open
    assert review["unknown_count"] == 6


def test_answers_come_with_their_evidence(personas):
    from opportunities.models import (
        Concern,
        PaymentMilestone,
        ProjectApproval,
        PurchaseCriterion,
    )

    deal = make_deal(personas.owner, move=5, verdict="qualified")
    qualify_fully(deal)
    ProjectApproval.objects.create(
        opportunity=deal, decision="yes", approved_budget=Decimal("90000"), roi_note="ROI 3x"
    )
    PurchaseCriterion.objects.create(
        opportunity=deal, text="Close in 2 days", weight=60, origin="us"
    )
    PurchaseCriterion.objects.create(opportunity=deal, text="Price", weight=40)
    Concern.objects.create(opportunity=deal, signal="Let's wait a little", owner=personas.owner)
    PaymentMilestone.objects.create(
        opportunity=deal,
        name="30% on signing",
        amount=Decimal("30000"),
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    with translation.override("en"):
        review = deal_review(deal, personas.manager)
    answers = {a.number: a for a in review["answers"]}
    assert answers[1].status == AnswerStatus.GOOD and len(answers[1].evidence) == 5
    assert answers[2].status == AnswerStatus.WARNING  # one guide only
    assert answers[3].status == AnswerStatus.GOOD
    assert answers[4].status == AnswerStatus.GOOD
    assert "Approved budget: ¥90,000" in answers[4].evidence
    assert answers[5].answer.startswith("We shaped 60 of 100 weight points (60.0%)")
    assert answers[6].status == AnswerStatus.GOOD  # first recorded in move 1: entered early
    assert answers[6].answer.startswith("competition period")
    assert (
        answers[7].status == AnswerStatus.WARNING
        and "Let's wait a little" in answers[7].evidence[0]
    )
    assert answers[8].status == AnswerStatus.WARNING
    assert "¥30,000" in answers[8].answer
    assert review["unknown_count"] == 0


def test_stage_changes_since_the_last_review(client_for, personas):
    deal = make_deal(personas.owner, move=3)
    qualify_fully(deal)
    boss = deal.stakeholders.get(contact__name="Boss").contact
    relationship = boss.relationship
    now = timezone.now()
    StageChange.objects.create(
        relationship=relationship,
        from_stage=2,
        to_stage=3,
        changed_at=now - datetime.timedelta(days=20),
    )
    DealReview.objects.create(
        opportunity=deal,
        reviewed_by=personas.manager,
        reviewed_at=now - datetime.timedelta(days=10),
        agreed_next_steps="Lunch with the boss",
    )
    StageChange.objects.create(
        relationship=relationship,
        from_stage=3,
        to_stage=4,
        changed_at=now - datetime.timedelta(days=2),
    )
    outsider_contact = ContactFactory()
    StageChange.objects.create(
        relationship=RelationshipFactory(contact=outsider_contact, stage=2),
        from_stage=1,
        to_stage=2,
    )
    response = client_for(personas.manager).get(url(deal), HTTP_ACCEPT_LANGUAGE="en")
    changes = response.context["stage_changes"]
    assert [(c["change"].from_stage, c["change"].to_stage) for c in changes] == [(3, 4)]
    page = response.content.decode()
    assert "Lunch with the boss" in page
    assert outsider_contact.name not in page


def test_recording_a_review_keeps_the_agreed_next_steps(client_for, personas, bare):
    client = client_for(personas.manager)
    next_week = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = client.post(
        url(bare),
        {"agreed_next_steps": "Meet the CFO by Friday", "next_review_date": next_week},
    )
    assert response.status_code == 302
    review = DealReview.objects.get()
    assert review.reviewed_by == personas.manager
    assert review.agreed_next_steps == "Meet the CFO by Friday"
    assert review.unknown_answers == 6


@pytest.mark.parametrize(
    "data",
    [
        {"agreed_next_steps": "   "},
        {"agreed_next_steps": "ok", "next_review_date": "2001-01-01"},
        {"agreed_next_steps": "ok", "next_review_date": "not a date"},
    ],
)
def test_bad_input_writes_nothing(client_for, personas, bare, data):
    response = client_for(personas.manager).post(url(bare), data)
    assert response.status_code == 400
    assert not DealReview.objects.exists()


def test_a_tender_deal_is_a_late_entry(personas):
    deal = make_deal(personas.owner, move=4, source="tender")
    with translation.override("en"):
        answer = deal_review(deal, personas.manager)["answers"][5]
    assert answer.status == AnswerStatus.WARNING
    assert "entered late" in answer.answer
