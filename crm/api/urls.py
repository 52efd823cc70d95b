"""/api/v1/: one router, each app contributing its endpoints (DESIGN.md: "the REST API router
in crm/, each app owning its serializers and API views").

An app provides `<app>/api.py` (or a package) with `def routes(router)`; they are found in
INSTALLED_APPS order, as the home page finds `<app>/home.py`, so crm imports no app above it.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from crm.api import views


def _router() -> DefaultRouter:
    router = DefaultRouter(trailing_slash=True)
    router.include_root_view = False
    router.include_format_suffixes = False
    for config in apps.get_app_configs():
        name = f"{config.name}.api"
        if find_spec(name) is not None:
            module = import_module(name)
            if hasattr(module, "routes"):
                module.routes(router)
    return router


def _open(patterns):
    """The API answers for itself (401 with a token challenge), not with the sign-in page
    of LoginRequiredMiddleware."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _open(pattern.url_patterns)
        else:
            pattern.callback.login_required = False
    return patterns


app_name = "api"

urlpatterns = _open(
    [
        path("v1/", include(_router().urls)),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        # Any other address under the API answers in JSON too, never with an HTML page.
        re_path(r"^v1/", views.not_found, name="not_found"),
    ]
) + [
    path("docs/", views.docs, name="docs"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke, name="token_revoke"),
]
