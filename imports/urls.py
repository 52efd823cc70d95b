"""The import pages. Included by crm/urls.py under /opportunities/import/ in the opportunities
namespace, where they were before the imports app: `opportunities:import`,
`opportunities:import_batch`, `opportunities:import_rejected`."""

from django.urls import path

from imports import views

urlpatterns = [
    path("", views.import_start, name="import"),
    path("<int:pk>/", views.import_batch, name="import_batch"),
    path("<int:pk>/rejected.csv", views.import_rejected, name="import_rejected"),
    path("<int:pk>/progress/", views.import_progress, name="import_progress"),
]
