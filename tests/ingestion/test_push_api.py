"""The push API: batches of posts with metrics, idempotent, item by item, scoped by the token's user.

Everything goes through HTTP as a client would send it; the database is read only to check what
was (and was not) written.
"""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mediamatrix.ingestion import connectors
from mediamatrix.ingestion.connectors.push import run_scope
from mediamatrix.ingestion.models import ImportRun, MetricSnapshot, Post
from mediamatrix.users.models import ApiToken
from mediamatrix.users.services import api_token_revoke
from tests.api.conftest import API, ApiClient, ids, token_for
from tests.factories import AccountFactory, MembershipFactory

BATCH = "/posts/batch"
YESTERDAY = (timezone.now() - timedelta(days=1)).replace(microsecond=0)
NOT_YOURS = "账号不存在或不在您的管理范围内。"


def item(account, external_id="a1", **overrides):
    values = {
        "account_id": account.pk,
        "external_id": external_id,
        "title": "东湖区召开防汛工作会议",
        "published_at": YESTERDAY.isoformat(),
        "url": f"https://mp.weixin.qq.com/s/{external_id}",
        "author": "东湖区融媒体中心",
        "body_html": "<p>会议要求，各街道<b>立即</b>落实。</p>",
        "position": 1,
        "is_original": True,
        "metrics": {"reads": 1200, "likes": 30, "wows": 5},
    }
    values.update(overrides)
    return values


def as_client(user):
    return ApiClient(Client(), token_for(user))


@pytest.fixture
def editor_a(world):
    return world.user(world.county_a, "editor")


@pytest.fixture
def push_a(editor_a):
    """A county A editor's machine client, with a Bearer token."""
    return as_client(editor_a)


def push(api, items, query=""):
    return api.post(BATCH + query, {"items": items})


def statuses(response):
    return [result["status"] for result in response.json()["results"]]


def error_fields(result):
    return {error["field"] for error in result["errors"]}


# Writing -------------------------------------------------------------------------------------


def test_push_creates_posts_with_metrics_and_records_an_import_run(push_a, editor_a, world):
    town_account = AccountFactory(owner=world.town_a, platform="weibo", name="东湖街道微博")
    response = push(
        push_a,
        [
            item(world.account_a, "a1"),
            item(world.account_a, "a2", title="第二条", position=2, metrics=None),
            item(town_account, 4711, published_at="2025-03-01T08:30:00", metrics={"plays": 9}),
        ],
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert statuses(response) == ["created", "created", "created"]
    assert [r["index"] for r in body["results"]] == [0, 1, 2]
    assert all(r["errors"] == [] for r in body["results"])
    assert (body["created"], body["updated"], body["unchanged"], body["rejected"]) == (3, 0, 0, 0)
    first = Post.objects.get(pk=body["results"][0]["post_id"])
    assert (first.reads, first.likes, first.wows, first.plays) == (1200, 30, 5, 0)
    assert first.body_text == "会议要求，各街道立即落实。" and first.source == "push"
    assert first.is_headline and first.is_original is True
    # Numeric ids become strings; a time without an offset is Beijing time.
    weibo = Post.objects.get(account=town_account)
    assert weibo.external_id == "4711" and weibo.platform == "weibo" and weibo.plays == 9
    assert weibo.published_at.isoformat() == "2025-03-01T00:30:00+00:00"
    # Metrics were sent for two items: two snapshots; the item without metrics has none.
    assert MetricSnapshot.objects.count() == 2
    run = ImportRun.objects.get(pk=body["import_run_id"])
    assert run.connector == "push" and run.actor == editor_a and run.status == "succeeded"
    assert run.scope_path == world.county_a.path and run.mode == "valid_rows"
    assert (run.rows_total, run.created, run.rejected) == (3, 3, 0)


def test_pushing_the_same_batch_again_changes_nothing(push_a, world):
    batch = [item(world.account_a, f"p{i}") for i in range(5)]
    assert statuses(push(push_a, batch)) == ["created"] * 5
    before = {p.pk: p.updated_at for p in Post.objects.all()}
    again = push(push_a, batch)
    assert again.status_code == 200
    assert statuses(again) == ["unchanged"] * 5
    assert again.json()["unchanged"] == 5
    assert {r["post_id"] for r in again.json()["results"]} == set(before)
    assert Post.objects.count() == 5 and MetricSnapshot.objects.count() == 5
    assert {p.pk: p.updated_at for p in Post.objects.all()} == before
    assert ImportRun.objects.latest("id").status == "succeeded"


def test_moved_metrics_update_the_post_and_add_a_snapshot(push_a, world):
    first = timezone.now() - timedelta(hours=2)
    push(push_a, [item(world.account_a, captured_at=first.isoformat())])
    later = item(world.account_a, metrics={"reads": 3400, "likes": 80}, captured_at=None)
    response = push(push_a, [later])
    assert statuses(response) == ["updated"]
    post = Post.objects.get()
    assert (post.reads, post.likes, post.wows) == (3400, 80, 0)
    assert post.metrics_at > first
    assert list(post.snapshots.values_list("reads", flat=True)) == [1200, 3400]
    # Older readings than the stored ones are not news.
    stale = item(world.account_a, metrics={"reads": 1}, captured_at=first.isoformat())
    assert statuses(push(push_a, [stale])) == ["unchanged"]
    # A corrected title updates the post without a snapshot (the numbers did not move).
    retitled = item(world.account_a, title="东湖区召开防汛工作会议（更正）", metrics=None)
    assert statuses(push(push_a, [retitled])) == ["updated"]
    assert Post.objects.get().title.endswith("（更正）") and MetricSnapshot.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"metrics": {"reads": -5}}, "metrics.reads"),
        ({"metrics": {"reads": "很多"}}, "metrics.reads"),
        ({"published_at": (timezone.now() + timedelta(days=2)).isoformat()}, "published_at"),
        ({"published_at": "昨天"}, "published_at"),
        ({"title": "  "}, "title"),
        ({"title": None}, "title"),
        ({"external_id": ""}, "external_id"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"author": "作" * 129}, "author"),
        ({"position": 0}, "position"),
        ({"captured_at": (timezone.now() + timedelta(days=1)).isoformat()}, "captured_at"),
        ({"colour": "red"}, "colour"),
        ({"account_id": 10**9}, "account"),
    ],
)
def test_one_bad_item_is_rejected_by_field_and_the_others_are_written(
    push_a, world, overrides, field
):
    bad = item(world.account_a, "bad") | overrides
    response = push(push_a, [item(world.account_a, "ok1"), bad, item(world.account_a, "ok2")])
    assert response.status_code == 200
    assert statuses(response) == ["created", "rejected", "created"]
    rejected = response.json()["results"][1]
    assert rejected["post_id"] is None and field in error_fields(rejected), rejected
    assert all(error["reason"] for error in rejected["errors"])
    assert set(Post.objects.values_list("external_id", flat=True)) == {"ok1", "ok2"}
    run = ImportRun.objects.get()
    assert (run.status, run.created, run.rejected) == ("partial", 2, 1)
    assert {(e["row"], e["field"]) for e in run.errors} >= {(1, field)}


def test_missing_fields_are_named(push_a, world):
    response = push(push_a, [{"account_id": world.account_a.pk}, "not an object"])
    missing, shapeless = response.json()["results"]
    assert error_fields(missing) == {"external_id", "title", "published_at"}
    assert all(e["value"] == "" for e in missing["errors"])
    assert error_fields(shapeless) == {"__all__"}


def test_a_negative_count_names_the_value(push_a, world):
    response = push(push_a, [item(world.account_a, metrics={"reads": -5})])
    assert response.json()["results"][0]["errors"] == [
        {"field": "metrics.reads", "reason": "不能为负数。", "value": "-5"}
    ]


def test_a_duplicate_in_the_batch_is_rejected_and_the_first_is_kept(push_a, world):
    response = push(push_a, [item(world.account_a, "x"), item(world.account_a, "x", title="重复")])
    assert statuses(response) == ["created", "rejected"]
    assert error_fields(response.json()["results"][1]) == {"external_id"}
    assert Post.objects.get().title == "东湖区召开防汛工作会议"


def test_another_countys_account_reads_like_an_unknown_one(push_a, world):
    response = push(
        push_a, [item(world.account_b, "b1"), item(world.account_a, "a1", account_id=0)]
    )
    foreign, unknown = response.json()["results"]
    assert foreign["status"] == unknown["status"] == "rejected"
    assert (
        foreign["errors"]
        == unknown["errors"]
        == [{"field": "account", "reason": NOT_YOURS, "value": ""}]
    )
    assert not Post.objects.exists()


def test_a_township_editor_cannot_write_the_county_account(world):
    town_editor = world.user(world.town_a, "editor")
    village_account = AccountFactory(owner=world.village_a)
    response = push(as_client(town_editor), [item(world.account_a), item(village_account, "v1")])
    assert statuses(response) == ["rejected", "created"]
    assert ImportRun.objects.get().scope_path == world.town_a.path


def test_atomic_batch_with_a_bad_item_writes_nothing(push_a, world):
    push(push_a, [item(world.account_a, "old")])
    snapshots = MetricSnapshot.objects.count()
    response = push(
        push_a,
        [
            item(world.account_a, "old", metrics={"reads": 99999}),
            item(world.account_a, "new"),
            item(world.account_a, "bad", title=""),
            item(world.account_a, "worse", metrics={"likes": "x"}),
        ],
        "?atomic=true",
    )
    assert response.status_code == 422
    body = response.json()
    assert statuses(response) == ["skipped", "skipped", "rejected", "rejected"]
    assert body["results"][0]["post_id"] is None
    assert (body["created"], body["updated"], body["rejected"]) == (0, 0, 2)
    assert set(body["errors"]) == {"items.2.title", "items.3.metrics.likes"}
    assert "2" in body["detail"]
    assert list(Post.objects.values_list("external_id", "reads")) == [("old", 1200)]
    assert MetricSnapshot.objects.count() == snapshots
    run = ImportRun.objects.get(pk=body["import_run_id"])
    assert (run.status, run.mode, run.created, run.rejected) == ("rejected", "all_or_nothing", 0, 2)


def test_atomic_batch_without_errors_is_written(push_a, world):
    batch = [item(world.account_a, "a1"), item(world.account_a, "a2")]
    response = push(push_a, batch, "?atomic=true")
    assert response.status_code == 200 and statuses(response) == ["created", "created"]
    assert Post.objects.count() == 2


def test_a_batch_of_1000_is_accepted_and_1001_refused_whole(push_a, world):
    thousand = [item(world.account_a, f"n{i}") for i in range(1000)]
    response = push(push_a, thousand)
    assert response.status_code == 200 and response.json()["created"] == 1000
    Post.objects.all().delete()
    response = push(push_a, [*thousand, item(world.account_a, "one-too-many")])
    assert response.status_code == 422
    body = response.json()
    assert list(body["errors"]) == ["items"] and "1000" in body["errors"]["items"][0]
    assert not Post.objects.exists() and ImportRun.objects.count() == 1


def test_an_empty_batch_is_a_no_op(push_a):
    response = push(push_a, [])
    assert response.status_code == 200
    assert response.json() == {
        "results": [],
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "import_run_id": None,
    }
    assert not ImportRun.objects.exists()


def test_a_body_without_items_is_a_request_error(push_a, world):
    response = push_a.post(BATCH, [item(world.account_a)])
    assert response.status_code == 422 and response.json()["detail"]


# Who may push --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "reviewer", "operator"])
def test_roles_without_import_rights_are_refused(world, role):
    response = push(as_client(world.user(world.county_a, role)), [item(world.account_a)])
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Post.objects.exists() and not ImportRun.objects.exists()


def test_admins_and_superusers_may_push(world, superuser):
    admin = as_client(world.user(world.county_a, "admin"))
    assert statuses(push(admin, [item(world.account_a)])) == ["created"]
    root = as_client(superuser)
    assert statuses(push(root, [item(world.account_b)])) == ["created"]
    assert ImportRun.objects.get(actor=superuser).scope_path == ""


def test_revoked_and_unknown_tokens_answer_401(editor_a, world):
    api = as_client(editor_a)
    api_token_revoke(actor=editor_a, token=ApiToken.objects.get(user=editor_a))
    assert push(api, [item(world.account_a)]).status_code == 401
    assert push(ApiClient(Client(), "mm_nothing_here"), [item(world.account_a)]).status_code == 401
    assert push(ApiClient(Client()), [item(world.account_a)]).status_code == 401
    assert not Post.objects.exists()


def test_the_x_api_token_header_works_too(editor_a, world):
    response = Client().post(
        API + BATCH,
        data=json.dumps({"items": [item(world.account_a)]}),
        content_type="application/json",
        HTTP_X_API_TOKEN=token_for(editor_a),
    )
    assert response.status_code == 200 and statuses(response) == ["created"]


def test_a_session_push_needs_the_csrf_token(editor_a, world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor_a)
    body = json.dumps({"items": [item(world.account_a)]})
    response = browser.post(API + BATCH, data=body, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not Post.objects.exists()
    secret = "b2" * 16
    browser.cookies["csrftoken"] = secret
    response = browser.post(
        API + BATCH, data=body, content_type="application/json", HTTP_X_CSRFTOKEN=secret
    )
    assert response.status_code == 200 and statuses(response) == ["created"]


def test_run_scope_covers_every_subtree_the_actor_imports_to(world):
    assert run_scope([world.town_a.path]) == world.town_a.path
    assert run_scope([world.town_a.path, world.village_b.path]) == world.city.path
    assert run_scope(None) == "" and run_scope([]) == ""


def test_the_push_connector_is_registered():
    push_connector = connectors.get("push")
    assert push_connector.kind == "push" and push_connector.pull is None
    assert str(push_connector.label) == "接口推送" and "posts/batch" in str(push_connector.docs)


# Reading posts -------------------------------------------------------------------------------


@pytest.fixture
def posted(world, push_a, superuser):
    """Two posts in county A (one on a town's Douyin account), one in county B."""
    douyin = AccountFactory(owner=world.town_a, platform="douyin", category="news", name="东湖抖音")
    a = push(
        push_a,
        [
            item(world.account_a, "a1", published_at="2025-05-01T09:00:00+08:00"),
            item(douyin, "d1", title="汛期安全提示", published_at="2025-05-03T21:00:00+08:00"),
        ],
    ).json()
    b = push(as_client(superuser), [item(world.account_b, "b1", title="西山县防汛")]).json()
    a_ids = [r["post_id"] for r in a["results"]]
    return {"a1": a_ids[0], "d1": a_ids[1], "b1": b["results"][0]["post_id"], "douyin": douyin}


def test_post_lists_and_details_are_scoped(world, posted):
    county_a = as_client(world.user(world.county_a, "viewer"))
    assert ids(county_a.get("/posts")) == {posted["a1"], posted["d1"]}
    assert county_a.get(f"/posts/{posted['b1']}").status_code == 404
    assert county_a.get(f"/posts/{posted['a1']}").status_code == 200
    county_b = as_client(world.user(world.county_b, "viewer"))
    assert ids(county_b.get("/posts")) == {posted["b1"]}
    assert county_b.get(f"/posts/{posted['a1']}").status_code == 404
    city = as_client(world.user(world.city, "reviewer"))
    assert ids(city.get("/posts")) == {posted["a1"], posted["d1"], posted["b1"]}
    # Naming something out of sight in a filter answers 404, as in the registry.
    assert county_a.get(f"/posts?unit={world.county_b.pk}").status_code == 404
    assert county_a.get(f"/posts?account={world.account_b.pk}").status_code == 404
    assert county_a.get("/posts/999999").status_code == 404


def test_post_list_filters(world, posted):
    api = as_client(world.user(world.city, "viewer"))
    assert ids(api.get(f"/posts?unit={world.town_a.pk}")) == {posted["d1"]}
    assert ids(api.get(f"/posts?account={world.account_a.pk}")) == {posted["a1"]}
    assert ids(api.get("/posts?platform=douyin")) == {posted["d1"]}
    assert ids(api.get("/posts?category=news")) == {posted["d1"]}
    assert ids(api.get("/posts?q=汛期")) == {posted["d1"]}
    assert ids(api.get("/posts?q=各街道")) == {posted["a1"], posted["d1"], posted["b1"]}
    # Whole days in Beijing time: `until` includes its day.
    assert ids(api.get("/posts?since=2025-05-01&until=2025-05-01")) == {posted["a1"]}
    assert ids(api.get("/posts?since=2025-05-02&until=2025-05-03")) == {posted["d1"]}
    assert ids(api.get("/posts?until=2025-05-03T20:00:00")) == {posted["a1"]}
    assert ids(api.get("/posts?platform=&category=&unit=&since=")) == set(posted.values()) - {
        posted["douyin"]
    }
    assert api.get("/posts?since=someday").status_code == 422


def test_post_answers_carry_metrics_text_and_snapshots(world, posted, push_a):
    push(
        push_a,
        [
            item(
                world.account_a,
                "a1",
                published_at="2025-05-01T09:00:00+08:00",
                metrics={"reads": 5000},
            )
        ],
    )
    api = as_client(world.user(world.county_a, "viewer"))
    row = next(p for p in api.get("/posts").json()["items"] if p["id"] == posted["a1"])
    assert row["account_id"] == world.account_a.pk and row["account_name"] == "东湖发布"
    assert row["platform"] == "wechat_oa" and row["platform_label"] == "微信公众号"
    assert row["reads"] == 5000 and row["position"] == 1 and row["metrics_at"]
    assert "body_text" not in row and "body_html" not in row
    detail = api.get(f"/posts/{posted['a1']}").json()
    assert detail["body_text"] == "会议要求，各街道立即落实。"
    assert [s["reads"] for s in detail["snapshots"]] == [1200, 5000]
    assert detail["published_at"].startswith("2025-05-01T")


def test_markup_in_titles_comes_back_as_plain_json_text(push_a, world):
    title = '<script>alert("x")</script><img src=x onerror=alert(1)>防汛'
    post_id = push(push_a, [item(world.account_a, title=title)]).json()["results"][0]["post_id"]
    response = push_a.get(f"/posts/{post_id}")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"] == title
    assert response.json()["body_text"] == "会议要求，各街道立即落实。"
    listed = push_a.get("/posts").json()["items"][0]
    assert listed["title"] == title


@pytest.mark.parametrize("transport", ["token", "session"])
def test_post_list_makes_a_constant_number_of_queries(world, editor_a, push_a, transport):
    town_account = AccountFactory(owner=world.town_a)
    push(push_a, [item(world.account_a if i % 2 else town_account, f"q{i}") for i in range(120)])
    api = push_a
    if transport == "session":
        api = ApiClient(Client())
        api.client.force_login(editor_a)
    for query in ("", f"&unit={world.county_a.pk}&account={town_account.pk}&q=防汛"):
        counts = []
        for size in (5, 100):
            with CaptureQueriesContext(connection) as ctx:
                response = api.get(f"/posts?page_size={size}{query}")
            assert response.status_code == 200
            assert len(response.json()["items"]) == (size if not query else min(size, 60))
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1], counts
        assert counts[0] <= 8, [q["sql"] for q in ctx.captured_queries]


# Import runs ---------------------------------------------------------------------------------


def test_push_runs_are_listed_for_their_county_only(world, push_a):
    push(push_a, [item(world.account_a), item(world.account_b, "b1")])
    run = ImportRun.objects.get()
    county_a = as_client(world.user(world.county_a, "viewer"))
    listed = county_a.get("/import-runs").json()
    assert listed["count"] == 1
    row = listed["items"][0]
    assert (
        row["id"] == run.pk and row["connector"] == "push" and row["connector_label"] == "接口推送"
    )
    assert (row["created"], row["rejected"], row["status"]) == (1, 1, "partial")
    assert row["status_label"] and row["actor_name"] and "errors" not in row
    assert ids(county_a.get("/import-runs?connector=push")) == {run.pk}
    assert county_a.get("/import-runs?connector=file").json()["count"] == 0
    detail = county_a.get(f"/import-runs/{run.pk}").json()
    assert detail["errors"] == [{"row": 1, "field": "account", "reason": NOT_YOURS, "value": ""}]
    county_b = as_client(world.user(world.county_b, "editor"))
    assert county_b.get("/import-runs").json() == {"items": [], "count": 0}
    assert county_b.get(f"/import-runs/{run.pk}").status_code == 404
    assert ids(as_client(world.user(world.city, "viewer")).get("/import-runs")) == {run.pk}


def test_a_user_importing_in_two_counties_files_runs_under_their_common_unit(world):
    user = world.user(world.county_a, "editor")
    MembershipFactory(user=user, unit=world.county_b, role="editor")
    response = push(as_client(user), [item(world.account_a), item(world.account_b, "b1")])
    assert statuses(response) == ["created", "created"]
    run = ImportRun.objects.get()
    assert run.scope_path == world.city.path
    assert as_client(world.user(world.county_b, "viewer")).get("/import-runs").json()["count"] == 0


def test_the_push_endpoint_is_in_the_openapi_schema(push_a):
    schema = push_a.get("/openapi.json").json()
    assert "post" in schema["paths"]["/api/v1/posts/batch"]
    assert schema["components"]["schemas"]["BatchIn"]["properties"]["items"]["maxItems"] == 1000
    for path in ("/api/v1/posts", "/api/v1/posts/{post_id}", "/api/v1/import-runs"):
        assert "get" in schema["paths"][path]
