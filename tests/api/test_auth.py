"""Tokens for machine clients, sessions (with CSRF) for the browser, and the create-token command."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from mediamatrix.users.models import ApiToken
from mediamatrix.users.services import api_token_authenticate, api_token_revoke
from tests.api.conftest import API, ApiClient, ids, token_for

NEW_ACCOUNT = {
    "platform": "weibo",
    "handle": "donghu_weibo",
    "name": "东湖微博",
    "category": "government",
}


def new_account(world):
    return NEW_ACCOUNT | {"owner_id": world.county_a.pk}


@pytest.mark.parametrize("path", ["/accounts", "/me", "/registry/health", "/units/1"])
def test_no_credentials_answer_401(client, world, path):
    response = client.get(API + path)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized", "errors": {}}


def test_bearer_token_is_scoped_like_its_user(world):
    user = world.user(world.county_a, "editor")
    api = ApiClient(Client(), token_for(user))
    assert ids(api.get("/accounts")) == {world.account_a.pk}
    assert api.get(f"/accounts/{world.account_b.pk}").status_code == 404
    assert api.get("/me").json()["username"] == user.username
    assert api.post("/accounts", new_account(world)).status_code == 201
    assert api.post("/units", {"parent_id": world.county_a.pk}).status_code == 422
    body = {"parent_id": world.county_a.pk, "name": "新街道", "level": 3, "kind": "street"}
    assert api.post("/units", body).status_code == 403
    token = ApiToken.objects.get(user=user)
    assert token.last_used_at is not None


def test_header_token_works_too(client, world):
    secret = token_for(world.user(world.county_a, "viewer"))
    response = client.get(f"{API}/accounts", HTTP_X_API_TOKEN=secret)
    assert response.status_code == 200 and ids(response) == {world.account_a.pk}


def test_revoked_expired_and_forged_tokens_answer_401(client, world):
    user = world.user(world.county_a, "admin")
    revoked = token_for(user)
    api_token_revoke(actor=user, token=ApiToken.objects.get(user=user))
    expired = token_for(user, expires_at=timezone.now() - timedelta(minutes=1))
    valid = token_for(user, expires_at=timezone.now() + timedelta(days=1))
    forged = valid[:-4] + ("aaaa" if not valid.endswith("aaaa") else "bbbb")
    for secret in (revoked, expired, forged, "mm_nothing_here", "not-a-token"):
        response = client.get(f"{API}/accounts", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 401, secret
        response = client.post(
            f"{API}/accounts",
            data=json.dumps(new_account(world)),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == 401, secret
        assert client.get(f"{API}/me", HTTP_X_API_TOKEN=secret).status_code == 401
    assert client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {valid}").status_code == 200


def test_a_deactivated_users_token_stops_working(client, world):
    user = world.user(world.county_a, "admin")
    secret = token_for(user)
    user.is_active = False
    user.save()
    assert client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_session_writes_need_the_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user(world.county_a, "editor"))
    assert browser.get(f"{API}/accounts").status_code == 200
    body = json.dumps(new_account(world))
    response = browser.post(f"{API}/accounts", data=body, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    response = browser.patch(
        f"{API}/accounts/{world.account_a.pk}",
        data=json.dumps({"name": "改名"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    # With the token from the cookie, as the pages and the API docs send it, the write goes through.
    secret = "a1" * 16
    browser.cookies["csrftoken"] = secret
    response = browser.post(
        f"{API}/accounts", data=body, content_type="application/json", HTTP_X_CSRFTOKEN=secret
    )
    assert response.status_code == 201


def test_token_clients_need_no_csrf_token(world):
    machine = Client(enforce_csrf_checks=True)
    secret = token_for(world.user(world.county_a, "editor"))
    response = machine.post(
        f"{API}/accounts",
        data=json.dumps(new_account(world)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201


def test_anonymous_write_answers_401_not_a_csrf_error(world):
    response = Client(enforce_csrf_checks=True).post(
        f"{API}/accounts", data=json.dumps(new_account(world)), content_type="application/json"
    )
    assert response.status_code == 401


def test_create_token_command_prints_the_secret_once(world):
    user = world.user(world.county_a, "viewer")
    out, err = StringIO(), StringIO()
    call_command(
        "create_token", user.username, "--name", "数据推送", "--days", "30", stdout=out, stderr=err
    )
    secret = out.getvalue().strip()
    assert secret.startswith("mm_") and "\n" not in secret
    assert api_token_authenticate(secret) == user
    token = ApiToken.objects.get(user=user)
    assert token.name == "数据推送" and token.key_hash != secret and token.prefix in secret
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert token.prefix in err.getvalue()
    response = Client().get(f"{API}/accounts", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert ids(response) == {world.account_a.pk}


def test_create_token_command_without_expiry_and_for_unknown_users(world):
    user = world.user(world.county_a, "viewer")
    out = StringIO()
    call_command("create_token", user.username, "--name", "长期", stdout=out, stderr=StringIO())
    assert ApiToken.objects.get(user=user).expires_at is None
    with pytest.raises(CommandError):
        call_command("create_token", "nobody", "--name", "x", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("create_token", user.username, "--name", "x", "--days", "0")
