from django.urls import path

from mediamatrix.orgs import views, views_io

app_name = "orgs"

urlpatterns = [
    path("units/", views.unit_tree, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/children/", views.unit_children_partial, name="unit-children"),
    path("units/<int:parent_pk>/new/", views.unit_create_view, name="unit-create"),
    path("units/<int:pk>/edit/", views.unit_edit_view, name="unit-edit"),
    path("units/<int:pk>/members/", views.membership_grant_view, name="membership-grant"),
    path("units/<int:pk>/members/new/", views.member_create_view, name="member-create"),
    path("memberships/<int:pk>/revoke/", views.membership_revoke_view, name="membership-revoke"),
    path("accounts/", views.account_list_view, name="accounts"),
    path("accounts/new/", views.account_create_view, name="account-create"),
    path("accounts/<int:pk>/", views.account_detail, name="account-detail"),
    path("accounts/<int:pk>/edit/", views.account_edit_view, name="account-edit"),
    path("accounts/<int:pk>/file/", views.account_file_view, name="account-file"),
    path("accounts/<int:pk>/close/", views.account_close_view, name="account-close"),
    path("grid-groups/", views.grid_group_list_view, name="grid-groups"),
    path("grid-groups/new/", views.grid_group_create_view, name="grid-group-create"),
    path("grid-groups/<int:pk>/", views.grid_group_detail, name="grid-group-detail"),
    path("grid-groups/<int:pk>/edit/", views.grid_group_edit_view, name="grid-group-edit"),
    path("registry/health/", views.registry_health_view, name="registry-health"),
    path("history/<str:kind>/<int:pk>/", views.history_view, name="history"),
    # Bulk import and export (views_io)
    path("imports/", views_io.import_view, name="imports"),
    path(
        "imports/template/<str:kind>.<str:fmt>",
        views_io.import_template_view,
        name="import-template",
    ),
    path("exports/<str:kind>.<str:fmt>", views_io.export_view, name="export"),
]
