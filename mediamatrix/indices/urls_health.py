"""URLs of the health pages."""

from django.urls import URLPattern, path

from mediamatrix.indices import views_health

urlpatterns: list[URLPattern] = [
    path("health/", views_health.health_view, name="health"),
]
