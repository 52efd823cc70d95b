from django.urls import path

from bulk import views

app_name = "bulk"

urlpatterns = [
    path("<slug:list_name>/", views.start, name="start"),
]
