"""URLs of the review pages (namespace `review`, mounted at /review/)."""

from django.urls import URLPattern, path

from mediamatrix.review import views, views_decisions

app_name = "review"

urlpatterns: list[URLPattern] = [
    path("", views.queue_view, name="queue"),
    path("assign/", views.assign_bulk_view, name="assign-bulk"),
    path("items/<int:pk>/", views.item_view, name="item"),
    path("items/<int:pk>/decide/", views.item_decide_view, name="item-decide"),
    path("items/<int:pk>/assign/", views.item_assign_view, name="item-assign"),
    path("items/<int:pk>/recheck/", views.item_recheck_view, name="item-recheck"),
    path("decisions/", views_decisions.decision_list_view, name="decisions"),
    path("decisions/<int:pk>/", views_decisions.decision_view, name="decision"),
    path(
        "decisions/<int:pk>/respond/",
        views_decisions.decision_respond_view,
        name="decision-respond",
    ),
    path(
        "decisions/<int:pk>/appeal/", views_decisions.decision_appeal_view, name="decision-appeal"
    ),
    path(
        "decisions/<int:pk>/appeal-decision/",
        views_decisions.appeal_decide_view,
        name="appeal-decide",
    ),
    path("rules/", views_decisions.rules_view, name="rules"),
]
