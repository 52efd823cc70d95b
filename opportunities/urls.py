"""The opportunities app's URLs: each part's patterns, in one namespace (given by crm/urls.py,
which adds the import pages of the imports app to it), so that every URL name
(`opportunities:detail`, `opportunities:pipeline`, …) is the same whichever room serves it."""

from django.urls import include, path

urlpatterns = [
    path("", include("opportunities.deals.urls")),
    path("", include("opportunities.pipeline.urls")),
    path("", include("opportunities.moves.urls")),
]
