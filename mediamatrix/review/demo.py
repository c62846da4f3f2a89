"""The demo city's content review: the debunk library seeded, recent and problem posts checked,
and a few decisions recorded, so the queue, a case, the decisions and the rules pages open
with content.

Which posts: those of the last `RECENT_DAYS` days, and every post of the last `PLANTED_DAYS` days that carries one of the
problems the demo generator plants (found through the generator's own lists: misspellings,
clickbait headline patterns, declared reprints, the rumours' headlines). The near-duplicate
index is filled in time order from a few days before the window, so copies of earlier posts are
found; only the planted posts are compared with it. The generator writes its ordinary
"originals" from a small set of sentence templates, so any two of them on one topic look like
rewrites of each other — real originals do not, and comparing them would bury the planted
copies under false ones. The decisions are made by the demo reviewer `city_reviewer`; a takedown is appealed by the
account's unit and waits for another reviewer.
"""

import re
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mediamatrix.core.demo import Progress, demo_step
from mediamatrix.core.tree import SEGMENT_WIDTH
from mediamatrix.ingestion.demo import material
from mediamatrix.ingestion.models import Post
from mediamatrix.orgs.choices import Role
from mediamatrix.orgs.models import Membership
from mediamatrix.review.choices import DecisionKind, ItemStatus
from mediamatrix.review.context import check_context
from mediamatrix.review.dedup import index_posts, near_duplicate_index
from mediamatrix.review.grounds import SUGGESTED
from mediamatrix.review.models import Debunk, ReviewItem
from mediamatrix.review.services import post_check
from mediamatrix.review.services.decisions import appeal_file, decision_make, item_assign
from mediamatrix.users.models import User

RECENT_DAYS = 3
PLANTED_DAYS = 30  # older planted problems stay unchecked: the demo stays quick
# Copies and their originals are articles; short posts and videos are not indexed by the demo.
ARTICLE_PLATFORMS = ("wechat_oa", "toutiao", "website", "app", "other")
COPY_WINDOW_DAYS = 5  # the generator's copies take originals of the few days before
CHUNK = 250
REVIEWER = "city_reviewer"
STEP = "审核"


@demo_step(order=20, name="review")
def review_demo(progress: Progress) -> str:
    started = time.perf_counter()
    seeded = seed_debunks()
    now = timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    ids = _posts_to_check(since)
    planted = set(Post.objects.filter(_planted_q()).values_list("pk", flat=True))
    _index_earlier(since - timedelta(days=COPY_WINDOW_DAYS), since)
    with_index = check_context(near_duplicates=near_duplicate_index())
    without_index = check_context(near_duplicates=None)
    progress(STEP, 0, len(ids))
    for done, chunk in enumerate(_chunks(ids), start=1):
        with transaction.atomic():  # one commit per chunk, not per post
            posts = list(Post.objects.filter(pk__in=chunk).order_by("published_at", "pk"))
            index_posts(p for p in posts if p.platform in ARTICLE_PLATFORMS)
            for post in posts:
                context = with_index if post.pk in planted else without_index
                post_check(post=post, context=context, index=False)
        progress(STEP, min(done * CHUNK, len(ids)), len(ids))
    decided = record_demo_decisions()
    open_items = ReviewItem.objects.filter(status=ItemStatus.OPEN).count()
    seconds = time.perf_counter() - started
    return (
        f"内容审核：辟谣库 {seeded} 条，检查稿件 {len(ids)} 篇（近 {RECENT_DAYS} 天及近 {PLANTED_DAYS} 天植入问题稿件），"
        f"待审核 {open_items} 项，演示决定 {decided} 项，用时 {seconds:.0f} 秒"
    )


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def seed_debunks() -> int:
    """The demo rumours' debunks into the library (once: an existing claim is kept)."""
    known = set(Debunk.objects.values_list("claim", flat=True))
    entries = [
        Debunk(
            claim=rumour["claim"],
            debunk_text=rumour["debunk"]["text"],
            source=rumour["debunk"].get("source", ""),
            tags=list(rumour.get("keywords", [])),
        )
        for rumour in material.rumours()
        if rumour["claim"] not in known
    ]
    Debunk.objects.bulk_create(entries)
    return Debunk.objects.count()


def _planted_q() -> Q:
    """Posts carrying a planted problem, by the generator's own lists (see the module doc)."""
    q = Q(declared_source__gt="")
    for _right, wrong, _carrier in material.TYPOS:
        q |= Q(body_text__contains=wrong)
    for prefix in material.CLICKBAIT_PREFIXES:
        q |= Q(title__startswith=prefix)
    for suffix in material.CLICKBAIT_SUFFIXES:
        q |= Q(title__endswith=suffix)
    for template in (*material.CLICKBAIT_TITLES, *_rumour_titles()):
        q |= Q(title__contains=_fixed_part(template))
    return q


def _rumour_titles() -> list[str]:
    return [title for rumour in material.rumours() for title in rumour["titles"]]


def _fixed_part(template: str) -> str:
    """The longest stretch of a title template without a {slot}."""
    return max(re.split(r"\{[a-z_0-9]+\}", template), key=len)


def _posts_to_check(since: Any) -> list[int]:
    recent = Q(published_at__gte=since)
    planted = _planted_q() & Q(published_at__gte=timezone.now() - timedelta(days=PLANTED_DAYS))
    rows = Post.objects.filter(recent | planted).order_by("published_at", "pk")
    return list(rows.values_list("pk", flat=True))


def _index_earlier(start: Any, end: Any) -> None:
    """Index the articles the window's first copies may have copied (not checked themselves)."""
    earlier = Post.objects.filter(
        published_at__gte=start, published_at__lt=end, platform__in=ARTICLE_PLATFORMS
    )
    with transaction.atomic():
        index_posts(earlier.order_by("published_at", "pk"))


# Decisions ------------------------------------------------------------------------------------


def record_demo_decisions() -> int:
    """A correction, a dismissal, and a takedown under appeal, by the demo reviewer."""
    reviewer = User.objects.filter(username=REVIEWER).first()
    if reviewer is None:
        return 0
    made = 0
    plans = [
        ("correction", ("typo", "term", "number"), "稿件存在错别字或表述错误，请按期更正。"),
        ("dismiss", ("clickbait", "source", "punctuation"), "经核实为正常表述，系误报，不予处理。"),
        (
            "takedown",
            ("rumour", "originality", "vulgar", ""),
            "稿件传播已被辟谣的不实信息，须删除。",
        ),
    ]
    for kind, categories, explanation in plans:
        picked = _pick(categories, kind == "takedown")
        if picked is None:
            continue
        decision = _decide(reviewer, *picked, kind, explanation)
        made += 1
        if kind == "takedown":
            responder = _responder(decision.owner_path)
            if responder is not None:
                appeal_file(actor=responder, decision=decision, text=_APPEAL)
    return made


_APPEAL = "该稿件转发自群众来信，发布前已向有关部门核实部分情况，请求复核。"


def _pick(categories: tuple[str, ...], appealed: bool) -> tuple[ReviewItem, str] | None:
    """An open case with a finding of the first category that has one ("" for any); the case
    to be appealed is a planted rumour where there is one, and needs someone to appeal."""
    for category in categories:
        cases = ReviewItem.objects.filter(status=ItemStatus.OPEN)
        if category:
            cases = cases.filter(findings__category=category)
        if appealed and category == "rumour":
            cases = cases.filter(_rumour_title_q())
        for item in cases.order_by("-created_at", "pk").distinct()[:20]:
            if not appealed or _responder(item.owner_path) is not None:
                return item, category or item.categories[0]
    return None


def _rumour_title_q() -> Q:
    q = Q(pk__in=[])
    for title in _rumour_titles():
        q |= Q(post__title__contains=_fixed_part(title))
    return q


def _decide(reviewer: User, item: ReviewItem, category: str, kind: str, explanation: str) -> Any:
    findings = list(item.findings.all())
    item_assign(actor=reviewer, item=item, reviewer=reviewer)
    deadline = timezone.now() + timedelta(days=7) if kind == DecisionKind.CORRECTION else None
    return decision_make(
        actor=reviewer,
        item=item,
        kind=kind,
        ground="" if kind == DecisionKind.DISMISS else SUGGESTED.get(category, "Q-ERROR"),
        explanation=explanation,
        cited_ids=[f.pk for f in findings],
        deadline=deadline,
    )


def _responder(path: str) -> User | None:
    """The demo user closest to the post's unit who may answer for it (editor or operator)."""
    ancestors = [path[:end] for end in range(SEGMENT_WIDTH, len(path) + 1, SEGMENT_WIDTH)]
    membership = (
        Membership.objects.filter(unit__path__in=ancestors, role__in=[Role.OPERATOR, Role.EDITOR])
        .select_related("user")
        .order_by("-unit__path", "role")
        .first()
    )
    return membership.user if membership else None
