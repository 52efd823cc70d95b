"""The opportunities app's URLs: each part's patterns, in one namespace (given by crm/urls.py,
which adds the import pages of the imports app to it), so that every URL name
(`opportunities:detail`, `opportunities:pipeline`, …) is the same whichever room serves it."""

from django.urls import include, path

from opportunities import next_steps

urlpatterns = [
    path("", include("opportunities.deals.urls")),
    path("", include("opportunities.pipeline.urls")),
    path("", include("opportunities.moves.urls")),
    path("<int:pk>/next-step/done/", next_steps.next_step_done, name="next_step_done"),
    path("<int:pk>/todos/new/", next_steps.todo_for_deal, name="todo_for_deal"),
]
