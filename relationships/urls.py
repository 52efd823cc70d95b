from django.urls import path

from relationships import activity_views, ledger_views, views
from relationships.greetings import urls as greetings_urls
from relationships.planning import urls as planning_urls

app_name = "relationships"

urlpatterns = [
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/<int:contact_pk>/", views.contact, name="contact"),
    path("contacts/<int:contact_pk>/log/", views.log_for_contact, name="log_for_contact"),
    path("contacts/<int:contact_pk>/stage/", views.change_stage, name="change_stage"),
    path("contacts/<int:contact_pk>/edit/", views.edit_relationship, name="edit"),
    path("contacts/<int:contact_pk>/guide/", views.edit_guide, name="guide"),
    path("contacts/<int:contact_pk>/mark-guide/", views.mark_guide, name="mark_guide"),
    path("accounts/<int:account_pk>/", views.account, name="account"),
    path("accounts/<int:account_pk>/log/", views.log_for_account, name="log_for_account"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/<int:pk>/edit/", activity_views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", activity_views.activity_delete, name="activity_delete"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:activity_pk>/", views.decide, name="decide"),
    path("care/", views.care_page, name="care"),
    path("gifts/ledger/", ledger_views.gift_ledger_view, name="gift_ledger"),
    path("learn/trust/", ledger_views.trust_learning_view, name="trust_learning"),
]
urlpatterns += planning_urls.urlpatterns
urlpatterns += greetings_urls.urlpatterns
