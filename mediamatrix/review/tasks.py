"""Background work of content review: checking new and changed posts."""

from typing import Any

from django.conf import settings
from django.tasks import task

from mediamatrix.core.schedule import periodic

CHUNK = 200
RECHECK_CHUNK = 500  # posts per firing: a rule change works through the archive in steps


@task()
def posts_check_task(post_ids: list[int]) -> int:
    from mediamatrix.review.services import posts_check

    return posts_check(post_ids)


def enqueue_checks(sender: Any = None, *, post_ids: list[int], **kwargs: Any) -> None:
    """Receiver of ingestion's `posts_rewritten`: check the posts in chunks, in the background."""
    if not settings.MEDIAMATRIX_REVIEW_AUTO_CHECK:
        return
    for start in range(0, len(post_ids), CHUNK):
        posts_check_task.enqueue(post_ids[start : start + CHUNK])


@periodic("*/10 * * * *")
@task()
def recheck_outdated_task() -> dict[str, int]:
    """After a rule changed: check again the next chunk of posts checked by the older rules."""
    from mediamatrix.review.services.rechecks import recheck_outdated

    done, left = recheck_outdated(limit=RECHECK_CHUNK)
    return {"checked": done, "left": left}
