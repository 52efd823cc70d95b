from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from crm import calendar_views, health, views
from crm.notifications import views as notifications
from crm.saved import views as saved_views

app_patterns = (
    [
        path("", views.home, name="home"),
        path("language/", views.switch_language, name="switch_language"),
        path("health/", health.health, name="health"),
        path("calendar/", calendar_views.calendar, name="calendar"),
        path("calendar/feed/reset/", calendar_views.feed_reset, name="calendar_feed_reset"),
        path("calendar/<str:token>.ics", calendar_views.feed, name="calendar_feed"),
        path("notifications/", notifications.inbox, name="inbox"),
        path("notifications/bell/", notifications.bell, name="bell"),
        path("notifications/read/", notifications.mark_read, name="mark_read"),
        path("notifications/<int:pk>/open/", notifications.open_notification, name="open"),
        path(
            "notifications/preferences/",
            notifications.preferences,
            name="notification_preferences",
        ),
        path("notifications/robots/", notifications.robots, name="robots"),
        path("notifications/robots/new/", notifications.robot_edit, name="robot_add"),
        path("notifications/robots/<int:pk>/", notifications.robot_edit, name="robot_edit"),
        path("notifications/robots/<int:pk>/test/", notifications.robot_test, name="robot_test"),
        path("views/save/", saved_views.save, name="view_save"),
        path("views/default/", saved_views.make_default, name="view_default"),
        path("views/<int:pk>/delete/", saved_views.delete, name="view_delete"),
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
    path("search/", include("search.urls")),
    path("bulk/", include("bulk.urls")),
    path("pool/", include("pool.urls")),
    path("files/", include("files.urls")),
    path("opportunities/", include(opportunity_patterns)),
    path("api/", include("crm.api.urls")),
    path("admin/", admin.site.urls),
]
