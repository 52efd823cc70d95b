from django.urls import path

from pool import views

app_name = "pool"

urlpatterns = [
    path("", views.pool_page, name="list"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/assign/", views.assign, name="assign"),
]
