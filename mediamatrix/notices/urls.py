from django.urls import path

from mediamatrix.notices import views

app_name = "notices"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("read-all/", views.mark_all_read_view, name="mark-all-read"),
    path("<int:pk>/", views.notice_open_view, name="open"),
    path("<int:pk>/detail/", views.notice_detail_view, name="detail"),
    path("channels/", views.channels_view, name="channels"),
    path("channels/<int:pk>/test/", views.channel_test_view, name="channel-test"),
    path("channels/<int:pk>/enable/", views.channel_enable_view, name="channel-enable"),
]
