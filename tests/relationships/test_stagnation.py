"""Stagnation (relationships/stagnation.py, METHOD.md §4.5): the rule as a table, and the SQL
form of the care page kept in step with it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from relationships import care_selectors, stagnation
from relationships.models import Relationship, StageChange, StagnationSetting
from tests.factories import ContactFactory
from tests.opportunities.factories import OpportunityFactory, StakeholderFactory

TODAY = date(2026, 11, 18)
DEALS = {
    "open": {},
    "abandoned": {"status": "abandoned", "lost_reason": "no budget"},
}  # a plain value for the pure rule; no database


@pytest.mark.parametrize(
    ("stage", "days_ago", "in_open_deal", "expected"),
    [
        (2, 61, True, True),
        (2, 60, True, False),  # exactly N days: not yet
        (2, 61, False, False),  # not in an open deal
        (4, 400, True, False),  # 同盟 is the top: it cannot move on
        (1, 0, True, False),
        (3, 90, True, True),
    ],
)
def test_is_stagnant_table(stage, days_ago, in_open_deal, expected):
    since = TODAY - timedelta(days=days_ago)
    assert (
        stagnation.is_stagnant(
            stage=stage, since=since, today=TODAY, days=60, in_open_deal=in_open_deal
        )
        is expected
    )


def _relationship(world, *, stage, created_days_ago, changed_days_ago=None, deal=None):
    now = timezone.now()
    person = ContactFactory(account=world.account)
    relationship = Relationship.objects.create(contact=person, stage=stage)
    Relationship.objects.filter(pk=relationship.pk).update(
        created_at=now - timedelta(days=created_days_ago)
    )
    if changed_days_ago is not None:
        StageChange.objects.create(
            relationship=relationship,
            from_stage=1 if stage != 1 else 2,
            to_stage=stage,
            changed_at=now - timedelta(days=changed_days_ago),
        )
    if deal is not None:
        deal_row = OpportunityFactory(account=world.account, **DEALS[deal])
        StakeholderFactory(opportunity=deal_row, contact=person)
    relationship.refresh_from_db()
    return relationship


@pytest.mark.parametrize(
    ("stage", "created", "changed", "deal", "days"),
    [
        (2, 100, None, "open", 60),
        (2, 100, 59, "open", 60),
        (2, 100, 61, "open", 60),
        (2, 100, 61, "abandoned", 60),
        (2, 100, 61, None, 60),
        (3, 400, 30, "open", 20),
        (4, 400, 300, "open", 60),
        (1, 60, None, "open", 60),
        (1, 61, None, "open", 60),
    ],
)
def test_the_sql_form_agrees_with_the_rule(world, personas, stage, created, changed, deal, days):
    StagnationSetting.objects.all().delete()
    StagnationSetting.objects.create(days=days)
    relationship = _relationship(
        world, stage=stage, created_days_ago=created, changed_days_ago=changed, deal=deal
    )
    today = timezone.localdate()
    last = relationship.stage_changes.order_by("-changed_at").first()
    expected = stagnation.is_stagnant(
        stage=stage,
        since=stagnation.stage_since(last and last.changed_at, relationship.created_at, today),
        today=today,
        days=days,
        in_open_deal=deal == "open",
    )
    row = stagnation.annotate_stagnant(Relationship.objects.filter(pk=relationship.pk), today).get()
    assert row.stagnant is expected
    listed = care_selectors.cooling_relationships(personas.owner, today, with_stagnant=True)
    assert [i.relationship for i in listed if i.stagnant] == ([relationship] if expected else [])


def test_without_a_setting_row_the_default_applies(world):
    StagnationSetting.objects.all().delete()
    relationship = _relationship(world, stage=2, created_days_ago=61, deal="open")
    today = timezone.localdate()
    row = stagnation.annotate_stagnant(Relationship.objects.filter(pk=relationship.pk), today).get()
    assert (row.stagnation_days, row.stagnant) == (60, True)
