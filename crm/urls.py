from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from crm import views

app_patterns = (
    [
        path("", views.home, name="home"),
        path("language/", views.switch_language, name="switch_language"),
    ],
    "crm",
)

# The import pages kept their addresses and names (opportunities:import, …) when they moved to
# the imports app: both apps' patterns share the opportunities namespace.
opportunity_patterns = (
    [path("import/", include("imports.urls")), path("", include("opportunities.urls"))],
    "opportunities",
)

urlpatterns = [
    path("", include(app_patterns)),
    path("accounts/", include("accounts.urls")),
    # No self-service password reset: there is no mail set-up; an admin resets passwords.
    path("auth/login/", auth_views.LoginView.as_view(), name="login"),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "auth/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "auth/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("relationships/", include("relationships.urls")),
    path("opportunities/", include(opportunity_patterns)),
    path("admin/", admin.site.urls),
]
