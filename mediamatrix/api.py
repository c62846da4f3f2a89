"""REST API v1: one NinjaAPI, routers from the apps, OpenAPI at /api/v1/openapi.json."""

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from mediamatrix.users.services import api_token_authenticate


class BearerToken(HttpBearer):
    """`Authorization: Bearer mm_…` for machine clients; scoped exactly like the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class HeaderToken(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = api_token_authenticate(key or "")
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="mediamatrix API",
    version="1",
    description="新媒体矩阵管理平台接口。所有数据按用户所在单位及其下级范围可见；范围外的对象返回 404。",
    urls_namespace="api-v1",
    auth=[BearerToken(), HeaderToken(), django_auth],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _register_routers() -> None:
    from mediamatrix.orgs.api import router as orgs_router

    api.add_router("/", orgs_router)


_register_routers()
