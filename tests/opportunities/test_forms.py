"""Bad input: field-level errors, nothing half-written."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.concurrency import version_of
from opportunities.models import LineItem, MoveChange, Opportunity, Stakeholder
from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.factories import ProductFactory

TODAY = timezone.localdate()


def deal_data(account, owner, product, **overrides):
    data = {
        "name": "New deal",
        "account": account.pk,
        "owner": owner.pk,
        "source": "referral",
        "expected_close_date": (TODAY + datetime.timedelta(days=90)).isoformat(),
        "next_step": "Visit the CFO",
        "next_step_date": (TODAY + datetime.timedelta(days=5)).isoformat(),
        "budget_status": "estimated",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-product": product.pk,
        "items-0-quantity": "2",
        "items-0-unit_price": "1000",
        "items-0-discount_percent": "10",
    }
    data.update(overrides)
    return data


@pytest.fixture
def setting(personas):
    return AccountFactory(owner=personas.owner), ProductFactory(list_price=500)


def test_creating_a_deal_saves_items_amount_and_first_history_row(personas, client_for, setting):
    account, product = setting
    response = client_for(personas.owner).post(
        reverse("opportunities:create"), deal_data(account, personas.owner, product)
    )
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert opportunity.amount == 1800  # 2 × 1000 − 10 %
    assert opportunity.move == 1
    assert MoveChange.objects.filter(opportunity=opportunity, from_move=None, to_move=1).exists()
    assert opportunity.qualification_verdict


def test_an_empty_unit_price_takes_the_list_price(personas, client_for, setting):
    account, product = setting
    client_for(personas.owner).post(
        reverse("opportunities:create"),
        deal_data(account, personas.owner, product, **{"items-0-unit_price": ""}),
    )
    assert LineItem.objects.get().unit_price == 500


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("items-0-unit_price", "-1", "unit_price"),
        ("items-0-discount_percent", "101", "discount_percent"),
        ("items-0-quantity", "0", "quantity"),
        ("budget_amount", "-5", "budget_amount"),
        ("cost_of_sale", "-5", "cost_of_sale"),
        ("margin_percent", "120", "margin_percent"),
        ("win_estimate", "101", "win_estimate"),
        ("next_step", "", "next_step"),
        ("next_step_date", "", "next_step_date"),
        (
            "expected_close_date",
            (TODAY - datetime.timedelta(days=1)).isoformat(),
            "expected_close_date",
        ),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_written(
    personas, client_for, setting, field, value, error_field
):
    account, product = setting
    response = client_for(personas.owner).post(
        reverse("opportunities:create"),
        deal_data(account, personas.owner, product, **{field: value}),
    )
    assert response.status_code == 200
    form, items = response.context["form"], response.context["line_items"]
    errors = {**form.errors, **(items.forms[0].errors if items.forms else {})}
    assert error_field in errors
    assert not Opportunity.objects.exists()
    assert not LineItem.objects.exists()
    assert not MoveChange.objects.exists()


def test_a_crafted_post_cannot_use_an_account_the_user_cannot_see(personas, client_for, setting):
    _account, product = setting
    foreign = AccountFactory(owner=personas.outsider)
    response = client_for(personas.owner).post(
        reverse("opportunities:create"), deal_data(foreign, personas.owner, product)
    )
    assert "account" in response.context["form"].errors
    assert not Opportunity.objects.exists()


def test_a_rep_cannot_give_the_deal_to_someone_outside_their_reach(personas, client_for, setting):
    account, product = setting
    response = client_for(personas.owner).post(
        reverse("opportunities:create"), deal_data(account, personas.outsider, product)
    )
    assert "owner" in response.context["form"].errors


def test_editing_with_a_stale_version_is_refused(personas, client_for, deal):
    product = ProductFactory()
    client = client_for(personas.owner)
    url = reverse("opportunities:edit", args=[deal.pk])
    loaded = client.get(url).context["form"]["version"].value()  # the page as it was opened
    data = deal_data(deal.account, personas.owner, product, version=loaded, name="Mine")
    someone = Opportunity.objects.get(pk=deal.pk)
    someone.next_step = "Call the CFO"
    someone.save()  # someone else saves first: the record's version moves on
    assert version_of(someone) != loaded
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    deal.refresh_from_db()
    assert deal.name != "Mine"
    assert not LineItem.objects.exists()


def test_a_stakeholder_from_another_account_is_refused(personas, client_for, deal):
    stranger = ContactFactory(account=AccountFactory(owner=personas.owner))
    response = client_for(personas.owner).post(
        reverse("opportunities:stakeholder_add", args=[deal.pk]),
        {
            "contact": stranger.pk,
            "roles": ["decision_maker"],
            "attitude": "neutral",
            "influence": "high",
        },
    )
    assert "contact" in response.context["form"].errors
    assert not Stakeholder.objects.exists()


def test_a_stakeholder_is_saved_with_its_set_of_roles(personas, client_for, deal):
    contact = ContactFactory(account=deal.account)
    url = reverse("opportunities:stakeholder_add", args=[deal.pk])
    client_for(personas.owner).post(
        url,
        {
            "contact": contact.pk,
            "roles": ["decision_maker", "evaluator"],
            "attitude": "supporter",
            "influence": "high",
        },
    )
    stakeholder = Stakeholder.objects.get()
    assert set(stakeholder.roles.values_list("role", flat=True)) == {"decision_maker", "evaluator"}
    edit = reverse("opportunities:stakeholder_edit", args=[deal.pk, stakeholder.pk])
    client_for(personas.owner).post(
        edit,
        {
            "roles": ["user"],
            "attitude": "opponent",
            "influence": "low",
            "version": version_of(stakeholder),
        },
    )
    stakeholder.refresh_from_db()
    assert set(stakeholder.roles.values_list("role", flat=True)) == {"user"}
    assert stakeholder.contact == contact


def test_the_same_contact_cannot_join_twice(personas, client_for, deal):
    contact = ContactFactory(account=deal.account)
    Stakeholder.objects.create(opportunity=deal, contact=contact)
    response = client_for(personas.owner).post(
        reverse("opportunities:stakeholder_add", args=[deal.pk]),
        {"contact": contact.pk, "attitude": "neutral", "influence": "low"},
    )
    assert "contact" in response.context["form"].errors


@pytest.mark.parametrize(
    ("data", "error_field"),
    [
        ({"status": "lost", "lost_at_buyer_stage": "evaluate"}, "lost_reason"),
        ({"status": "lost", "lost_reason": "Price"}, "lost_at_buyer_stage"),
        ({"status": "abandoned"}, "lost_reason"),
    ],
)
def test_closing_without_a_reason_is_refused(personas, client_for, deal, data, error_field):
    response = client_for(personas.owner).post(
        reverse("opportunities:outcome", args=[deal.pk]), data
    )
    assert error_field in response.context["form"].errors
    deal.refresh_from_db()
    assert deal.status == "open"


def test_reopening_needs_a_next_step(personas, client_for, deal):
    from opportunities.deals import services

    services.set_outcome(deal, status="abandoned", by=personas.owner, data={"lost_reason": "x"})
    response = client_for(personas.owner).post(
        reverse("opportunities:outcome", args=[deal.pk]), {"status": "open", "next_step": ""}
    )
    assert "next_step" in response.context["form"].errors
