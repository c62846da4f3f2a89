from django.urls import URLPattern, URLResolver

from mediamatrix.indices import urls_bulletins, urls_health, urls_rankings

app_name = "indices"

urlpatterns: list[URLPattern | URLResolver] = [
    *urls_rankings.urlpatterns,
    *urls_health.urlpatterns,
    *urls_bulletins.urlpatterns,
]
