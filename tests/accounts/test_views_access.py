"""Every accounts page and write view, for every persona: the owner, their manager, a
collaborator and admins get in; a teammate it is not shared with and other teams get 404;
anonymous visitors are sent to sign in. Writes by those who may not see change nothing."""

import pytest
from django.urls import reverse

from accounts.models import Account, Contact, Department, InstalledProduct
from crm.concurrency import version_of
from tests.accounts.conftest import fill_dossier

pytestmark = pytest.mark.django_db

ALLOWED = {"owner", "manager", "admin"}
DENIED = {"teammate", "outsider", "outsider_manager"}


@pytest.fixture
def world(account):
    rows = fill_dossier(account)
    return {
        "account": account,
        "contact": rows["contacts"][0],
        "department": rows["departments"][0],
        "installed": account.installed_products.get(),
        "tie": rows["contacts"][0].ties.get(),
    }


def pages(w):
    a, c = w["account"].pk, w["contact"].pk
    return [
        reverse("accounts:detail", args=[a]),
        reverse("accounts:edit", args=[a]),
        reverse("accounts:org_map", args=[a]),
        reverse("accounts:section", args=[a, "organisation"]),
        reverse("accounts:contact_create", args=[a]),
        reverse("accounts:contact", args=[c]),
        reverse("accounts:contact_edit", args=[c]),
        reverse("accounts:profile_edit", args=[c]),
        reverse("accounts:part_create", args=[a, "installed"]),
        reverse("accounts:part_edit", args=[a, "installed", w["installed"].pk]),
        reverse("accounts:part_edit", args=[a, "department", w["department"].pk]),
        reverse("accounts:part_edit", args=[a, "tie", w["tie"].pk]),
    ]


def users(personas):
    return {name: getattr(personas, name) for name in ALLOWED | DENIED}


@pytest.mark.parametrize("persona", sorted(ALLOWED | DENIED))
def test_pages_answer_by_the_access_policy(client_for, personas, world, persona):
    client = client_for(getattr(personas, persona))
    for url in pages(world):
        expected = 200 if persona in ALLOWED else 404
        assert client.get(url).status_code == expected, (persona, url)


def test_a_teammate_gets_in_once_the_account_is_shared(client_for, personas, world):
    world["account"].collaborators.add(personas.teammate)
    client = client_for(personas.teammate)
    for url in pages(world):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in [reverse("accounts:list"), reverse("accounts:create"), *pages(world)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_list_and_the_new_account_page_open_for_every_signed_in_user(client_for, personas):
    for user in users(personas).values():
        client = client_for(user)
        assert client.get(reverse("accounts:list")).status_code == 200
        assert client.get(reverse("accounts:create")).status_code == 200


def test_the_list_shows_only_visible_accounts(client_for, personas, account):
    for name, user in users(personas).items():
        body = client_for(user).get(reverse("accounts:list")).content.decode()
        assert (account.name in body) == (name in ALLOWED), name


def writes(w):
    """(url, data, check that nothing changed) for every write view."""
    a, c = w["account"], w["contact"]
    return [
        (
            reverse("accounts:edit", args=[a.pk]),
            {"name": "Hijacked", "status": "target", "owner": a.owner_id, "version": version_of(a)},
            lambda: Account.objects.filter(name="Hijacked").exists(),
        ),
        (
            reverse("accounts:contact_create", args=[a.pk]),
            {"name": "Intruder", "function": "other", "level": "operational"},
            lambda: Contact.objects.filter(name="Intruder").exists(),
        ),
        (
            reverse("accounts:contact_edit", args=[c.pk]),
            {
                "name": "Renamed",
                "function": "other",
                "level": "operational",
                "version": version_of(c),
            },
            lambda: Contact.objects.filter(name="Renamed").exists(),
        ),
        (
            reverse("accounts:profile_edit", args=[c.pk]),
            {"hobbies": "spying"},
            lambda: Contact.objects.filter(profile__hobbies="spying").exists(),
        ),
        (
            reverse("accounts:part_create", args=[a.pk, "installed"]),
            {"purpose": "Hack", "brand": "X", "vendor": "other"},
            lambda: InstalledProduct.objects.filter(purpose="Hack").exists(),
        ),
        (
            reverse("accounts:part_edit", args=[a.pk, "department", w["department"].pk]),
            {"name": "Renamed dept", "function": "other", "version": version_of(w["department"])},
            lambda: Department.objects.filter(name="Renamed dept").exists(),
        ),
        (
            reverse("accounts:part_delete", args=[a.pk, "installed", w["installed"].pk]),
            {},
            lambda: not InstalledProduct.objects.filter(pk=w["installed"].pk).exists(),
        ),
    ]


@pytest.mark.parametrize("persona", sorted(DENIED))
def test_writes_by_outsiders_answer_404_and_change_nothing(client_for, personas, world, persona):
    client = client_for(getattr(personas, persona))
    for url, data, changed in writes(world):
        assert client.post(url, data).status_code == 404, url
        assert not changed(), url


def test_anonymous_writes_change_nothing(client, world):
    for url, data, changed in writes(world):
        response = client.post(url, data)
        assert response.status_code == 302 and "/auth/login/" in response["Location"]
        assert not changed(), url


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_writes_by_those_who_may_see_go_through(client_for, personas, world, persona):
    client = client_for(getattr(personas, persona))
    for url, data, changed in writes(world):
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content[:2000])
        assert changed(), url


def test_a_row_of_another_account_is_not_reachable_through_mine(client_for, personas, world):
    from tests.accounts.factories import InstalledProductFactory
    from tests.factories import AccountFactory

    theirs = InstalledProductFactory(account=AccountFactory(owner=personas.outsider))
    client = client_for(personas.owner)
    a = world["account"].pk
    assert (
        client.get(reverse("accounts:part_edit", args=[a, "installed", theirs.pk])).status_code
        == 404
    )
    response = client.post(reverse("accounts:part_delete", args=[a, "installed", theirs.pk]))
    assert response.status_code == 404
    assert InstalledProduct.objects.filter(pk=theirs.pk).exists()


def test_an_unknown_kind_of_row_is_404(client_for, personas, world):
    client = client_for(personas.owner)
    url = reverse("accounts:part_create", args=[world["account"].pk, "nonsense"])
    assert client.get(url).status_code == 404
    url = reverse("accounts:section", args=[world["account"].pk, "nonsense"])
    assert client.get(url).status_code == 404


def test_delete_is_post_only(client_for, personas, world):
    url = reverse(
        "accounts:part_delete", args=[world["account"].pk, "installed", world["installed"].pk]
    )
    assert client_for(personas.owner).get(url).status_code == 405
