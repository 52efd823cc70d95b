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


def channels_of(contact):
    return list(
        PersonalDataAccess.objects.filter(contact=contact)
        .order_by("accessed_at", "pk")
        .values_list("channel", "action")
    )


def test_the_profile_form_is_logged_as_the_form(client_for, personas, contact):
    client = client_for(personas.owner)
    client.get(reverse("accounts:profile_edit", args=[contact.pk]))
    assert channels_of(contact) == [("form", "view")]


def test_the_admin_list_shows_no_personal_data_and_opening_a_profile_is_logged(
    client_for, personas, contact
):
    admin = client_for(personas.admin)
    listing = admin.get(reverse("admin:accounts_personalprofile_changelist")).content.decode()
    assert contact.name in listing
    assert "苏州" not in listing and "钓鱼" not in listing
    assert channels_of(contact) == []
    profile = contact.profile
    assert (
        admin.get(reverse("admin:accounts_personalprofile_change", args=[profile.pk])).status_code
        == 200
    )
    assert (
        admin.get(reverse("admin:accounts_personalprofile_history", args=[profile.pk])).status_code
        == 200
    )
    assert channels_of(contact) == [("admin", "view"), ("history", "view")]


def test_the_contact_admin_does_not_show_the_profile_inline(client_for, personas, contact):
    page = client_for(personas.admin).get(
        reverse("admin:accounts_contact_change", args=[contact.pk])
    )
    assert page.status_code == 200
    assert "钓鱼" not in page.content.decode()


def test_the_log_outlives_the_contact(client_for, personas, contact):
    client_for(personas.owner).get(reverse("accounts:contact", args=[contact.pk]))
    name, account = contact.name, contact.account.name
    contact.delete()
    row = PersonalDataAccess.objects.get()
    assert (row.contact, row.contact_name, row.account_name, row.user) == (
        None,
        name,
        account,
        personas.owner,
    )


def test_exporting_contacts_logs_each_person_exported(client_for, personas, contact):
    other = ContactFactory(account=contact.account, name="李娜")
    response = client_for(personas.owner).get(
        reverse("opportunities:export", args=["contacts", "csv"])
    )
    assert response.status_code == 200
    b"".join(response.streaming_content)
    logged = PersonalDataAccess.objects.filter(channel="export").values_list(
        "contact_name", "user__username"
    )
    assert sorted(logged) == sorted([(contact.name, "owner"), (other.name, "owner")])
