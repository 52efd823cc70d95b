"""Personal API tokens: stored hashed, shown once, scoped, expiring, revocable, throttled."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from crm.api.models import ApiToken, digest
from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db
ACCOUNTS = "/api/v1/accounts/"


def bearer(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_only_the_hash_of_a_key_is_stored(personas):
    token, key = token_for(personas.owner)
    stored = ApiToken.objects.values_list("key_hash", "hint").get(pk=token.pk)
    assert key not in stored[0] and stored[0] == digest(key)
    assert key.startswith(stored[1]) and len(stored[1]) < len(key) // 3
    assert bearer(key).get(ACCOUNTS).status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"revoked_at": timezone.now()}, "This token has been revoked."),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "This token has expired."),
    ],
)
def test_a_revoked_or_expired_token_is_refused(personas, change, message):
    token, key = token_for(personas.owner)
    ApiToken.objects.filter(pk=token.pk).update(**change)
    response = bearer(key).get(ACCOUNTS)
    assert response.status_code == 401
    assert response.json()["detail"] == message


def test_a_token_of_an_inactive_user_is_refused(personas):
    _token, key = token_for(personas.owner)
    personas.owner.is_active = False
    personas.owner.save()
    assert bearer(key).get(ACCOUNTS).status_code == 401


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer", "Token a b", "Bearer clg_\u00e9"])
def test_a_malformed_or_unknown_token_is_refused(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(ACCOUNTS).status_code == 401


def test_a_read_only_token_reads_but_does_not_write(personas):
    _token, key = token_for(personas.owner, ApiToken.Scope.READ)
    client = bearer(key)
    assert client.get(ACCOUNTS).status_code == 200
    response = client.post(ACCOUNTS, {"name": "新客户"}, format="json")
    assert response.status_code == 403
    assert "read" in response.json()["detail"]


def test_the_last_use_is_written_at_most_once_a_minute(personas):
    token, key = token_for(personas.owner)
    client = bearer(key)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(ACCOUNTS)
        first = ApiToken.objects.get(pk=token.pk).last_used_at
        clock.shift(timedelta(seconds=30))
        client.get(ACCOUNTS)
        assert ApiToken.objects.get(pk=token.pk).last_used_at == first
        clock.shift(timedelta(seconds=61))
        client.get(ACCOUNTS)
        assert ApiToken.objects.get(pk=token.pk).last_used_at > first


@override_settings(API_RATE="3/min")
def test_each_token_has_its_own_budget(personas):
    from django.core.cache import cache

    cache.clear()
    _a, first = token_for(personas.owner)
    _b, second = token_for(personas.owner)
    answers = [bearer(first).get(ACCOUNTS).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert bearer(second).get(ACCOUNTS).status_code == 200
    cache.clear()


def test_the_browser_session_needs_its_csrf_token_to_write(personas):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(personas.owner)
    assert client.get(ACCOUNTS).status_code == 200
    assert client.post(ACCOUNTS, {"name": "新客户"}, format="json").status_code == 403


def test_the_tokens_page_shows_a_new_key_once(client_for, personas):
    client = client_for(personas.owner)
    response = client.post(reverse("api:tokens"), {"name": "ERP", "scope": "write", "lifetime": 90})
    token = ApiToken.objects.get(user=personas.owner)
    key = response.context["key"]
    assert digest(key) == token.key_hash and token.scope == "write"
    assert response["Cache-Control"] == "no-store"
    assert (token.expires_at - timezone.now()).days in (89, 90)
    again = client.get(reverse("api:tokens"))
    assert key not in again.content.decode()
    assert token.hint in again.content.decode()


def test_revoking_on_the_page_ends_the_token(client_for, personas):
    token, key = token_for(personas.owner)
    client_for(personas.owner).post(reverse("api:token_revoke", args=[token.pk]))
    assert bearer(key).get(ACCOUNTS).status_code == 401


def test_nobody_revokes_another_persons_token(client_for, personas):
    token, key = token_for(personas.owner)
    response = client_for(personas.manager).post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert bearer(key).get(ACCOUNTS).status_code == 200


def test_an_admin_revokes_tokens_in_admin(client_for, personas):
    token, key = token_for(personas.owner)
    client = client_for(personas.admin)
    changelist = reverse("admin:crm_apitoken_changelist")
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    assert bearer(key).get(ACCOUNTS).status_code == 401
    assert client.get(reverse("admin:crm_apitoken_add")).status_code == 403
