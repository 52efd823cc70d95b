"""Contact pages: create/edit with field errors, the personal profile (visible only with the
contact, changes logged), ties, the relationship link, a fixed number of queries."""

import pytest
from django.urls import NoReverseMatch, reverse

from accounts.models import Contact, PersonalProfile
from tests.accounts.conftest import fill_dossier
from tests.accounts.factories import ContactTieFactory, PersonalProfileFactory
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def page(client, contact):
    return client.get(reverse("accounts:contact", args=[contact.pk]), HTTP_ACCEPT_LANGUAGE="en")


def test_creating_a_contact_places_it_at_the_account(client_for, personas, account):
    boss = ContactFactory(account=account, name="吴行长")
    response = client_for(personas.owner).post(
        reverse("accounts:contact_create", args=[account.pk]),
        {
            "name": "孙浩",
            "title": "科技部总经理",
            "function": "technical",
            "level": "management",
            "reports_to": boss.pk,
            "has_veto": "on",
            "is_active": "on",
        },
    )
    contact = Contact.objects.get(name="孙浩")
    assert response["Location"] == reverse("accounts:contact", args=[contact.pk])
    assert contact.account == account and contact.reports_to == boss and contact.has_veto


def test_a_bad_contact_form_shows_field_errors_and_writes_nothing(client_for, personas, account):
    stranger = ContactFactory(account=AccountFactory(owner=personas.owner))
    response = client_for(personas.owner).post(
        reverse("accounts:contact_create", args=[account.pk]),
        {
            "name": "孙浩",
            "function": "technical",
            "level": "management",
            "reports_to": stranger.pk,
            "guide_type": "technical",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"reports_to", "guide_type"}
    assert "Choose someone at the same account." in response.content.decode()
    assert not Contact.objects.filter(name="孙浩").exists()


def test_the_contact_page_shows_the_profile_and_ties(client_for, personas, contact):
    PersonalProfileFactory(contact=contact, hobbies="马拉松", hometown="杭州")
    friend = ContactFactory(account=contact.account, name="何伟")
    ContactTieFactory(contact=contact, other=friend, kind="friend")
    body = page(client_for(personas.owner), contact).content.decode()
    assert "马拉松" in body and "杭州" in body and "何伟" in body


def test_personal_data_stays_hidden_from_those_who_may_not_see_the_contact(
    client_for, personas, contact
):
    PersonalProfileFactory(contact=contact, hobbies="马拉松")
    for user in [personas.teammate, personas.outsider]:
        assert page(client_for(user), contact).status_code == 404
        edit = client_for(user).get(reverse("accounts:profile_edit", args=[contact.pk]))
        assert edit.status_code == 404


def test_saving_the_profile_creates_it_and_logs_the_change(client_for, personas, contact):
    client = client_for(personas.owner)
    url = reverse("accounts:profile_edit", args=[contact.pk])
    client.post(url, {"hobbies": "羽毛球", "birthday": "1985-05-12"})
    profile = PersonalProfile.objects.get(contact=contact)
    assert profile.hobbies == "羽毛球"
    version = client.get(url).context["form"]["version"].value()
    client.post(url, {"hobbies": "羽毛球, 摄影", "birthday": "1985-05-12", "version": version})
    changes = page(client, contact).context["changes"]
    profile_changes = [c for c in changes if c.what == "personal profile"]
    assert [c.kind for c in profile_changes] == ["~", "+"]
    assert profile_changes[0].who == personas.owner
    assert ("hobbies and interests", "羽毛球", "羽毛球, 摄影") in [
        (str(label), old, new) for label, old, new in profile_changes[0].fields
    ]


def test_an_empty_profile_form_creates_no_profile(client_for, personas, contact):
    client_for(personas.owner).post(reverse("accounts:profile_edit", args=[contact.pk]), {})
    assert not PersonalProfile.objects.exists()


def test_a_tie_added_from_the_contact_page_returns_there(client_for, personas, contact):
    other = ContactFactory(account=contact.account)
    url = reverse("accounts:part_create", args=[contact.account.pk, "tie"])
    back = reverse("accounts:contact", args=[contact.pk])
    client = client_for(personas.owner)
    form = client.get(f"{url}?contact={contact.pk}&next={back}").context["form"]
    assert form.initial["contact"] == str(contact.pk)
    response = client.post(
        url, {"contact": contact.pk, "other": other.pk, "kind": "rival", "next": back}
    )
    assert response["Location"] == back
    assert contact.ties.get().other == other


def test_an_unsafe_next_is_ignored(client_for, personas, contact):
    other = ContactFactory(account=contact.account)
    response = client_for(personas.owner).post(
        reverse("accounts:part_create", args=[contact.account.pk, "tie"]),
        {
            "contact": contact.pk,
            "other": other.pk,
            "kind": "friend",
            "next": "https://evil.example.com/",
        },
    )
    assert response["Location"].startswith(reverse("accounts:detail", args=[contact.account.pk]))


def test_the_relationship_link_shows_when_that_page_exists(client_for, personas, contact):
    body = page(client_for(personas.owner), contact).content.decode()
    try:
        url = reverse("relationships:contact", args=[contact.pk])
    except NoReverseMatch:
        assert "relationships/" not in body
    else:
        assert url in body


@pytest.mark.parametrize("size", [1, 6])
def test_the_contact_page_costs_a_fixed_number_of_queries(
    client_for, personas, account, django_assert_num_queries, size
):
    rows = fill_dossier(account, n=size)
    contact = rows["contacts"][0]
    for other in rows["contacts"][1:]:
        ContactTieFactory(contact=other, other=contact)
        other.reports_to = contact
        other.save()
    PersonalProfileFactory(contact=contact)
    client = client_for(personas.owner)
    page(client, contact)
    # session, user; the contact (with account, owner, department, boss, profile);
    # direct reports, ties out, ties in, headed departments;
    # changes: contact, profile, ties; the personal-data access log entry (an INSERT).
    with django_assert_num_queries(11):
        response = page(client, contact)
    assert len(response.context["reports"]) == 2 * size - 1


@pytest.mark.parametrize(
    "target", ["javascript:alert(1)", "https://evil.example.com/", "//evil.example.com/x"]
)
def test_an_unsafe_next_never_becomes_the_cancel_link(client_for, personas, contact, target):
    url = reverse("accounts:part_create", args=[contact.account.pk, "tie"])
    response = client_for(personas.owner).get(url, {"next": target})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="{target}"' not in body and f'value="{target}"' not in body
    assert reverse("accounts:detail", args=[contact.account.pk]) in body


@pytest.mark.parametrize("raw", ["²", "١٢", "-1", "99999999999999999999999", "1e3"])
def test_an_odd_contact_id_in_the_link_is_ignored(client_for, personas, contact, raw):
    url = reverse("accounts:part_create", args=[contact.account.pk, "tie"])
    response = client_for(personas.owner).get(url, {"contact": raw})
    assert response.status_code == 200
    assert "contact" not in response.context["form"].initial
