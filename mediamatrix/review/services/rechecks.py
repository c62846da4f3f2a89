"""Re-checking after a rule changes: posts last checked by an older set of check versions.

A run stores a digest of the versions that made it. When a deployment changes a rule (a new
check version, a check added or removed), the posts whose runs all carry another digest are
checked again in the background, newest first, a chunk at a time, so the work resumes where it
stopped and never holds the queue for long.
"""

import hashlib
import json

from django.db.models import Exists, OuterRef, QuerySet

from mediamatrix.engines.checks import checks
from mediamatrix.ingestion.models import Post
from mediamatrix.review.models import CheckRun


def current_versions() -> dict[str, str]:
    return {check.name: check.version for check in checks()}


def versions_key(versions: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(versions, sort_keys=True).encode()).hexdigest()


def outdated_posts() -> QuerySet[Post]:
    """Posts checked before, but never with the current versions of every check."""
    key = versions_key(current_versions())
    checked = CheckRun.objects.filter(post=OuterRef("pk"))
    current = checked.filter(versions_key=key)
    return Post.objects.filter(Exists(checked)).exclude(Exists(current))


def recheck_outdated(*, limit: int) -> tuple[int, int]:
    """Check up to `limit` outdated posts, newest first; returns (checked, still outdated)."""
    from mediamatrix.review.services.checking import posts_check

    ids = list(
        outdated_posts().order_by("-published_at", "-pk").values_list("pk", flat=True)[:limit]
    )
    done = posts_check(ids) if ids else 0
    return done, outdated_posts().count()
