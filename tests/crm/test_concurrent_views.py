"""A save that loses a race to someone else's (between the form's check and its save) shows the
conflict on the page and keeps the input: never a server error, never an overwrite."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services as account_services
from accounts.models import Account, Contact
from relationships import services as relationship_services
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else saved this record"


def post_data(form) -> dict:
    """What the browser posts back for an unchanged form."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def someone_saves(model, pk):
    model.objects.filter(pk=pk).update(updated_at=timezone.now() + timedelta(seconds=1))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_guide_edit_losing_a_race_shows_the_conflict(client_for, personas, monkeypatch):
    contact = ContactFactory(account=AccountFactory(owner=personas.owner), is_guide=False)
    client = client_for(personas.owner)
    url = reverse("relationships:guide", args=[contact.pk])
    data = post_data(client.get(url).context["form"])
    save = relationship_services.save_person_form

    def racing(form, person):
        someone_saves(Contact, person.pk)
        return save(form, person)

    monkeypatch.setattr(relationship_services, "save_person_form", racing)
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()


def test_an_account_edit_losing_a_race_keeps_the_input(client_for, personas, monkeypatch):
    account = AccountFactory(owner=personas.owner, industry="银行")
    client = client_for(personas.owner)
    url = reverse("accounts:edit", args=[account.pk])
    data = {**post_data(client.get(url).context["form"]), "industry": "金融"}
    save = account_services.save_account

    def racing(form):
        someone_saves(Account, account.pk)
        return save(form)

    monkeypatch.setattr(account_services, "save_account", racing)
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert response.context["form"]["industry"].value() == "金融"
    assert Account.objects.get(pk=account.pk).industry == "银行"
