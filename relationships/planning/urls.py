"""Planned work's URLs, part of the relationships namespace (relationships/urls.py)."""

from django.urls import path

from relationships.planning import views

urlpatterns = [
    path("contacts/<int:contact_pk>/plan/", views.plan_for_contact, name="plan_for_contact"),
    path("accounts/<int:account_pk>/plan/", views.plan_for_account, name="plan_for_account"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/done/", views.plan_done, name="plan_done"),
    path("plans/<int:pk>/reschedule/", views.plan_reschedule, name="plan_reschedule"),
    path("plans/<int:pk>/cancel/", views.plan_cancel, name="plan_cancel"),
    path("contacts/<int:contact_pk>/todos/new/", views.todo_for_contact, name="todo_for_contact"),
    path("accounts/<int:account_pk>/todos/new/", views.todo_for_account, name="todo_for_account"),
    path("todos/<int:pk>/done/", views.todo_done, name="todo_done"),
]
