"""Django admin: every accounts model is registered and its pages open for an admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import DossierCheckSetting
from tests.accounts.conftest import fill_dossier

pytestmark = pytest.mark.django_db


def test_every_accounts_model_has_an_admin():
    from django.apps import apps

    models = {
        m
        for m in apps.get_app_config("accounts").get_models()
        if not m.__name__.startswith("Historical")
    }
    assert models <= set(admin.site._registry)


def test_changelists_and_change_pages_open(client_for, personas, account):
    rows = fill_dossier(account)
    DossierCheckSetting.objects.create(code="organisation_guide", weight=3)
    client = client_for(personas.admin)
    for model in admin.site._registry:
        if model._meta.app_label != "accounts":
            continue
        opts = model._meta
        assert (
            client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code
            == 200
        )
        obj = model.objects.first()
        if obj is not None:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(url).status_code == 200, url
    history = reverse("admin:accounts_contact_history", args=[rows["contacts"][0].pk])
    assert client.get(history).status_code == 200


def test_admin_forms_share_the_models_rules(client_for, personas, account):
    from tests.factories import AccountFactory, ContactFactory

    stranger = ContactFactory(account=AccountFactory(owner=personas.owner))
    contact = ContactFactory(account=account)
    url = reverse("admin:accounts_contact_change", args=[contact.pk])
    response = client_for(personas.admin).post(
        url,
        {
            "account": account.pk,
            "name": contact.name,
            "function": "other",
            "level": "operational",
            "reports_to": stranger.pk,
            "is_active": "on",
            "profile-TOTAL_FORMS": 0,
            "profile-INITIAL_FORMS": 0,
            "ties-TOTAL_FORMS": 0,
            "ties-INITIAL_FORMS": 0,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "only report to someone at the same account" in response.content.decode()
    contact.refresh_from_db()
    assert contact.reports_to is None
