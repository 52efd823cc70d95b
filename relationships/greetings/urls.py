"""Greetings' URLs, part of the relationships namespace (relationships/urls.py)."""

from django.urls import path

from relationships.greetings import views

urlpatterns = [
    path("greetings/", views.greetings, name="greetings"),
    path(
        "greetings/festival/<int:festival_pk>/<str:day>/",
        views.festival,
        name="greet_festival",
    ),
    path("greetings/birthday/", views.birthday, name="greet_birthday"),
    path("greetings/<int:pk>/cancel/", views.cancel, name="greeting_cancel"),
    path("greetings/<int:pk>/retry/", views.retry, name="greeting_retry"),
    path("greetings/<int:pk>/confirm/", views.confirm, name="greeting_confirm"),
    path("contacts/<int:contact_pk>/greetings/", views.for_contact, name="greet_contact"),
    path(
        "contacts/<int:contact_pk>/communication/",
        views.communication,
        name="communication",
    ),
]
