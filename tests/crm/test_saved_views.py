"""Saved views (issue 20): a list's filters kept by name, private or shared with the team, a
default per list and user, and nobody else's changed."""

import pytest
from django.urls import reverse

from crm.saved.models import DefaultView, SavedView
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
LIST = reverse("accounts:list")


def save(client, name, query, **extra):
    data = {"list": "accounts:list", "name": name, "query": query, **extra}
    return client.post(reverse("crm:view_save"), data, HTTP_ACCEPT_LANGUAGE="en")


def test_saving_the_current_filters_and_opening_them(client_for, personas):
    AccountFactory(owner=personas.owner, name="江南银行", status="customer")
    AccountFactory(owner=personas.owner, name="新客户", status="target")
    client = client_for(personas.owner)
    response = save(client, "我的老客户", "status=customer")
    assert response.status_code == 302 and response.url == f"{LIST}?status=customer"
    page = client.get(f"{LIST}?status=customer")
    assert page.context["saved"].current.name == "我的老客户"
    assert [a.name for a, _ in page.context["rows"]] == ["江南银行"]


def test_a_default_view_opens_the_bare_list(client_for, personas):
    client = client_for(personas.owner)
    save(client, "客户", "status=customer", default="on")
    response = client.get(LIST)
    assert response.status_code == 302 and response.url == f"{LIST}?status=customer"
    # Any filter (or ?view=) opens the list as asked, not the default.
    assert client.get(f"{LIST}?status=target").status_code == 200
    client.post(reverse("crm:view_default"), {"list": "accounts:list"})
    assert client.get(LIST).status_code == 200


def test_a_shared_view_reaches_the_team_and_only_the_team(client_for, personas):
    save(client_for(personas.owner), "团队视图", "status=prospect", shared="on")
    save(client_for(personas.owner), "私人视图", "status=target")
    names = lambda user: [  # noqa: E731
        v.name for v in client_for(user).get(f"{LIST}?x=1").context["saved"].views
    ]
    assert names(personas.teammate) == ["团队视图"]
    assert names(personas.manager) == ["团队视图"]
    assert names(personas.outsider) == []
    assert sorted(names(personas.owner)) == ["团队视图", "私人视图"]


def test_a_teammate_may_make_a_shared_view_their_default_but_not_delete_it(client_for, personas):
    save(client_for(personas.owner), "团队视图", "status=prospect", shared="on")
    view = SavedView.objects.get()
    teammate = client_for(personas.teammate)
    teammate.post(reverse("crm:view_default"), {"list": "accounts:list", "view": view.pk})
    assert DefaultView.objects.get(user=personas.teammate).view == view
    assert teammate.post(reverse("crm:view_delete", args=[view.pk])).status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_a_private_view_cannot_be_taken_as_default_by_someone_else(client_for, personas):
    save(client_for(personas.owner), "私人", "status=target")
    view = SavedView.objects.get()
    response = client_for(personas.teammate).post(
        reverse("crm:view_default"), {"list": "accounts:list", "view": view.pk}
    )
    assert response.status_code == 404 and not DefaultView.objects.exists()


@pytest.mark.parametrize(
    ("name", "list_key", "message"),
    [
        ("", "accounts:list", "This field cannot be blank."),
        ("同名", "accounts:list", "You already have a view of this name on this list."),
    ],
)
def test_bad_input_gets_a_message_and_saves_nothing(client_for, personas, name, list_key, message):
    client = client_for(personas.owner)
    save(client, "同名", "status=target")
    response = client.post(
        reverse("crm:view_save"),
        {"list": list_key, "name": name, "query": "status=customer"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert message in response.content.decode()
    assert SavedView.objects.count() == 1


def test_an_unknown_list_is_refused(client_for, personas):
    response = client_for(personas.owner).post(
        reverse("crm:view_save"), {"list": "admin:index", "name": "x", "query": ""}
    )
    assert response.status_code == 404 and not SavedView.objects.exists()


def test_a_saved_view_never_leads_off_the_list(client_for, personas):
    client = client_for(personas.owner)
    save(client, "怪", "status=target&next=https://evil.example", default="on")
    response = client.get(LIST)
    assert response.url.startswith(f"{LIST}?")
