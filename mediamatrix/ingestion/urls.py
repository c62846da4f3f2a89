from django.urls import path

from mediamatrix.ingestion import views

app_name = "ingestion"

urlpatterns = [
    path("posts/", views.post_list_view, name="posts"),
    path("posts/<int:pk>/", views.post_detail_view, name="post-detail"),
    path("ingestion/runs/<int:pk>/", views.import_run_view, name="import-run"),
    path("ingestion/sources/<int:pk>/", views.source_detail_view, name="source-detail"),
]
