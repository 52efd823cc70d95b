"""Viewing or changing a contact's personal profile is logged (who, when, which contact), the
log is for admins, and people who may not see the contact neither see the data nor leave a
trace in it."""

import pytest
from django.urls import reverse

from accounts.models import PersonalDataAccess, PersonalProfile
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(personas):
    contact = ContactFactory(account=AccountFactory(owner=personas.owner), name="周建国")
    PersonalProfile.objects.create(contact=contact, hometown="苏州", hobbies="钓鱼")
    return contact


def log_of(contact):
    return list(
        PersonalDataAccess.objects.filter(contact=contact)
        .order_by("accessed_at", "pk")
        .values_list("user__username", "action")
    )


@pytest.mark.parametrize("who", ["owner", "manager", "admin"])
def test_viewing_the_contact_page_is_logged(client_for, personas, contact, who):
    response = client_for(getattr(personas, who)).get(
        reverse("accounts:contact", args=[contact.pk])
    )
    assert "苏州" in response.content.decode()
    assert log_of(contact) == [(who, "view")]


@pytest.mark.parametrize("who", ["teammate", "outsider"])
def test_outsiders_get_404_and_nothing_is_logged(client_for, personas, contact, who):
    response = client_for(getattr(personas, who)).get(
        reverse("accounts:contact", args=[contact.pk])
    )
    assert response.status_code == 404
    assert "苏州" not in response.content.decode()
    assert log_of(contact) == []


def test_a_contact_without_a_profile_logs_nothing(client_for, personas):
    bare = ContactFactory(account=AccountFactory(owner=personas.owner))
    client_for(personas.owner).get(reverse("accounts:contact", args=[bare.pk]))
    assert log_of(bare) == []


def test_opening_and_saving_the_profile_form_is_logged(client_for, personas, contact):
    client = client_for(personas.owner)
    url = reverse("accounts:profile_edit", args=[contact.pk])
    version = client.get(url).context["form"]["version"].value()
    response = client.post(url, {"hometown": "无锡", "hobbies": "钓鱼", "version": version})
    assert response.status_code == 302
    assert log_of(contact) == [("owner", "view"), ("owner", "edit")]


def test_the_log_is_read_only_in_admin(client_for, personas, contact):
    client_for(personas.owner).get(reverse("accounts:contact", args=[contact.pk]))
    admin = client_for(personas.admin)
    listing = admin.get(reverse("admin:accounts_personaldataaccess_changelist"))
    assert listing.status_code == 200
    assert "周建国" in listing.content.decode()
    assert admin.get(reverse("admin:accounts_personaldataaccess_add")).status_code == 403
