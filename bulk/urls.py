from django.urls import path

from bulk import views

app_name = "bulk"

urlpatterns = [
    path("handover/", views.handover_page, name="handover"),
    path("<slug:list_name>/", views.start, name="start"),
]
