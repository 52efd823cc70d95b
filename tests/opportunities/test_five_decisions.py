"""The five decisions of the decision level (METHOD.md §3.4) shown together on the deal, with
where each stands and which record records it; 立项 records 何时购买."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from opportunities.models import ProjectApproval
from opportunities.rules.decisions import DecisionFacts, five_decisions

D = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("facts", "states"),
    [
        (DecisionFacts(), ["open"] * 5),
        (
            DecisionFacts(buy_decision="yes", decided_on=D, approved_budget=Decimal(5)),
            ["decided", "open", "decided", "open", "open"],
        ),
        (DecisionFacts(buy_decision="no"), ["against", "open", "open", "open", "open"]),
        (DecisionFacts(purchase_by=D), ["open", "decided", "open", "open", "open"]),
        (
            DecisionFacts(standing="preferred", standing_label="首选", preferred=True),
            ["open", "open", "open", "decided", "open"],
        ),
        (DecisionFacts(standing="not_selected"), ["open", "open", "open", "against", "open"]),
        (DecisionFacts(contract_signed_on=D), ["open", "open", "open", "open", "decided"]),
    ],
)
def test_where_each_decision_stands(facts, states):
    found = five_decisions(facts)
    assert [d.name for d in found] == [
        "是否购买",
        "何时购买",
        "预算多少",
        "选择哪个供应商",
        "是否签署合同",
    ]
    assert [d.state for d in found] == states
    assert all(d.recorded_in and d.anchor for d in found)


@pytest.mark.django_db
def test_the_deal_page_shows_them_and_the_approval_records_when_to_buy(personas, client_for, deal):
    client = client_for(personas.owner)
    url = reverse("opportunities:record_new", args=[deal.pk, "approval"])
    when = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    response = client.post(url, {"decision": "pending", "purchase_by": when})
    assert response.status_code == 302, response.context["form"].errors
    assert ProjectApproval.objects.get(opportunity=deal).purchase_by.isoformat() == when
    with translation.override("en"):
        page = client.get(reverse("opportunities:detail", args=[deal.pk])).content.decode()
    table = page[page.index('id="five-decisions"') :]
    assert all(name in table for name in ("是否购买", "何时购买", "预算多少", "是否签署合同"))
    assert when in table
