"""opportunities.deals.folding: the rows of a parent LEFT JOIN child query back into parents, a
child and a settings row read as columns of another query's row."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from opportunities.deals.folding import columns, fold, instance, setting, setting_columns
from tests.opportunities.factories import LineItemFactory, OpportunityFactory


def rows(*pairs):
    return [SimpleNamespace(pk=pk, child=child) for pk, child in pairs]


def test_each_parent_once_in_the_rows_order_with_its_children_in_order():
    folded = fold(rows((2, "b1"), (2, "b2"), (1, None), (3, "c1")), "kids", lambda r: r.child)
    assert [(p.pk, p.kids) for p in folded] == [(2, ["b1", "b2"]), (1, []), (3, ["c1"])]


def test_the_parent_is_the_first_row_of_its_group():
    first, second = rows((1, "a"), (1, "b"))
    assert fold([first, second], "kids", lambda r: r.child) == [first]
    assert first.kids == ["a", "b"]


def test_no_rows_no_parents():
    assert fold([], "kids", lambda r: r.child) == []


@pytest.mark.django_db
def test_a_child_read_as_columns_is_the_row_the_orm_loads(deal):
    """columns() + instance(): every field as the ORM loads it (decimals, dates, the foreign
    keys' ids), and None where the LEFT JOIN found no child."""
    from opportunities.models import LineItem, Opportunity

    item = LineItemFactory(opportunity=deal, unit_price=Decimal("1234.56"), quantity=3)
    empty = OpportunityFactory(account=deal.account)
    rows = {
        row.pk: row
        for row in Opportunity.objects.filter(pk__in=[deal.pk, empty.pk]).annotate(
            **columns("line_items", LineItem, "item_")
        )
    }
    read = instance(rows[deal.pk], LineItem, "item_")
    loaded = LineItem.objects.get(pk=item.pk)
    assert [getattr(read, f.attname) for f in LineItem._meta.concrete_fields] == [
        getattr(loaded, f.attname) for f in LineItem._meta.concrete_fields
    ]
    assert read.unit_price == Decimal("1234.56") and read._state.adding is False
    assert instance(rows[empty.pk], LineItem, "item_") is None


@pytest.mark.django_db
def test_a_settings_row_read_in_another_querys_row(deal):
    """setting_columns() + setting(): None while no row is stored, then the stored row, typed
    as the model reads it (a decimal, a boolean)."""
    from opportunities.models import MoveThresholdSetting, Opportunity

    def read():
        row = Opportunity.objects.annotate(**setting_columns(MoveThresholdSetting, "s_")).get(
            pk=deal.pk
        )
        return setting(row, MoveThresholdSetting, "s_")

    MoveThresholdSetting.objects.all().delete()
    assert read() is None
    MoveThresholdSetting.objects.create(
        discount_approval_percent=Decimal("7.5"), trust_unsupported_counts=True, detector_days=9
    )
    stored, current = read(), MoveThresholdSetting.current()
    fields = [f.attname for f in MoveThresholdSetting._meta.concrete_fields]
    assert [getattr(stored, f) for f in fields] == [getattr(current, f) for f in fields]
    assert (stored.discount_approval_percent, stored.trust_unsupported_counts) == (
        Decimal("7.5"),
        True,
    )
    assert stored.detector_days == 9
