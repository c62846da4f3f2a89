from django.urls import path

from mediamatrix.orgs import views

app_name = "orgs"

urlpatterns = [
    path("units/", views.unit_tree, name="units"),
    path("accounts/", views.account_list_view, name="accounts"),
    path("grid-groups/", views.grid_group_list_view, name="grid-groups"),
    path("registry/health/", views.registry_health_view, name="registry-health"),
    path("imports/", views.import_view, name="imports"),
]
