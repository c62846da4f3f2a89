from django.contrib.auth import views as auth_views
from django.urls import include, path

from mediamatrix.api import api
from mediamatrix.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="core/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("mediamatrix.orgs.urls")),
    path("", include("mediamatrix.users.urls")),
    path("", include("mediamatrix.ingestion.urls")),
    path("indices/", include("mediamatrix.indices.urls")),
    path("review/", include("mediamatrix.review.urls")),
    path("notices/", include("mediamatrix.notices.urls")),
    path("api/v1/", api.urls),
]
