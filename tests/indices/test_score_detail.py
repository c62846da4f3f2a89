"""One score's drill-down: formula, inputs, terms, re-evaluation, the four forces' indicators
(pending ones never faked), a unit's accounts, the posts behind an account, and scoping."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse

from mediamatrix.engines.indices import INDICATORS, get
from mediamatrix.indices.models import IndexScore
from mediamatrix.indices.selectors import score_breakdown, score_posts, score_trend
from mediamatrix.indices.services import scores_compute
from mediamatrix.ingestion.models import MetricSnapshot, Post
from mediamatrix.ingestion.records import Metrics, PostRecord
from mediamatrix.ingestion.services import posts_upsert
from tests.indices.test_rankings import OCT, OCT_LAST_YEAR, SEP, TZ, stored
from tests.indices.test_rankings import city as city  # the fixture (re-exported by name)

PENDING = [i for i in INDICATORS if i.pending]


def unit_score(unit, formula="composite", period=OCT):
    return IndexScore.objects.get(
        formula=formula, unit=unit, period_kind=period.kind, period_start=period.start
    )


def test_account_score_page_shows_formula_inputs_terms_and_posts(client, city, superuser):
    score = stored(OCT, city.a)
    client.force_login(superuser)
    response = client.get(reverse("indices:score-detail", args=[score.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    formula = get("wci-v14.2")
    assert formula.expression in html and score.input_hash in html
    inputs = response.context["breakdown"].inputs
    assert {line.key: line.value for line in inputs}["R"] == 40000  # 8 posts × 5,000 reads
    assert "总阅读数" in html and "头条总阅读数" in html
    assert {line.key for line in response.context["breakdown"].terms} == {"O", "A", "H", "P"}
    assert "可复现 ✓" in html
    post = Post.objects.filter(account=city.a, published_at__month=10).first()
    assert f'href="{post.get_absolute_url()}"' in html
    assert response.context["posts"].page.paginator.count == 8
    assert response.context["trend"]["labels"] == ["2025年10月", "2026年9月", "2026年10月"]


def test_breakdown_reevaluates_the_stored_inputs(city):
    score = stored(OCT, city.a)
    breakdown = score_breakdown(score)
    assert breakdown.recomputed == pytest.approx(score.value, rel=1e-12)
    assert breakdown.hash_matches and breakdown.reproduced
    assert {line.key: line.value for line in breakdown.params} == {"K": 10.0}
    # A stored value that its inputs do not give is shown as such, never papered over.
    IndexScore.objects.filter(pk=score.pk).update(value=score.value + 1)
    assert not score_breakdown(IndexScore.objects.get(pk=score.pk)).reproduced
    # Inputs changed behind the hash's back: the fingerprint no longer matches.
    tampered = IndexScore.objects.get(pk=score.pk)
    tampered.inputs = {**tampered.inputs, "R": 1.0}
    breakdown = score_breakdown(tampered)
    assert not breakdown.hash_matches and not breakdown.reproduced


def test_tampered_score_page_says_so(client, city, superuser):
    score = stored(OCT, city.a)
    IndexScore.objects.filter(pk=score.pk).update(value=score.value * 2)
    client.force_login(superuser)
    html = client.get(reverse("indices:score-detail", args=[score.pk])).content.decode()
    assert "不一致 ✗" in html and "可复现 ✓" not in html


def test_forces_lists_every_indicator_and_marks_pending_ones(client, city, superuser):
    score = stored(OCT, city.a, formula="forces")
    breakdown = score_breakdown(score)
    assert [line.key for line in breakdown.indicators] == [i.key for i in INDICATORS]
    pending = [line for line in breakdown.indicators if line.pending]
    assert [line.key for line in pending] == [i.key for i in PENDING]
    assert all(line.value is None and line.used_weight is None for line in pending)
    live = {line.key: line for line in breakdown.indicators if not line.pending}
    assert live["no_veto"].value == 0  # a posted on 1–8 October only: dormant 23 days
    assert sum(line.used_weight or 0 for line in live.values()) == pytest.approx(100)
    assert breakdown.reproduced
    # A pending indicator's value smuggled into the inputs is still shown as pending.
    IndexScore.objects.filter(pk=score.pk).update(inputs={**score.inputs, "reprinted": 99.0})
    rigged = score_breakdown(IndexScore.objects.get(pk=score.pk))
    assert next(line for line in rigged.indicators if line.key == "reprinted").value is None
    client.force_login(superuser)
    html = client.get(reverse("indices:score-detail", args=[score.pk])).content.decode()
    assert html.count("待接入</span>") == len(PENDING)
    assert "传播力" in html and "公信力" in html


def test_unit_score_lists_its_accounts(client, city, superuser, world):
    score = unit_score(world.county_a)
    breakdown = score_breakdown(score)
    assert breakdown.reproduced
    behind = {s.account.name: s for s in breakdown.accounts}
    assert set(behind) == {"东湖发布", "东湖社区号", "东湖微博"}
    assert behind["东湖微博"].formula == "bci"
    client.force_login(superuser)
    html = client.get(reverse("indices:score-detail", args=[score.pk])).content.decode()
    assert f'href="{behind["东湖发布"].get_absolute_url()}"' in html
    forces = score_breakdown(unit_score(world.county_a, "forces"))
    assert forces.reproduced
    assert {s.formula for s in forces.accounts} == {"forces"}
    assert score_posts(superuser, score) is None


def test_scores_outside_scope_are_not_found(client, city, world):
    client.force_login(world.user(world.county_b, "admin"))
    for score in (stored(OCT, city.a), unit_score(world.county_a), unit_score(world.city)):
        response = client.get(reverse("indices:score-detail", args=[score.pk]))
        assert response.status_code == 404
    own = stored(OCT, city.b)
    assert client.get(reverse("indices:score-detail", args=[own.pk])).status_code == 200


def test_posts_show_the_metrics_the_index_counted(city, superuser):
    """A post read after the settling days counts with its settled figures, as the index did."""
    published = datetime.combine(OCT.start + timedelta(days=20), time(9), tzinfo=TZ)
    for after, reads in ((1, 300), (30, 900)):
        posts_upsert(
            actor=None,
            records=[
                PostRecord(
                    account_id=city.a.pk,
                    external_id="late",
                    title="晚到的数据",
                    published_at=published,
                    metrics=Metrics(reads=reads),
                    captured_at=published + timedelta(days=after),
                )
            ],
            source="test",
        )
    scores_compute(period=OCT)
    score = stored(OCT, city.a)
    late = Post.objects.get(external_id="late")
    assert late.reads == 900 and MetricSnapshot.objects.filter(post=late).count() == 2
    posts = score_posts(superuser, score, per_page=100)
    counted = {row.post.external_id: row.counted for row in posts.rows}
    assert counted["late"]["reads"] == 300  # settled after 7 days, not the later 900
    assert sum(c["reads"] for c in counted.values()) == score.inputs["R"]
    assert sum(c["likes"] for c in counted.values()) == score.inputs["L"]
    assert [row.post.published_at for row in posts.rows] == sorted(
        (row.post.published_at for row in posts.rows), reverse=True
    )


def test_posts_are_paginated(client, city, superuser):
    score = stored(OCT, city.a)
    first = score_posts(superuser, score, per_page=5)
    second = score_posts(superuser, score, page=2, per_page=5)
    assert len(first.rows) == 5 and len(second.rows) == 3
    assert not {r.post.pk for r in first.rows} & {r.post.pk for r in second.rows}


def test_trend_follows_the_same_formula_and_kind(city):
    score = stored(OCT, city.a)
    points = score_trend(score)
    assert [p.pk for p in points] == [stored(p, city.a).pk for p in (OCT_LAST_YEAR, SEP, OCT)]
    assert points[-1].value == score.value
    assert score_trend(stored(OCT, city.a, formula="forces"))[-1].value != score.value
