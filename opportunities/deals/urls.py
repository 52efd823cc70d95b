from django.urls import path

from opportunities import exports
from opportunities.deals import leverage, next_steps, views

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("board/", views.opportunity_board, name="board"),
    path("new/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<int:pk>/move/", views.opportunity_move, name="move"),
    path("<int:pk>/outcome/", views.opportunity_outcome, name="outcome"),
    path("<int:pk>/stakeholders/new/", views.stakeholder_edit, name="stakeholder_add"),
    path("<int:pk>/leverage/", leverage.deal_leverage, name="leverage"),
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
    path("export/<slug:what>.<slug:fmt>", exports.export, name="export"),
    path("changes/<slug:kind>/<int:pk>/", views.record_changes, name="changes"),
    path("timeline/<slug:of>/<int:pk>/", views.timeline_page, name="timeline"),
    path("<int:pk>/next-step/done/", next_steps.next_step_done, name="next_step_done"),
    path("<int:pk>/todos/new/", next_steps.todo_for_deal, name="todo_for_deal"),
]
