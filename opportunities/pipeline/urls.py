from django.urls import path

from opportunities.pipeline import views

urlpatterns = [
    path("pipeline/", views.pipeline_page, name="pipeline"),
    path("<int:pk>/review/", views.deal_review, name="review"),
]
