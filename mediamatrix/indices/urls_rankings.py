"""URLs of the rankings pages."""

from django.urls import URLPattern, path

from mediamatrix.indices import views_rankings

urlpatterns: list[URLPattern] = [
    path("rankings/", views_rankings.rankings_view, name="rankings"),
    path("rankings/compute/", views_rankings.rankings_compute_view, name="rankings-compute"),
    path("rankings/runs/<int:pk>/", views_rankings.score_run_view, name="score-run"),
    path("scores/<int:pk>/", views_rankings.score_detail_view, name="score-detail"),
]
