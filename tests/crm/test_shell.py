"""The shell every page shares: login required, the language switch, password change."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["crm:home", "password_change"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_the_login_page_is_open_and_signs_in(client, personas):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "owner", "password": "pw"})
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:home")


def test_a_wrong_password_is_refused_with_a_message(client, personas):
    response = client.post(
        reverse("login"), {"username": "owner", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_home_shows_the_users_teams(client_for, personas):
    response = client_for(personas.manager).get(reverse("crm:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Team A — sales manager" in response.content.decode()


def test_chinese_is_the_default_language(client_for, personas):
    response = client_for(personas.owner).get(reverse("crm:home"))
    assert response["Content-Language"] == "zh-hans"
    assert "客户分析" in response.content.decode()


def test_the_language_switch_is_remembered_on_the_user(client_for, personas):
    client = client_for(personas.owner)
    response = client.post(
        reverse("crm:switch_language"), {"language": "en", "next": reverse("crm:home")}
    )
    assert response.status_code == 302
    personas.owner.refresh_from_db()
    assert personas.owner.language == "en"
    # The preference wins over the browser, in a fresh session too.
    client.cookies.clear()
    client.force_login(personas.owner)
    page = client.get(reverse("crm:home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page["Content-Language"] == "en"
    assert "Customer analysis" in page.content.decode()


def test_an_unknown_language_changes_nothing(client_for, personas):
    client_for(personas.owner).post(reverse("crm:switch_language"), {"language": "xx"})
    personas.owner.refresh_from_db()
    assert personas.owner.language == ""


def test_anonymous_visitors_can_switch_language_on_the_login_page(client):
    response = client.post(
        reverse("crm:switch_language"), {"language": "en", "next": reverse("login")}
    )
    assert response.status_code == 302
    page = client.get(reverse("login"))
    assert page["Content-Language"] == "en"
    assert "Sign in" in page.content.decode()


def test_password_change(client_for, personas):
    client = client_for(personas.owner)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw",
            "new_password1": "a-much-longer-passphrase-42",
            "new_password2": "a-much-longer-passphrase-42",
        },
    )
    assert response.status_code == 302
    personas.owner.refresh_from_db()
    assert personas.owner.check_password("a-much-longer-passphrase-42")


def test_logout_is_a_post(client_for, personas):
    client = client_for(personas.owner)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("crm:home")).status_code == 302
