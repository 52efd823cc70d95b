from django.urls import path

from accounts import duplicate_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("duplicates/", duplicate_views.duplicate_list, name="duplicates"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/edit/", views.account_edit, name="edit"),
    path("<int:pk>/org-map/", views.org_map, name="org_map"),
    path("<int:pk>/merge/", duplicate_views.merge_pick, name="merge_pick"),
    path("<int:pk>/merge/<int:other_pk>/", duplicate_views.merge, name="merge"),
    path("<int:pk>/section/<slug:category>/", views.account_section, name="section"),
    path("<int:account_pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/merge/", duplicate_views.contact_merge_pick, name="contact_merge_pick"),
    path(
        "contacts/<int:pk>/merge/<int:other_pk>/",
        duplicate_views.contact_merge,
        name="contact_merge",
    ),
    path("contacts/<int:pk>/profile/", views.profile_edit, name="profile_edit"),
    path("<int:account_pk>/<slug:kind>/new/", views.part_create, name="part_create"),
    path("<int:account_pk>/<slug:kind>/<int:pk>/edit/", views.part_edit, name="part_edit"),
    path("<int:account_pk>/<slug:kind>/<int:pk>/delete/", views.part_delete, name="part_delete"),
]
