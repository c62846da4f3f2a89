"""URLs of the bulletins pages."""

from django.urls import URLPattern, path

from mediamatrix.indices import views_bulletins as views

urlpatterns: list[URLPattern] = [
    path("bulletins/", views.bulletin_list_view, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin_detail_view, name="bulletin-detail"),
    path("bulletins/<int:pk>/status/", views.bulletin_status_view, name="bulletin-status"),
    path(
        "bulletins/<int:pk>/download.docx",
        views.bulletin_download_view,
        {"kind": "docx"},
        name="bulletin-docx",
    ),
    path(
        "bulletins/<int:pk>/download.xlsx",
        views.bulletin_download_view,
        {"kind": "xlsx"},
        name="bulletin-xlsx",
    ),
]
