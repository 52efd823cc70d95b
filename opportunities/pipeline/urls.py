from django.urls import path

from opportunities.pipeline import learn_views, views

urlpatterns = [
    path("pipeline/", views.pipeline_page, name="pipeline"),
    path("<int:pk>/review/", views.deal_review, name="review"),
    path("learn/", learn_views.learn_page, name="learn"),
]
