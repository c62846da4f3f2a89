from django.urls import path

from mediamatrix.users import views

app_name = "users"

urlpatterns = [
    path("me/tokens/", views.tokens_view, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token-revoke"),
]
