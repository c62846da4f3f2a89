from django.urls import path

from mediamatrix.ingestion import views, views_imports, views_sources

app_name = "ingestion"

urlpatterns = [
    path("posts/", views.post_list_view, name="posts"),
    path("posts/<int:pk>/", views.post_detail_view, name="post-detail"),
    # Import centre (views_imports): upload, history, one run with its errors and progress.
    path("ingestion/", views_imports.import_centre_view, name="import-centre"),
    path("ingestion/runs/<int:pk>/", views_imports.import_run_view, name="import-run"),
    path(
        "ingestion/runs/<int:pk>/progress/",
        views_imports.import_run_progress_view,
        name="import-run-progress",
    ),
    path(
        "ingestion/runs/<int:pk>/rerun/", views_imports.import_run_rerun_view, name="import-rerun"
    ),
    path(
        "ingestion/posts-template.<str:fmt>",
        views_imports.posts_template_view,
        name="posts-template",
    ),
    # Pull sources (views_sources): feeds and platform APIs, pull now, error state.
    path("ingestion/sources/", views_sources.source_list_view, name="sources"),
    path("ingestion/sources/<int:pk>/", views_sources.source_detail_view, name="source-detail"),
    path(
        "ingestion/sources/new/<slug:connector>/",
        views_sources.source_create_view,
        name="source-create",
    ),
    path("ingestion/sources/<int:pk>/edit/", views_sources.source_edit_view, name="source-edit"),
    path("ingestion/sources/<int:pk>/pull/", views_sources.source_pull_view, name="source-pull"),
    path(
        "ingestion/sources/<int:pk>/enable/",
        views_sources.source_enable_view,
        name="source-enable",
    ),
]
