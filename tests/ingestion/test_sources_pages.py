"""Pull-source pages and services: forms from config_fields, scoping, pull now, secrets kept secret."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from mediamatrix.core.models import AuditEvent
from mediamatrix.ingestion import connectors
from mediamatrix.ingestion.choices import ImportStatus, SourceState
from mediamatrix.ingestion.connectors import Connector, PullResult
from mediamatrix.ingestion.models import ImportRun, Post, Source
from mediamatrix.ingestion.services import (
    source_create,
    source_pull_now,
    source_set_enabled,
    source_update,
)
from mediamatrix.orgs.choices import Role
from tests.ingestion.test_rss import rss_feed

SECRET = "s3cr3t-App-Secret-9f8e7d"
NEW_SECRET = "another-Secret-1a2b3c"


@pytest.fixture
def secretive(monkeypatch):
    """A pull connector shaped like the WeChat one: an AppID in config, an AppSecret apart."""
    connector = Connector(
        name="secretive",
        label="接口测试",
        kind="pull",
        pull=lambda source: PullResult(message="ok"),
        config_fields=(("app_id", "AppID"),),
        needs_secret=True,
    )
    monkeypatch.setitem(connectors._registry, connector.name, connector)
    return connector


@pytest.fixture
def feed_url(httpserver):
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss_feed(
            [
                (
                    "x1",
                    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;东湖要闻",
                    httpserver.url_for("/x1"),
                    "Fri, 06 Jun 2025 09:00:00 +0800",
                    "正文",
                )
            ]
        ),
        content_type="application/rss+xml",
    )
    return httpserver.url_for("/feed.xml")


def rss_source(account, url="http://example.org/feed.xml", **extra):
    return source_create(
        actor=None,
        account=account,
        connector="rss",
        name=extra.pop("name", f"{account.name}网站"),
        config={"feed_url": url, "fetch_full_text": False},
        **extra,
    )


def login(client, world, unit, role):
    user = world.user(unit, role)
    client.force_login(user)
    return user


def test_editor_creates_an_rss_source_through_the_form(client, world, feed_url):
    login(client, world, world.county_a, Role.EDITOR)
    url = reverse("ingestion:source-create", args=["rss"])
    form = client.get(url, {"account": world.account_a.pk}).content.decode()
    assert 'name="feed_url"' in form and 'name="fetch_full_text"' in form
    assert 'name="secret"' not in form  # feeds need no secret
    assert world.account_b.name not in form  # only accounts the editor may change
    response = client.post(
        url,
        {
            "account": world.account_a.pk,
            "name": "东湖区政府网",
            "interval_minutes": 30,
            "feed_url": feed_url,
            "fetch_full_text": "on",
        },
    )
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == source.get_absolute_url()
    assert source.config == {"feed_url": feed_url, "fetch_full_text": True}
    assert source.owner_path == world.account_a.owner_path and source.interval_minutes == 30
    event = AuditEvent.objects.get(verb="source.create")
    assert event.after["config"]["feed_url"] == feed_url and "secret" not in event.after


def test_form_errors_are_shown_and_nothing_is_created(client, world):
    login(client, world, world.county_a, Role.EDITOR)
    url = reverse("ingestion:source-create", args=["rss"])
    base = {"account": world.account_a.pk, "name": "x", "interval_minutes": 60}
    page = client.post(url, base | {"feed_url": "ftp://example.org/feed"}).content.decode()
    assert "应为 http:// 或 https:// 开头的完整地址" in page
    page = client.post(url, base | {"feed_url": "http://e.org/f", "interval_minutes": 1})
    assert page.status_code == 200 and "interval_minutes" in page.content.decode()
    other_county = base | {"account": world.account_b.pk, "feed_url": "http://e.org/f"}
    assert client.post(url, other_county).status_code == 200
    assert not Source.objects.exists()
    assert client.get(reverse("ingestion:source-create", args=["csv"])).status_code == 404


def test_service_checks_config_and_scope(world):
    editor = world.user(world.county_a, Role.EDITOR)
    with pytest.raises(ValidationError) as error:
        source_create(
            actor=editor,
            account=world.account_a,
            connector="rss",
            name="x",
            config={"feed_url": "http://e.org/f", "password": "x"},
        )
    assert "password" in str(error.value)
    with pytest.raises(ValidationError):
        source_create(actor=editor, account=world.account_a, connector="rss", name="x", config={})
    with pytest.raises(Http404):
        source_create(
            actor=editor,
            account=world.account_b,
            connector="rss",
            name="x",
            config={"feed_url": "http://e.org/f"},
        )
    viewer = world.user(world.county_a, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        source_create(
            actor=viewer,
            account=world.account_a,
            connector="rss",
            name="x",
            config={"feed_url": "http://e.org/f"},
        )


def test_names_differ_per_account(world):
    rss_source(world.account_a, name="东湖网站")
    with pytest.raises(ValidationError) as error:
        rss_source(world.account_a, name="东湖网站")
    assert "name" in error.value.error_dict
    other = rss_source(world.account_a, name="东湖网站2")
    with pytest.raises(ValidationError):
        source_update(actor=None, source=other, name="东湖网站")
    assert rss_source(world.account_b, name="东湖网站").pk  # another account may use it


def test_sources_are_scoped_to_the_users_county(client, world):
    own = rss_source(world.account_a)
    other = rss_source(world.account_b)
    for role in (Role.EDITOR, Role.VIEWER):
        login(client, world, world.county_a, role)
        listing = client.get(reverse("ingestion:sources")).content.decode()
        assert own.name in listing and other.name not in listing
        for name in ("source-detail", "source-edit"):
            assert client.get(reverse(f"ingestion:{name}", args=[other.pk])).status_code == 404
        for name in ("source-pull", "source-enable"):
            response = client.post(reverse(f"ingestion:{name}", args=[other.pk]), {"enabled": 0})
            assert response.status_code == 404
    other.refresh_from_db()
    assert other.enabled and other.last_pulled_at is None


def test_viewer_sees_but_cannot_create_change_or_pull(client, world):
    source = rss_source(world.account_a)
    login(client, world, world.county_a, Role.VIEWER)
    detail = client.get(reverse("ingestion:source-detail", args=[source.pk])).content.decode()
    assert source.name in detail and "立即采集" not in detail
    listing = client.get(reverse("ingestion:sources")).content.decode()
    assert (
        "立即采集" not in listing
        and reverse("ingestion:source-create", args=["rss"]) not in listing
    )
    assert client.get(reverse("ingestion:source-create", args=["rss"])).status_code == 403
    assert client.get(reverse("ingestion:source-edit", args=[source.pk])).status_code == 403
    assert client.post(reverse("ingestion:source-pull", args=[source.pk])).status_code == 403
    enable = reverse("ingestion:source-enable", args=[source.pk])
    assert client.post(enable, {"enabled": "0"}).status_code == 403
    assert not ImportRun.objects.exists() and Source.objects.get().enabled


def test_pull_now_runs_the_pull_and_shows_the_run(client, world, feed_url):
    source = rss_source(world.account_a, feed_url)
    login(client, world, world.county_a, Role.EDITOR)
    response = client.post(reverse("ingestion:source-pull", args=[source.pk]), follow=True)
    page = response.content.decode()
    run = ImportRun.objects.get()  # the test task backend runs the queued pull at once
    assert run.status == ImportStatus.SUCCEEDED and run.created == 1
    assert reverse("ingestion:import-run", args=[run.pk]) in page
    assert AuditEvent.objects.filter(verb="source.pull_now", object_id=str(source.pk)).exists()
    source.refresh_from_db()
    assert source.status == SourceState.OK and source.last_success_at is not None


def test_feed_titles_are_escaped_on_the_pages(client, world, feed_url):
    source = rss_source(world.account_a, feed_url, name="<script>alert('name')</script>")
    source_pull_now(actor=None, source=source)
    assert Post.objects.get().title == "<script>alert(1)</script>东湖要闻"
    login(client, world, world.county_a, Role.VIEWER)
    detail = client.get(reverse("ingestion:source-detail", args=[source.pk])).content.decode()
    listing = client.get(reverse("ingestion:sources")).content.decode()
    for page in (detail, listing):
        assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;东湖要闻" in detail


def test_disable_stops_pulls_and_enable_resumes(client, world, feed_url):
    source = rss_source(world.account_a, feed_url)
    login(client, world, world.county_a, Role.EDITOR)
    enable = reverse("ingestion:source-enable", args=[source.pk])
    client.post(enable, {"enabled": "0"})
    source.refresh_from_db()
    assert not source.enabled and source.status == SourceState.DISABLED
    page = client.get(reverse("ingestion:sources"), {"status": "disabled"}).content.decode()
    assert "已停用" in page and source.name in page
    with pytest.raises(ValidationError):
        source_pull_now(actor=None, source=source)
    client.post(enable, {"enabled": "1"})
    source.refresh_from_db()
    assert source.enabled and source.status == SourceState.OK
    verbs = list(AuditEvent.objects.filter(object_id=str(source.pk)).values_list("verb", flat=True))
    assert "source.disable" in verbs and "source.enable" in verbs


def test_secret_is_never_shown_returned_or_audited(client, world, secretive):
    editor = login(client, world, world.county_a, Role.EDITOR)
    create = reverse("ingestion:source-create", args=["secretive"])
    form = client.get(create).content.decode()
    assert 'name="app_id"' in form and 'type="password"' in form
    values = {"account": world.account_a.pk, "name": "东湖公众号接口", "interval_minutes": 60}
    # A rejected submit does not echo the secret back either.
    failed = client.post(create, values | {"app_id": "", "secret": SECRET}).content.decode()
    assert SECRET not in failed and not Source.objects.exists()
    client.post(create, values | {"app_id": "wx123", "secret": SECRET})
    source = Source.objects.get()
    assert source.secret == SECRET and source.config == {"app_id": "wx123"}
    pages = [
        client.get(reverse("ingestion:sources")),
        client.get(reverse("ingestion:source-detail", args=[source.pk])),
        client.get(reverse("ingestion:source-edit", args=[source.pk])),
    ]
    for page in pages:
        assert page.status_code == 200 and SECRET not in page.content.decode()
    assert "已设置" in pages[1].content.decode() and "已设置" in pages[2].content.decode()
    edit = reverse("ingestion:source-edit", args=[source.pk])
    client.post(edit, {"name": "改名", "interval_minutes": 60, "app_id": "wx123", "secret": ""})
    source.refresh_from_db()
    assert source.name == "改名" and source.secret == SECRET  # empty keeps the secret
    client.post(
        edit, {"name": "改名", "interval_minutes": 60, "app_id": "wx123", "secret": NEW_SECRET}
    )
    source.refresh_from_db()
    assert source.secret == NEW_SECRET
    source_update(actor=editor, source=source, secret=SECRET)
    events = AuditEvent.objects.filter(object_type="ingestion.source")
    dumped = json.dumps([[e.before, e.after, e.reason] for e in events], ensure_ascii=False)
    assert SECRET not in dumped and NEW_SECRET not in dumped and "***" in dumped
    assert [e.after.get("secret") for e in events.filter(verb="source.update").order_by("pk")] == [
        None,
        "***",
        "***",
    ]
    assert SECRET not in repr(source) and SECRET not in json.dumps(source.safe_dict())
    history = client.get(reverse("orgs:history", args=["account", world.account_a.pk]))
    assert SECRET not in history.content.decode()


def test_secret_rules_in_the_service(world, secretive):
    with pytest.raises(ValidationError) as missing:
        source_create(
            actor=None,
            account=world.account_a,
            connector="secretive",
            name="x",
            config={"app_id": "wx1"},
        )
    assert "secret" in missing.value.error_dict
    with pytest.raises(ValidationError) as needless:
        rss_source(world.account_a, secret="x")
    assert "secret" in needless.value.error_dict


def test_changing_the_feed_forgets_its_validators(world):
    source = rss_source(world.account_a)
    Source.objects.filter(pk=source.pk).update(state={"etag": '"v1"'})
    source.refresh_from_db()
    source_update(actor=None, source=source, name="只改名称")
    assert source.state == {"etag": '"v1"'}
    source_update(actor=None, source=source, config={"feed_url": "https://example.org/new.xml"})
    source.refresh_from_db()
    assert source.state == {} and source.config["feed_url"] == "https://example.org/new.xml"
    assert source.config["fetch_full_text"] is True  # absent switch means on


def test_disabled_source_is_not_pulled_by_pull_now_or_set_twice(world):
    source = rss_source(world.account_a)
    source_set_enabled(actor=None, source=source, enabled=False)
    source_set_enabled(actor=None, source=source, enabled=False)
    assert AuditEvent.objects.filter(verb="source.disable").count() == 1


def test_every_pull_connector_gets_a_form_from_its_config_fields(client, world, secretive):
    login(client, world, world.county_a, Role.ADMIN)
    pulls = list(connectors.all_connectors("pull"))
    assert {"rss", "secretive"} <= {c.name for c in pulls}
    for connector in pulls:
        page = client.get(reverse("ingestion:source-create", args=[connector.name]))
        html = page.content.decode()
        assert page.status_code == 200 and connector.label in html
        for key, label in connector.config_fields:
            assert f'name="{key}"' in html and label in html
        assert ('name="secret"' in html) == connector.needs_secret
