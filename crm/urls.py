from django.contrib import admin
from django.urls import include, path

from crm import views

app_patterns = (
    [
        path("", views.home, name="home"),
        path("language/", views.switch_language, name="switch_language"),
    ],
    "crm",
)

urlpatterns = [
    path("", include(app_patterns)),
    path("auth/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
