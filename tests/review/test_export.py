"""The decisions list, its filters, and the statement-of-reasons export as JSON and CSV."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mediamatrix.orgs.choices import Role
from mediamatrix.review.models import Decision
from mediamatrix.review.services.decisions import decision_make
from mediamatrix.review.statements import EXPORT_COLUMNS
from tests.review.cases import make_case, only_test_check


@pytest.fixture(autouse=True)
def review_check():
    with only_test_check():
        yield


@pytest.fixture
def decisions(world, superuser):
    """A correction in county A (typo ground), a takedown in county B (rumour ground)."""
    a = make_case(world.account_a, "e1", "这里有标记。", title="东湖，“引号”标题")
    b = make_case(world.account_b, "e2", "谣传水被污染")
    return [
        decision_make(
            actor=superuser, item=a, kind="correction", ground="Q-ERROR",
            explanation="错字，须更正。", cited_ids=[f.pk for f in a.findings.all()],
            deadline=timezone.now() + timedelta(days=3),
        ),
        decision_make(
            actor=superuser, item=b, kind="takedown", ground="P2019-6-8",
            explanation="谣言，须删除。", cited_ids=[f.pk for f in b.findings.all()],
        ),
    ]  # fmt: skip


def get(client, **params):
    return client.get(reverse("review:decisions"), params)


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_list_is_scoped_and_filtered(client, world, decisions):
    client.force_login(world.user(world.county_a, Role.VIEWER))
    assert list(get(client).context["page"].object_list) == [decisions[0]]
    client.force_login(world.user(world.city, Role.VIEWER))
    assert len(get(client).context["page"].object_list) == 2
    assert list(get(client, kind="takedown").context["page"].object_list) == [decisions[1]]
    assert list(get(client, ground="Q-ERROR").context["page"].object_list) == [decisions[0]]
    unit_b = get(client, unit=world.county_b.pk).context["page"].object_list
    assert list(unit_b) == [decisions[1]]
    today = timezone.localdate()
    assert len(get(client, since=today.isoformat()).context["page"].object_list) == 2
    old = get(client, until=(today - timedelta(days=1)).isoformat())
    assert len(old.context["page"].object_list) == 0


def test_json_is_an_array_of_statements(client, world, decisions):
    client.force_login(world.user(world.city, Role.VIEWER))
    response = get(client, format="json")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    rows = json.loads(streamed(response))
    assert [row["decision_id"] for row in rows] == [d.pk for d in reversed(decisions)]
    takedown = rows[0]
    assert takedown["schema_version"] == "mm-sor-1"
    assert takedown["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert takedown["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert takedown["automated_detection"] == "Yes"
    assert takedown["local"]["ground"] == "P2019-6-8"
    assert takedown["local"]["findings"][0]["rule"] == "review_test.rumour"


def test_json_export_follows_the_filters_and_the_scope(client, world, decisions):
    client.force_login(world.user(world.county_b, Role.VIEWER))
    rows = json.loads(streamed(get(client, format="json")))
    assert [row["decision_id"] for row in rows] == [decisions[1].pk]
    client.force_login(world.user(world.city, Role.VIEWER))
    assert json.loads(streamed(get(client, format="json", kind="warning"))) == []


def test_csv_has_the_columns_a_bom_and_json_for_nested_values(client, world, decisions):
    client.force_login(world.user(world.city, Role.VIEWER))
    response = get(client, format="csv", ground="Q-ERROR")
    assert response["Content-Type"].startswith("text/csv")
    raw = streamed(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert len(rows) == 2
    row = dict(zip(EXPORT_COLUMNS, rows[1], strict=True))
    decision = Decision.objects.get(pk=decisions[0].pk)
    assert row["decision_id"] == str(decision.pk)
    assert json.loads(row["decision_visibility"]) == ["DECISION_VISIBILITY_OTHER"]
    local = json.loads(row["local"])
    assert local["post_title"] == "东湖，“引号”标题" and local["ground"] == "Q-ERROR"
    assert row["incompatible_content_explanation"] == "错字，须更正。"
    assert row["decided_at"].startswith(timezone.localdate().isoformat())


def test_the_export_links_keep_the_filters(client, world, decisions):
    client.force_login(world.user(world.city, Role.VIEWER))
    body = get(client, kind="takedown").content.decode()
    assert 'href="?kind=takedown&amp;format=json"' in body
    assert 'href="?kind=takedown&amp;format=csv"' in body
