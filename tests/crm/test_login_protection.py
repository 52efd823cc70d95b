"""django-axes: repeated wrong passwords lock the username out, with a clear page; an admin
can unlock; a right password before the limit resets the count."""

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
