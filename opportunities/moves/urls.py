from django.urls import path

from opportunities.moves import aftersale_views, views

urlpatterns = [
    path(
        "<int:pk>/after-sale/satisfaction/",
        aftersale_views.satisfaction_new,
        name="satisfaction_new",
    ),
    path("<int:pk>/after-sale/referral/", aftersale_views.referral_new, name="referral_new"),
    path("receivables/", views.receivables, name="receivables"),
    path("<int:pk>/moves/<slug:kind>/new/", views.record_edit, name="record_new"),
    path("<int:pk>/moves/<slug:kind>/<int:item_pk>/edit/", views.record_edit, name="record_edit"),
    path(
        "<int:pk>/moves/<slug:kind>/<int:item_pk>/delete/",
        views.record_delete,
        name="record_delete",
    ),
    path(
        "<int:pk>/moves/negotiation/<int:item_pk>/decide/",
        views.negotiation_decide,
        name="negotiation_decide",
    ),
]
