"""django-axes: repeated wrong passwords lock the username out, with a clear page; an admin
can unlock; a right password before the limit resets the count."""

from datetime import UTC, datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def sign_in(client, password, username="owner"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        HTTP_ACCEPT_LANGUAGE="en",
        REMOTE_ADDR="10.0.0.7",
    )


def test_lock_out_after_the_failure_limit(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    # Even the right password is refused while locked.
    assert sign_in(client, "pw").status_code == 429


def test_the_lock_out_page_speaks_chinese(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("login"), {"username": "owner", "password": "wrong"}, REMOTE_ADDR="10.0.0.8"
        )
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_an_admin_unlock_lets_the_user_in_again(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")
    assert sign_in(client, "pw").status_code == 429
    AccessAttempt.objects.filter(username="owner").delete()  # what admin's delete action does
    assert sign_in(client, "pw").status_code == 302


def test_another_user_is_not_locked_by_someone_elses_failures(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")
    assert sign_in(client, "pw", username="teammate").status_code == 302


def test_a_successful_sign_in_resets_the_count(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, "pw").status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200


def test_admins_see_the_access_attempts(client_for, personas):
    response = client_for(personas.admin).get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200


def test_guessing_one_username_from_many_addresses_is_limited(client, personas, settings):
    settings.AXES_USERNAME_FAILURE_LIMIT = 8
    for n in range(8):  # two tries each from four addresses: under the per-address limit
        response = client.post(
            reverse("login"),
            {"username": "owner", "password": "wrong"},
            REMOTE_ADDR=f"10.1.0.{n // 2}",
        )
        assert response.status_code == 200
    locked = client.post(
        reverse("login"), {"username": "owner", "password": "pw"}, REMOTE_ADDR="10.9.9.9"
    )
    assert locked.status_code == 429
    assert sign_in(client, "pw", username="teammate").status_code == 302


def test_behind_a_proxy_each_client_is_counted_on_its_own(client, personas, settings):
    """With one proxy every request comes from the proxy's address: without reading
    X-Forwarded-For, five wrong passwords by one person would lock everyone out."""
    settings.TRUSTED_PROXY_COUNT = 1

    def through_proxy(client_ip, username, password):
        return client.post(
            reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR="172.16.0.1",
            HTTP_X_FORWARDED_FOR=client_ip,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_proxy("203.0.113.5", "owner", "wrong")
    assert through_proxy("203.0.113.5", "owner", "pw").status_code == 429
    assert through_proxy("198.51.100.7", "owner", "pw").status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "172.16.0.1"),  # no proxy: the header is the client's own words
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a forged entry on the left is ignored
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "172.16.0.1"),  # fewer entries than proxies: the socket address
    ],
)
def test_the_client_address(settings, rf, count, forwarded, expected):
    from crm.throttling import client_address

    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="172.16.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_an_idle_session_is_signed_out(client, personas, settings):
    import time_machine

    settings.SESSION_IDLE_SECONDS = 3600
    client.force_login(personas.owner)
    assert client.get(reverse("crm:home")).status_code == 200
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=59)):
        assert client.get(reverse("crm:home")).status_code == 200  # still active, renewed
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=59 + 59)):
        assert client.get(reverse("crm:home")).status_code == 200
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=59 + 59 + 61)):
        response = client.get(reverse("crm:home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert "_auth_user_id" not in client.session
