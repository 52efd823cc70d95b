"""Inline editing of the dossier rows on the account page: with htmx the section comes back
(with the summary out of band), without it a redirect; invalid input returns the form with
its messages and writes nothing."""

import pytest
from django.urls import reverse

from accounts.models import (
    CompetitorPresence,
    ContactTie,
    Department,
    DepartmentRelation,
    InstalledProduct,
    PurchasePlan,
)
from tests.factories import CompetitorFactory, ContactFactory, DepartmentFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}


def valid_data(kind, account):
    if kind == "installed":
        return {"purpose": "ERP", "brand": "SAP", "vendor": "other", "quantity": 2}
    if kind == "plan":
        return {"title": "Data platform", "problem": "Reports are late"}
    if kind == "department":
        return {"name": "IT", "function": "technical"}
    if kind == "department-relation":
        a = DepartmentFactory(account=account, name="Finance")
        b = DepartmentFactory(account=account, name="IT")
        return {"source": a.pk, "target": b.pk, "kind": "constrains"}
    if kind == "competitor":
        return {"competitor": CompetitorFactory().pk, "rep_relationship": "weak"}
    if kind == "tie":
        a = ContactFactory(account=account)
        return {"contact": a.pk, "other": ContactFactory(account=account).pk, "kind": "friend"}
    raise AssertionError(kind)


MODELS = {
    "installed": (InstalledProduct, "background"),
    "plan": (PurchasePlan, "background"),
    "department": (Department, "organisation"),
    "department-relation": (DepartmentRelation, "organisation"),
    "competitor": (CompetitorPresence, "competition"),
    "tie": (ContactTie, "personal"),
}


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_adding_a_row_with_htmx_returns_the_section_and_summary(
    client_for, personas, account, kind
):
    model, category = MODELS[kind]
    client = client_for(personas.owner)
    url = reverse("accounts:part_create", args=[account.pk, kind])
    form = client.get(url, **HTMX)
    assert form.templates[0].name == "accounts/_part_form.html"
    assert f'hx-target="#section-{category}"' in form.content.decode()
    response = client.post(url, valid_data(kind, account), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="section-{category}"' in body
    assert 'id="dossier-summary" hx-swap-oob="true"' in body
    assert model.objects.count() == 1


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_adding_a_row_without_htmx_redirects_to_the_section(client_for, personas, account, kind):
    model, category = MODELS[kind]
    client = client_for(personas.owner)
    url = reverse("accounts:part_create", args=[account.pk, kind])
    assert client.get(url).templates[0].name == "accounts/part_form.html"
    response = client.post(url, valid_data(kind, account))
    assert response["Location"] == (
        reverse("accounts:detail", args=[account.pk]) + f"#section-{category}"
    )
    assert model.objects.count() == 1


def test_invalid_input_comes_back_in_place_and_writes_nothing(client_for, personas, account):
    url = reverse("accounts:part_create", args=[account.pk, "installed"])
    response = client_for(personas.owner).post(
        url, {"purpose": "", "brand": "SAP", "vendor": "other", "quantity": "-3"}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#form-background"
    assert response["HX-Reswap"] == "innerHTML"
    form = response.context["form"]
    assert set(form.errors) == {"purpose", "quantity"}
    assert not InstalledProduct.objects.exists()


def test_editing_and_deleting_a_row(client_for, personas, account):
    client = client_for(personas.owner)
    department = DepartmentFactory(account=account, name="IT")
    edit = reverse("accounts:part_edit", args=[account.pk, "department", department.pk])
    version = client.get(edit, **HTMX).context["form"]["version"].value()
    client.post(edit, {"name": "信息技术部", "function": "technical", "version": version}, **HTMX)
    department.refresh_from_db()
    assert department.name == "信息技术部"
    delete = reverse("accounts:part_delete", args=[account.pk, "department", department.pk])
    response = client.post(delete, **HTMX)
    assert 'id="section-organisation"' in response.content.decode()
    assert not Department.objects.exists()


def test_cancelling_returns_the_section(client_for, personas, account):
    url = reverse("accounts:section", args=[account.pk, "competition"])
    response = client_for(personas.owner).get(url, **HTMX)
    assert 'id="section-competition"' in response.content.decode()


def test_the_completeness_in_the_answer_reflects_the_new_row(client_for, personas, account):
    client = client_for(personas.owner)
    url = reverse("accounts:part_create", args=[account.pk, "competitor"])
    client.post(
        url,
        {
            "new_competitor": "华为 Huawei",
            "satisfaction": 4,
            "rep_relationship": "strong",
            "rep_name": "孙磊",
            "products_in_use": "云平台",
        },
        **HTMX,
    )
    response = client.get(reverse("accounts:detail", args=[account.pk]))
    competition = response.context["page"].assessment.category("competition")
    assert competition.score == 1.0
