"""Running the checks on posts and queueing what needs a human.

`post_check` runs every registered check on one post, stores the run and its findings, and puts
the post in the review queue when a finding at or above the queue threshold is new: one live
case per post collects the findings of later runs; a finding a reviewer already dismissed for the
same post (same rule, same text) is stored but does not reopen the case.
"""

import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mediamatrix.core.audit import audit_record
from mediamatrix.engines.checks import Document, Finding, run_checks
from mediamatrix.engines.text import html_to_text
from mediamatrix.ingestion.models import Post
from mediamatrix.review.choices import CheckRunStatus, DecisionKind, ItemStatus
from mediamatrix.review.context import check_context
from mediamatrix.review.dedup import index_posts
from mediamatrix.review.models import SEVERITY_RANK, CheckFinding, CheckRun, ReviewItem
from mediamatrix.review.services.rechecks import versions_key


def post_text(post: Post) -> str:
    """The text reviewers read and finding spans index: the body as plain text, as written."""
    if post.body_html:
        return html_to_text(post.body_html)[0]
    return post.body_text


def post_document(post: Post) -> Document:
    return Document(
        title=post.title,
        body=post_text(post),
        declared_original=post.is_original,
        declared_source=post.declared_source,
        author=post.author,
        url=post.url,
        account=str(post.account_id),
        published_at=post.published_at,
        document_id=str(post.pk),
    )


def _queue_threshold() -> int:
    return SEVERITY_RANK[settings.MEDIAMATRIX_REVIEW_QUEUE_MIN_SEVERITY]


def post_check(*, post: Post, context: Any = None, index: bool = True) -> CheckRun:
    """Check one post now (the system acts: no actor); returns the stored run.

    With `index` the post first joins the near-duplicate index (only earlier posts of other
    accounts can match it, so it never matches itself) so that later posts find it.
    """
    if index:
        index_posts([post])
    started = time.perf_counter()
    report = run_checks(post_document(post), context or check_context())
    elapsed = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        run = CheckRun.objects.create(
            post=post,
            owner_path=post.owner_path,
            content_hash=post.content_hash,
            versions=dict(report.versions),
            versions_key=versions_key(dict(report.versions)),
            errors=dict(report.errors),
            status=CheckRunStatus.FAILED if report.errors else CheckRunStatus.DONE,
            finding_count=len(report.findings),
            duration_ms=elapsed,
        )
        rows = [_finding_row(run, post, f) for f in report.findings]
        CheckFinding.objects.bulk_create(rows)
        _queue(post, rows)
    return run


def posts_check(post_ids: Iterable[int]) -> int:
    """Check several posts with one context (the indexes are built once); returns how many."""
    context = check_context()
    posts = list(
        Post.objects.filter(pk__in=list(post_ids))
        .select_related("account")
        .order_by("published_at", "pk")
    )
    index_posts(posts)  # in one go, before any is checked: a batch's copies find its originals
    for post in posts:
        post_check(post=post, context=context, index=False)
    return len(posts)


def _finding_row(run: CheckRun, post: Post, finding: Finding) -> CheckFinding:
    rule_check = finding.rule.split(".", 1)[0]
    return CheckFinding(
        run=run,
        post=post,
        owner_path=post.owner_path,
        rule=finding.rule,
        check_name=rule_check,
        check_version=finding.version,
        category=finding.category,
        severity=finding.severity,
        score=finding.score,
        field=finding.field,
        start=finding.start,
        end=finding.end,
        excerpt=finding.excerpt[:500],
        message=finding.message,
        message_en=finding.message_en,
        suggestion=finding.suggestion[:200],
        evidence=dict(finding.evidence),
    )


def _queue(post: Post, rows: list[CheckFinding]) -> None:
    threshold = _queue_threshold()
    wanted = [row for row in rows if SEVERITY_RANK[row.severity] >= threshold]
    if not wanted:
        return  # most posts: no query at all
    dismissed = set(
        CheckFinding.objects.filter(post=post, decisions__kind=DecisionKind.DISMISS).values_list(
            "rule", "excerpt"
        )
    )
    wanted = [row for row in wanted if (row.rule, row.excerpt) not in dismissed]
    if not wanted:
        return
    item = (
        ReviewItem.objects.select_for_update()
        .filter(post=post, status__in=[ItemStatus.OPEN, ItemStatus.APPEALED])
        .first()
    )
    worst = max(wanted, key=lambda row: SEVERITY_RANK[row.severity]).severity
    categories = sorted({row.category for row in wanted})
    if item is None:
        item = ReviewItem.objects.create(
            post=post, owner_path=post.owner_path, severity=worst, categories=categories
        )
        audit_record(
            actor=None,
            verb="review_item_open",
            obj=item,
            after={"severity": worst, "categories": categories, "findings": len(wanted)},
            unit_path=post.owner_path,
        )
    else:
        if SEVERITY_RANK[worst] > SEVERITY_RANK[item.severity]:
            item.severity = worst
        item.categories = sorted(set(item.categories) | set(categories))
        item.updated_at = timezone.now()
        item.save(update_fields=["severity", "categories", "updated_at"])
    CheckFinding.objects.filter(pk__in=[row.pk for row in wanted]).update(item=item)
