"""Helpers for API tests: one client that speaks JSON over a session or a Bearer token."""

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from mediamatrix.users.models import User
from mediamatrix.users.services import api_token_create

API = "/api/v1"


@dataclass
class ApiClient:
    client: Client
    token: str | None = None

    def call(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        if self.token:
            extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        send = getattr(self.client, method.lower())
        if body is None:
            return send(API + path, **extra)
        return send(API + path, data=json.dumps(body), content_type="application/json", **extra)

    def get(self, path: str, **extra: Any) -> Any:
        return self.call("GET", path, **extra)

    def post(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self.call("POST", path, body if body is not None else {}, **extra)

    def patch(self, path: str, body: Any, **extra: Any) -> Any:
        return self.call("PATCH", path, body, **extra)

    def delete(self, path: str, **extra: Any) -> Any:
        return self.call("DELETE", path, **extra)


def token_for(user: User, **kwargs: Any) -> str:
    _token, secret = api_token_create(actor=user, user=user, name="测试客户端", **kwargs)
    return secret


@pytest.fixture
def api_as(client):
    """`api_as(user)` logs in with a session; `api_as(user, "token")` uses a Bearer token."""

    def login(user: User, transport: str = "session") -> ApiClient:
        if transport == "token":
            return ApiClient(Client(), token_for(user))
        client.force_login(user)
        return ApiClient(client)

    return login


def ids(response: Any) -> set[int]:
    """Ids of the objects in a list answer, paginated or not."""
    data = response.json()
    items = data["items"] if isinstance(data, dict) else data
    return {item["id"] for item in items}
