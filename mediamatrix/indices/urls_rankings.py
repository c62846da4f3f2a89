"""URLs of the rankings pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
