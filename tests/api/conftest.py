from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from crm.api.models import ApiToken


def token_for(user, scope=ApiToken.Scope.WRITE, days=30):
    return ApiToken.issue(
        user=user, name="test", scope=scope, expires_at=timezone.now() + timedelta(days=days)
    )


@pytest.fixture
def api_as():
    """`api_as(user, scope=…)`: an API client that sends a fresh token of `user`'s."""

    def client(user, scope=ApiToken.Scope.WRITE):
        api = APIClient()
        if user is not None:
            _token, key = token_for(user, scope)
            api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return api

    return client
