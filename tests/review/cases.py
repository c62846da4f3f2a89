"""Review cases for the page tests: a small registered check with known spans, and helpers that
ingest a post and check it through the real services."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

from mediamatrix.engines.checks import Check, checks, finding_at, register, unregister
from mediamatrix.ingestion.models import Post
from mediamatrix.ingestion.records import PostRecord
from mediamatrix.ingestion.services import posts_upsert
from mediamatrix.review.context import check_context
from mediamatrix.review.models import ReviewItem
from mediamatrix.review.services import post_check

# Normalised (simplified) words the check flags: word → (rule, category, severity, field).
WORDS = {
    "标记": ("mark", "typo", "high", "body"),
    "甲乙丙": ("abc", "typo", "medium", "body"),
    "乙丙丁": ("bcd", "term", "low", "body"),
    "震惊": ("headline", "clickbait", "medium", "title"),
    "抄来": ("copy", "originality", "high", "body"),
    "谣传": ("rumour", "rumour", "high", "body"),
}


class ReviewTestCheck(Check):
    """Flags the words above; originality and rumour findings carry the evidence the pages show
    (the earlier post and the debunk come from the context's resources)."""

    name = "review_test"
    version = "3"
    categories = ("typo", "term", "clickbait", "originality", "rumour")
    title = "审核页面测试检查"

    def run(self, doc, context):
        for word, (rule, category, severity, field) in WORDS.items():
            text = doc.norm(field).text
            start = text.find(word)
            if start < 0:
                continue
            yield finding_at(
                doc, field, start, start + len(word),
                rule=f"{self.name}.{rule}", category=category, severity=severity, score=0.8,
                message=f"发现“{word}”", message_en=f"found {word}", suggestion="请核实",
                evidence=_evidence(category, context),
            )  # fmt: skip


def _evidence(category, context):
    if category == "originality":
        return {"document_id": context.resource("review_test_earlier") or "", "similarity": 0.93}
    if category == "rumour":
        return {
            "debunk_id": context.resource("review_test_debunk"),
            "claim": "自来水被污染不能喝",
            "source": "市卫健委",
            "url": "https://example.org/debunk/1",
        }
    return {}


@contextmanager
def only_test_check() -> Iterator[None]:
    """Run only the test check (the built-in ones change as they are tuned), then restore."""
    saved = checks()
    for check in saved:
        unregister(check.name)
    register(ReviewTestCheck)
    try:
        yield
    finally:
        unregister(ReviewTestCheck.name)
        for check in saved:
            register(type(check))


def ingest(account, external_id, body, title="测试稿件", hours_ago=1) -> Post:
    record = PostRecord(
        account_id=account.pk,
        external_id=external_id,
        title=title,
        body_html=f"<p>{body}</p>",
        published_at=timezone.now() - timedelta(hours=hours_ago),
    )
    posts_upsert(actor=None, records=[record], source="test")
    return Post.objects.get(account=account, external_id=external_id)


def make_case(account, external_id, body, title="测试稿件", **resources) -> ReviewItem:
    """Ingest a post, check it now, return its live case."""
    post = ingest(account, external_id, body, title)
    post_check(post=post, context=check_context(**resources))
    return ReviewItem.objects.get(post=post, status__in=["open", "appealed"])
