from django.urls import path

from mediamatrix.orgs import views, views_io

app_name = "orgs"

urlpatterns = [
    path("units/", views.unit_tree, name="units"),
    path("accounts/", views.account_list_view, name="accounts"),
    path("grid-groups/", views.grid_group_list_view, name="grid-groups"),
    path("registry/health/", views.registry_health_view, name="registry-health"),
    # Bulk import and export (views_io)
    path("imports/", views_io.import_view, name="imports"),
    path(
        "imports/template/<str:kind>.<str:fmt>",
        views_io.import_template_view,
        name="import-template",
    ),
    path("exports/<str:kind>.<str:fmt>", views_io.export_view, name="export"),
]
