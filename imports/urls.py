from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_start, name="import"),
    path("<int:pk>/", views.import_batch, name="import_batch"),
    path("<int:pk>/rejected.csv", views.import_rejected, name="import_rejected"),
]
