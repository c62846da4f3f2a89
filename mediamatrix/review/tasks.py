"""Background work of content review: checking new and changed posts."""

from typing import Any

from django.conf import settings
from django.tasks import task

CHUNK = 200


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
