"""REST API v1: one NinjaAPI, routers from the apps, OpenAPI at /api/v1/openapi.json.

Authentication, tried in order: `Authorization: Bearer mm_…`, `X-API-Token: mm_…`, the browser's
session (with Django's CSRF check on unsafe methods). Whoever authenticates, the selectors and
services scope the answer to that user's units. Errors share one shape (`orgs.schemas.Error`):
`{"detail": "...", "errors": {"field": ["message", ...]}}`.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.operation import Operation
from ninja.security import APIKeyHeader, HttpBearer
from ninja.security.apikey import APIKeyCookie

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


class SessionAuth(APIKeyCookie):
    """The browser's login session. Unsafe methods need Django's CSRF token, as on the pages.

    Unlike ninja's `django_auth`, a request without a logged-in session is simply not
    authenticated here (401), rather than failing the CSRF check first (403): a machine client
    with a revoked token should learn that its token is the problem.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


class MediamatrixAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Stable, readable ids for generated clients: the endpoint function's name.
        return operation.view_func.__name__


api = MediamatrixAPI(
    title="mediamatrix API",
    version="1",
    description="新媒体矩阵管理平台接口。所有数据按用户所在单位及其下级范围可见；范围外的对象返回 404。",
    urls_namespace="api-v1",
    auth=[BearerToken(), HeaderToken(), SessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
    # Swagger UI from ninja's bundled static files; no validator badge fetched from the internet.
    docs=Swagger(settings={"validatorUrl": None}),
)


# Errors --------------------------------------------------------------------------------------

# Services name model fields; the API's requests name the same things `<field>_id`.
REQUEST_FIELD_NAMES = {"owner": "owner_id", "parent": "parent_id", "unit": "unit_id"}


def error_response(
    request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(DjangoValidationError)
def service_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = {REQUEST_FIELD_NAMES.get(k, k): v for k, v in exc.message_dict.items()}
    else:
        errors = {NON_FIELD_ERRORS: exc.messages}
    messages = [message for field_messages in errors.values() for message in field_messages]
    return error_response(request, 422, "；".join(messages), errors)


def _request_field(loc: tuple[Any, ...] | list[Any]) -> str:
    # ("body", "payload", "handle") → "handle"; ("query", "page_size") → "page_size";
    # ("body", "payload") → "__all__" (the body as a whole is missing or not an object)
    parts = [str(part) for part in loc]
    parts = parts[2:] if parts[:1] == ["body"] else parts[1:]
    return ".".join(parts) or NON_FIELD_ERRORS


@api.exception_handler(RequestValidationError)
def request_validation_error(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_request_field(error.get("loc", ())), []).append(str(error.get("msg")))
    return error_response(request, 422, _("请求数据有误。"), errors)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, str(exc) or _("没有权限执行此操作。"))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Missing and out of the user's sight look the same.
    return error_response(request, 404, _("未找到。"))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, str(exc))


def _register_routers() -> None:
    from mediamatrix.ingestion.api import router as ingestion_router
    from mediamatrix.orgs.api import router as orgs_router

    api.add_router("/", orgs_router)
    api.add_router("/", ingestion_router)


_register_routers()
