"""The opportunity page's combined reads (issue 24) give what the separate reads gave: the
settings and line items in the deal's row, the need categories with the needs, the detector's
notes with the signal phrases."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from opportunities.deals.page import page_opportunity
from opportunities.models import (
    AftersaleSetting,
    ConcernSignal,
    MoveThresholdSetting,
    Need,
    NeedCategory,
    QualificationSetting,
)
from opportunities.moves import joined
from relationships.models import Activity, ActivityType
from tests.factories import ContactFactory
from tests.opportunities.factories import LineItemFactory, OpportunityFactory
from tests.opportunities.moves_factories import ensure_moves_defaults
from tests.relationships.factories import ActivityFactory


def fields(row) -> dict:
    return {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields}


def test_the_deals_row_holds_the_stored_settings(personas, deal):
    QualificationSetting.objects.create(qualified_score=70, imminent_days=45)
    MoveThresholdSetting.objects.update_or_create(
        pk=1, defaults={"detector_days": 12, "discount_approval_percent": Decimal("12.5")}
    )
    AftersaleSetting.objects.create(referral_score=3, full_budget=Decimal("250000.00"))
    read = page_opportunity(personas.owner, deal.pk)
    assert read.qualification_rules == QualificationSetting.rules()
    assert read.qualification_rules.qualified_score == 70
    assert fields(read.moves_setting) == fields(MoveThresholdSetting.current())
    assert read.moves_setting.discount_approval_percent == Decimal("12.5")
    assert fields(read.aftersale_setting) == fields(AftersaleSetting.current())
    assert read.aftersale_setting.referral_score == 3


def test_without_stored_settings_the_page_takes_the_defaults(personas, deal):
    MoveThresholdSetting.objects.all().delete()
    read = page_opportunity(personas.owner, deal.pk)
    assert read.qualification_rules == QualificationSetting.rules()
    assert fields(read.moves_setting) == fields(MoveThresholdSetting(pk=1))
    assert fields(read.aftersale_setting) == fields(AftersaleSetting(pk=1))


def test_the_line_items_come_in_order_with_their_product(personas, deal):
    assert page_opportunity(personas.owner, deal.pk).line_item_list == []
    items = [LineItemFactory(opportunity=deal, unit_price=Decimal(p)) for p in ("10.50", "7")]
    read = page_opportunity(personas.owner, deal.pk)
    assert [fields(i) for i in read.line_item_list] == [fields(i) for i in items]
    assert [i.product.name for i in read.line_item_list] == [i.product.name for i in items]
    assert read.line_item_list[0].total == items[0].total
    assert read.pk == deal.pk and read.account == deal.account


@pytest.mark.parametrize("who", ["teammate", "outsider", "outsider_manager"])
def test_a_deal_out_of_reach_is_404(personas, deal, who):
    with pytest.raises(Http404):
        page_opportunity(getattr(personas, who), deal.pk)


def test_the_needs_come_with_every_category_that_holds_one(deal):
    ensure_moves_defaults()
    first, second = NeedCategory.objects.filter(is_active=True).order_by("position", "code")[:2]
    retired = NeedCategory.objects.create(
        code="retired", name_en="Retired", name_zh="停用", position=0, is_active=False
    )
    person = ContactFactory(account=deal.account)
    needs = [
        Need.objects.create(opportunity=deal, category=second, problem="b", contact=person),
        Need.objects.create(opportunity=deal, category=first, problem="a"),
        Need.objects.create(opportunity=deal, category=retired, problem="old"),
        Need.objects.create(opportunity=deal, category=first, problem="a2"),
    ]
    elsewhere = OpportunityFactory(account=deal.account)
    Need.objects.create(opportunity=elsewhere, category=first, problem="another deal's")
    categories, read = joined.needs(deal)
    assert categories == list(NeedCategory.objects.filter(is_active=True))
    expected = list(
        Need.objects.filter(opportunity=deal)
        .select_related("contact", "category")
        .order_by("category__position", "pk")
    )
    assert [fields(n) for n in read] == [fields(n) for n in expected]
    assert [n.category.code for n in read] == [n.category.code for n in expected]
    assert [n.contact for n in read] == [n.contact for n in expected]
    assert {n.problem for n in read} == {n.problem for n in needs}


def test_the_detector_reads_the_newest_notes_and_the_active_phrases(deal):
    ensure_moves_defaults()
    ConcernSignal.objects.create(phrase="aaa first", risk_type="price", is_active=True)
    ConcernSignal.objects.create(phrase="switched off", is_active=False)
    today = timezone.localdate()
    kind = ActivityType.objects.first()
    for days in range(joined.DETECTOR_NOTES + 5):
        ActivityFactory(
            account=deal.account,
            owner=deal.owner,
            type=kind,
            date=today - timedelta(days=days % 20),
            notes=f"note {days}",
            outcome="" if days % 2 else "outcome",
        )
    ActivityFactory(
        account=deal.account, owner=deal.owner, type=kind, date=today - timedelta(days=40)
    )
    since = today - timedelta(days=30)
    notes, signals = joined.detector_inputs(deal, since)
    separate = (
        Activity.objects.filter(account=deal.account, date__gte=since)
        .order_by("-date", "-pk")
        .values("pk", "date", "notes", "outcome")[: joined.DETECTOR_NOTES]
    )
    assert [(n.activity_id, n.date, n.text) for n in notes] == [
        (a["pk"], a["date"], f"{a['notes']}\n{a['outcome']}".strip()) for a in separate
    ]
    assert len(notes) == joined.DETECTOR_NOTES
    assert [(s.phrase, s.risk_type) for s in signals] == list(
        ConcernSignal.objects.filter(is_active=True).values_list("phrase", "risk_type")
    )
    assert "switched off" not in {s.phrase for s in signals}
