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


# --- the trust plan (opportunities/pipeline/trust_plan.py) ---------------------------------------


def _zhou_behind(deal):
    """周敏, high influence, at 约会 (supported) since an advance 45 days ago, with a visit
    planned two days ago and not marked done: a key person one step below 信赖."""
    from relationships.models import ActivityType, PlannedActivity
    from tests.opportunities.conftest import support
    from tests.opportunities.factories import StakeholderFactory

    now = timezone.now()
    zhou = ContactFactory(account=deal.account, name="周敏")
    relationship = RelationshipFactory(contact=zhou, stage=2)
    support(zhou, 2)
    StakeholderFactory(opportunity=deal, contact=zhou, influence="high", roles=["evaluator"])
    StageChange.objects.create(
        relationship=relationship,
        from_stage=1,
        to_stage=2,
        changed_at=now - datetime.timedelta(days=45),
    )
    visit, _created = ActivityType.objects.get_or_create(
        code="plan-visit", defaults={"name_en": "Site visit", "name_zh": "拜访"}
    )
    plan = PlannedActivity.objects.create(
        account=deal.account,
        type=visit,
        owner=deal.owner,
        starts_at=now - datetime.timedelta(days=2),
    )
    plan.contacts.add(zhou)
    return zhou


@pytest.fixture
def trust_deal(personas):
    deal = make_deal(personas.owner, move=2)
    qualify_fully(deal)  # Boss: decision maker at 同盟; Guide at 信赖; both supported
    return deal


def test_the_review_shows_the_trust_plan(client_for, personas, trust_deal):
    zhou = _zhou_behind(trust_deal)
    response = client_for(personas.manager).get(url(trust_deal), HTTP_ACCEPT_LANGUAGE="en")
    plan = response.context["trust_plan"]
    assert [(r.name, r.is_key, r.target, r.steps_behind) for r in plan.rows] == [
        ("周敏", True, 3, 1),  # key, furthest behind first
        ("Boss", True, 3, 0),
        ("Guide", False, None, 0),  # the gate's one guide is there: no target for her
    ]
    page = response.content.decode()
    assert "Trust plan" in page and "1 behind target" in page
    assert "The targets of this move&#x27;s exit" in page
    assert reverse("relationships:contact", args=[zhou.pk]) in page
    assert page.index("Key people (decision maker or high influence)") < page.index("周敏")
    assert page.index("周敏") < page.index("Other people in the buying group")
    for words in ("1 step behind", "on target", "Site visit", "overdue", "45 days ago", "never"):
        assert words in page, words
    q3 = response.context["answers"][2]
    assert q3.status == AnswerStatus.WARNING
    assert q3.answer == "2 at trust (信赖) or beyond; key people still below it: 周敏."
    today = timezone.localdate()
    assert (
        "周敏: interaction (约会) → needs trust (信赖), 1 step behind; next: Site visit on "
        f"{(today - datetime.timedelta(days=2)).isoformat()}, overdue; "
        "45 days since the last advance"
    ) in q3.evidence
    q2 = response.context["answers"][1]
    assert any(line.startswith("Guide: Guide: trust (信赖)") for line in q2.evidence)


def test_the_trust_plan_in_chinese(client_for, personas, trust_deal):
    _zhou_behind(trust_deal)
    response = client_for(personas.manager).get(url(trust_deal), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert "机会评审" in page  # the page's title, as the catalogue has it
    for words in ("周敏", "约会", "信赖", "同盟", "拜访", "已逾期"):
        assert words in page, words
    assert "Site visit" not in page


@pytest.mark.parametrize("through", ["page", "function"])
def test_the_trust_target_follows_the_admins_gate_setting(
    client_for, personas, trust_deal, through
):
    from opportunities.models import MoveThresholdSetting

    MoveThresholdSetting.objects.create(trust_stage=4)  # 同盟
    if through == "page":  # the rule read in the opportunity's row
        review = client_for(personas.manager).get(url(trust_deal)).context
    else:  # the rule read by a query of its own
        review = deal_review(trust_deal, personas.manager)
    rows = {r.name: r for r in review["trust_plan"].rows}
    assert rows["Boss"].target == 4 and rows["Boss"].on_target
    assert rows["Guide"].target == 4 and rows["Guide"].steps_behind == 1  # the guide check
    assert review["answers"][2].status == AnswerStatus.GOOD  # the key people are all there


def test_a_deal_in_move_1_plans_for_the_next_gate(client_for, personas):
    deal = make_deal(personas.owner, move=1)
    qualify_fully(deal)
    response = client_for(personas.manager).get(url(deal), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "Move 1 asks for no relationship stage" in page
    assert "everyone on target" in page  # Boss, the one key person, at 同盟
    assert response.context["trust_plan"].rows[0].target == 3
