from django.urls import path

from opportunities import next_steps
from opportunities.views import deals as views
from opportunities.views import moves, pipeline, transfer

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("board/", views.opportunity_board, name="board"),
    path("new/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<int:pk>/move/", views.opportunity_move, name="move"),
    path("<int:pk>/outcome/", views.opportunity_outcome, name="outcome"),
    path("<int:pk>/next-step/done/", next_steps.next_step_done, name="next_step_done"),
    path("<int:pk>/todos/new/", next_steps.todo_for_deal, name="todo_for_deal"),
    path("<int:pk>/stakeholders/new/", views.stakeholder_edit, name="stakeholder_add"),
    path(
        "<int:pk>/stakeholders/<int:stakeholder_pk>/edit/",
        views.stakeholder_edit,
        name="stakeholder_edit",
    ),
    path(
        "<int:pk>/stakeholders/<int:stakeholder_pk>/remove/",
        views.stakeholder_remove,
        name="stakeholder_remove",
    ),
    # Issue 7: pipeline dashboards and deal review.
    path("pipeline/", pipeline.pipeline_page, name="pipeline"),
    path("<int:pk>/review/", pipeline.deal_review, name="review"),
    # Issue 6: moves 3–6 on the opportunity page, and receivables.
    path("receivables/", moves.receivables, name="receivables"),
    path("<int:pk>/moves/<slug:kind>/new/", moves.record_edit, name="record_new"),
    path("<int:pk>/moves/<slug:kind>/<int:item_pk>/edit/", moves.record_edit, name="record_edit"),
    path(
        "<int:pk>/moves/<slug:kind>/<int:item_pk>/delete/",
        moves.record_delete,
        name="record_delete",
    ),
    path(
        "<int:pk>/moves/negotiation/<int:item_pk>/decide/",
        moves.negotiation_decide,
        name="negotiation_decide",
    ),
    # Issue 8: imports and the exports of every list.
    path("import/", transfer.import_start, name="import"),
    path("import/<int:pk>/", transfer.import_batch, name="import_batch"),
    path("import/<int:pk>/rejected.csv", transfer.import_rejected, name="import_rejected"),
    path("export/<slug:what>.<slug:fmt>", transfer.export, name="export"),
    path("changes/<slug:kind>/<int:pk>/", transfer.record_changes, name="changes"),
]
