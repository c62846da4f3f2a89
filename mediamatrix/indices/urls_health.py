"""URLs of the health pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
