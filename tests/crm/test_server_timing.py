import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.django_db
def test_server_timing_reports_queries_and_time(client_for, personas):
    from django.test import override_settings

    middleware = ["crm.middleware.ServerTimingMiddleware", *settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        response = client_for(personas.owner).get(reverse("crm:home"))
    assert int(response["X-Query-Count"]) >= 2  # session + user at least
    assert response["Server-Timing"].startswith("app;dur=")


@pytest.mark.django_db
def test_server_timing_is_off_by_default(client_for, personas):
    response = client_for(personas.owner).get(reverse("crm:home"))
    assert "X-Query-Count" not in response
