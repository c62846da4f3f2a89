"""Platform plumbing: production refuses unsafe settings, request ids reach the audit trail."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from mediamatrix.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]


def _import_production(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_secret_and_hosts():
    missing_secret = _import_production(ALLOWED_HOSTS="matrix.example.org")
    assert missing_secret.returncode != 0 and "SECRET_KEY" in missing_secret.stderr
    missing_hosts = _import_production(SECRET_KEY="x" * 50)
    assert missing_hosts.returncode != 0 and "ALLOWED_HOSTS" in missing_hosts.stderr
    ok = _import_production(SECRET_KEY="x" * 50, ALLOWED_HOSTS="matrix.example.org")
    assert ok.returncode == 0, ok.stderr


def test_request_id_is_returned_and_stamped_on_audit_events(client, world):
    client.force_login(world.user(world.county_a, "editor"))
    response = client.post(
        reverse("orgs:account-close", args=[world.account_a.pk]),
        {"reason": "撤并"},
        HTTP_X_REQUEST_ID="req-abcdef123456",
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-abcdef123456"
    assert AuditEvent.objects.get(verb="account.close").request_id == "req-abcdef123456"
    # A malformed id from outside is replaced, never echoed.
    response = client.get(reverse("orgs:accounts"), HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32


def test_healthz(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_cli_help_lists_the_commands():
    result = subprocess.run(
        [sys.executable, "-m", "mediamatrix.cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for command in ("demo", "serve", "worker", "migrate", "createadmin", "import-registry"):
        assert command in result.stdout


def test_chinese_is_the_default_language_whatever_the_browser_asks(client, world):
    client.force_login(world.user(world.county_a, "viewer"))
    for accept in ("", "en-US,en;q=0.9"):
        response = client.get(reverse("orgs:accounts"), HTTP_ACCEPT_LANGUAGE=accept)
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html and "账号" in html
        assert response["Content-Language"] == "zh-hans"
    # Choosing English in the switcher sticks (cookie), and works without a login too.
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/"})
    assert '<html lang="en">' in client.get(reverse("orgs:accounts")).content.decode()
    client.logout()  # the test client drops every cookie here; a browser keeps the language one
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Log in" in client.get(reverse("login")).content.decode()
