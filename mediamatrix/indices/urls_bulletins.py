"""URLs of the bulletins pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
