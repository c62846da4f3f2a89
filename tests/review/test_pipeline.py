"""The check pipeline: ingested posts are checked, findings stored, the queue fed once per post."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from mediamatrix.engines.checks import Check, finding_at, register, unregister
from mediamatrix.ingestion.records import PostRecord
from mediamatrix.ingestion.services import posts_upsert
from mediamatrix.review.models import CheckFinding, CheckRun, ReviewItem
from mediamatrix.review.services import post_check


class MarkerCheck(Check):
    """Flags the word 标记 (high) and 提示 (info), so the pipeline can be tested on its own."""

    name = "pipeline_marker"
    version = "7"
    categories = ("typo",)

    def run(self, doc, context):
        for word, severity in (("标记", "high"), ("提示", "info")):
            text = doc.body_norm.text
            start = text.find(word)
            if start >= 0:
                yield finding_at(
                    doc, "body", start, start + len(word),
                    rule=f"{self.name}.{severity}", category="typo", severity=severity,
                    score=0.9, message=f"发现{word}", message_en=f"found {word}",
                )  # fmt: skip


@pytest.fixture
def marker() -> Iterator[None]:
    register(MarkerCheck)
    yield
    unregister(MarkerCheck.name)


@pytest.fixture
def auto_check(settings):
    settings.MEDIAMATRIX_REVIEW_AUTO_CHECK = True


def _upsert(world, external_id: str, body: str, title: str = "测试稿件"):
    record = PostRecord(
        account_id=world.account_a.pk,
        external_id=external_id,
        title=title,
        body_html=f"<p>{body}</p>",
        published_at=timezone.now() - timedelta(hours=1),
    )
    return posts_upsert(actor=None, records=[record], source="test")


@pytest.mark.django_db(transaction=True)
def test_an_ingested_post_is_checked_and_queued(world, marker, auto_check):
    _upsert(world, "p1", "这里有一个標記需要处理。")
    run = CheckRun.objects.get()
    assert run.versions["pipeline_marker"] == "7"
    finding = CheckFinding.objects.get()
    # The span indexes the post's text as written (traditional), not the normalised text.
    assert finding.excerpt == "標記"
    item = ReviewItem.objects.get()
    assert item.severity == "high" and item.categories == ["typo"]
    assert finding.item == item


@pytest.mark.django_db(transaction=True)
def test_info_findings_are_stored_but_not_queued(world, marker, auto_check):
    _upsert(world, "p2", "仅供提示。")
    assert CheckFinding.objects.get().severity == "info"
    assert not ReviewItem.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_auto_check_switch_off_checks_nothing(world, marker):
    _upsert(world, "p3", "这里有标记。")
    assert not CheckRun.objects.exists()


@pytest.mark.django_db
def test_a_second_run_joins_the_live_case(world, marker):
    _upsert(world, "p4", "这里有标记。")
    from mediamatrix.ingestion.models import Post

    post = Post.objects.get(external_id="p4")
    post_check(post=post)
    post_check(post=post)
    assert CheckRun.objects.filter(post=post).count() == 2
    item = ReviewItem.objects.get(post=post)
    assert item.findings.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_changed_text_is_checked_again_and_an_unchanged_one_is_not(world, marker, auto_check):
    _upsert(world, "p5", "第一版。")
    _upsert(world, "p5", "第一版。")
    assert CheckRun.objects.count() == 1
    _upsert(world, "p5", "第二版有标记。")
    assert CheckRun.objects.count() == 2
    assert ReviewItem.objects.count() == 1


@pytest.mark.django_db
def test_findings_below_the_queue_threshold_are_kept_but_not_queued(world, settings):
    class LowCheck(MarkerCheck):
        name = "pipeline_low"

        def run(self, doc, context):
            for finding in super().run(doc, context):
                yield replace(finding, severity="low")

    settings.MEDIAMATRIX_REVIEW_QUEUE_MIN_SEVERITY = "medium"
    register(LowCheck)
    try:
        _upsert(world, "p6", "这里有标记。")
        from mediamatrix.ingestion.models import Post

        post_check(post=Post.objects.get(external_id="p6"))
    finally:
        unregister(LowCheck.name)
    assert CheckFinding.objects.filter(severity="low").exists()
    assert not ReviewItem.objects.exists()
