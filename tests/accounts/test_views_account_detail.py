"""The account page: the four categories with completeness and next questions, the rows,
recent changes; no personal data; a fixed number of queries."""

import pytest
from django.urls import reverse

from accounts.models import Account, DossierCheckSetting
from crm.concurrency import version_of
from tests.accounts.conftest import fill_dossier
from tests.accounts.factories import PersonalProfileFactory
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def get(client, account):
    return client.get(reverse("accounts:detail", args=[account.pk]), HTTP_ACCEPT_LANGUAGE="en")


def test_an_empty_account_shows_four_empty_categories_and_what_to_find_out(
    client_for, personas, account
):
    response = get(client_for(personas.owner), account)
    body = response.content.decode()
    for section in ["background", "organisation", "personal", "competition"]:
        assert f'id="section-{section}"' in body
    assert "Who at the decision level (决策层) signs off on the purchase?" in body
    assert "Find out next" in body


def test_recorded_rows_show_and_their_checks_are_met(client_for, personas, account):
    fill_dossier(account)
    response = get(client_for(personas.owner), account)
    page = response.context["page"]
    assert len(page.departments) == 2 and len(page.contacts) == 2
    assert len(page.installed_products) == len(page.purchase_plans) == len(page.presences) == 1
    met = {r.check.code for c in page.assessment.categories for r in c.met}
    assert {
        "organisation_decision_contact",
        "organisation_guide",
        "competition_satisfaction",
        "personal_ties",
        "organisation_procurement_head",
    } <= met
    body = response.content.decode()
    assert "Rival rep" in body and "slow reports" in body


def test_personal_data_is_not_shown_on_the_account_page(client_for, personas, account):
    contact = ContactFactory(account=account, name="林珊")
    PersonalProfileFactory(contact=contact, hobbies="马拉松 marathon", hometown="杭州")
    body = get(client_for(personas.owner), account).content.decode()
    assert "林珊" in body
    assert "马拉松" not in body and "杭州" not in body
    assert "2 of 11 known" in body


def test_admin_weights_change_the_score(client_for, personas, account):
    fill_dossier(account)
    before = get(client_for(personas.owner), account).context["page"].assessment.score
    DossierCheckSetting.objects.create(code="personal_birthday", weight=50, enabled=True)
    DossierCheckSetting.objects.create(code="organisation_guide", weight=3, enabled=False)
    after = get(client_for(personas.owner), account).context["page"].assessment
    assert after.score < before
    codes = {r.check.code for c in after.categories for r in c.results}
    assert "organisation_guide" not in codes


def test_recent_changes_say_who_changed_what(client_for, personas, account):
    client = client_for(personas.owner)
    client.post(
        reverse("accounts:edit", args=[account.pk]),
        {
            "name": account.name,
            "status": "customer",
            "owner": personas.owner.pk,
            "industry": "Insurance",
            "version": version_of(account),
        },
    )
    client.post(
        reverse("accounts:part_create", args=[account.pk, "plan"]),
        {"title": "Core banking renewal"},
    )
    changes = get(client, account).context["page"].changes
    assert changes[0].what == "purchase plan" and changes[0].name == "Core banking renewal"
    assert changes[0].who == personas.owner
    edit = changes[1]
    assert edit.kind == "~"
    fields = {str(label): (old, new) for label, old, new in edit.fields}
    assert fields["status"] == ("target (目标客户)", "customer")
    assert fields["industry"] == ("Banking", "Insurance")


@pytest.mark.parametrize("size", [1, 6])
def test_the_account_page_costs_a_fixed_number_of_queries(
    client_for, personas, django_assert_num_queries, size
):
    account = AccountFactory(owner=personas.owner)
    account.collaborators.add(personas.teammate)
    fill_dossier(account, n=size)
    client = client_for(personas.owner)
    get(client, account)
    # session, user; the account (with owner, parent); departments, relations, contacts
    # (with department, boss, profile), installed base, plans, competitors, ties; the
    # dossier facts with the weights (one statement); recent changes: the account's own
    # history, the events of its rows (one statement); collaborators (header).
    with django_assert_num_queries(14):
        response = get(client, account)
    assert len(response.context["page"].contacts) == 2 * size


def test_the_page_answers_in_chinese(client_for, personas, account):
    response = client_for(personas.owner).get(reverse("accounts:detail", args=[account.pk]))
    assert response["Content-Language"] == "zh-hans"


def test_deleting_an_account_is_not_offered(client_for, personas, account):
    body = get(client_for(personas.owner), account).content.decode()
    assert f"/accounts/{account.pk}/delete" not in body
    assert Account.objects.filter(pk=account.pk).exists()
