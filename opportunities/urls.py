"""The opportunities app's URLs: each part's patterns, in one namespace, so that every URL name
(`opportunities:detail`, `opportunities:pipeline`, …) is the same whichever room serves it."""

from django.urls import include, path

app_name = "opportunities"

urlpatterns = [
    path("", include("opportunities.deals.urls")),
    path("", include("opportunities.pipeline.urls")),
    path("", include("opportunities.moves.urls")),
]
