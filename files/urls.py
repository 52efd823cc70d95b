from django.urls import path

from files import views

app_name = "files"

urlpatterns = [
    path("<slug:kind>/<int:pk>/", views.panel, name="panel"),
    path("version/<int:pk>/download/", views.download, name="download"),
    path("version/<int:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("document/<int:pk>/delete/", views.delete, name="delete"),
]
