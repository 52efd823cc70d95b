"""Odd input is a message, never a 500: quantity × unit price beyond what an amount column
holds (SQLite and PostgreSQL alike), a far-past or huge version, a record deleted between
loading the form and saving it."""

from decimal import Decimal

import pytest
from django.utils import translation

from accounts.forms import DepartmentForm
from accounts.models import Department
from crm.concurrency import version_of
from opportunities.deals.forms import LineItemForm, LineItemFormSet
from opportunities.models import Opportunity
from tests.factories import AccountFactory
from tests.opportunities.factories import OpportunityFactory, ProductFactory
from tests.opportunities.test_import_files import run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("quantity", "price", "ok"),
    [
        (1, "999999999999.99", True),
        (99, "999999999999.99", True),
        (101, "999999999999.99", False),
        (2_000_000_000, "999999999999.99", False),
    ],
)
def test_a_line_must_fit_the_amount_column(quantity, price, ok):
    product = ProductFactory()
    form = LineItemForm(
        {"product": product.pk, "quantity": quantity, "unit_price": price, "discount_percent": 0}
    )
    assert form.is_valid() is ok
    if not ok:
        assert form.errors["quantity"][0].startswith("Quantity × unit price is more than")


def test_the_lines_together_must_fit_the_deals_amount(personas):
    deal = OpportunityFactory(account__owner=personas.owner)
    product = ProductFactory()
    line = {
        "product": product.pk,
        "quantity": 60,
        "unit_price": "999999999999",
        "discount_percent": 0,
    }
    data = {"items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0"}
    for i in range(2):
        data |= {f"items-{i}-{name}": value for name, value in line.items()}
    formset = LineItemFormSet(data, instance=deal, prefix="items")
    assert not formset.is_valid()
    assert formset.non_form_errors()[0].startswith("The line items add up to more")


def test_an_imported_quantity_times_list_price_must_fit(personas):
    AccountFactory(owner=personas.owner, external_id="ACME", name="Acme")
    ProductFactory(name="Big", list_price=Decimal("999999999999"))
    content = b"external_id,owner,account,product,stage,quantity\nD1,owner,ACME,Big,1,2000\n"
    report = run(personas.manager, "opportunities", content, commit=True)
    assert report.rejected[0]["errors"][0][1].startswith("Quantity × list price is more than")
    assert not Opportunity.objects.filter(external_id="D1").exists()


@pytest.fixture
def department(personas):
    return Department.objects.create(account=AccountFactory(owner=personas.owner), name="IT")


def edit(department, version):
    return DepartmentForm(
        {"name": "IT dept", "function": "user", "version": version},
        instance=Department.objects.get(pk=department.pk),
        account=department.account,
    )


@pytest.mark.parametrize(
    "version",
    [
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59.999999+00:00",
        "9" * 60,
        "2026-13-45",
    ],
)
def test_an_odd_version_is_refused_cleanly(department, version):
    form = edit(department, version)
    assert not form.is_valid()
    assert [e.code for e in form.non_field_errors().as_data()] == ["edit_conflict"]
    assert Department.objects.get(pk=department.pk).name == "IT"


def test_a_record_deleted_before_the_check_is_a_message(department):
    form = edit(department, version_of(department))
    Department.objects.filter(pk=department.pk).delete()
    assert not form.is_valid()
    assert [e.code for e in form.non_field_errors().as_data()] == ["deleted"]


def test_a_record_deleted_between_the_check_and_the_save_is_a_message(department):
    form = edit(department, version_of(department))
    assert form.is_valid()
    Department.objects.filter(pk=department.pk).delete()
    assert form.try_save() is None
    assert form.non_field_errors()[0].startswith("Someone else deleted this record")
    assert not Department.objects.exists()
