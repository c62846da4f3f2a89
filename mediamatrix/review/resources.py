"""The shared indexes the checks read, built from the database and cached per process.

The near-duplicate index lives in the database (review/dedup.py): every worker shares it, and
the pipeline adds each post to it before checking it, so later posts find it.

The debunk library is rebuilt when the active rows change in number or newest id, and at least
once a minute (an edited entry is picked up within a minute); building it for a few thousand
debunks takes about a second, matching takes ~1 ms.
"""

import time
from threading import Lock
from typing import Any

from django.db.models import Count, Max

from mediamatrix.engines.checks.rumours import Debunk as DebunkRecord
from mediamatrix.engines.checks.rumours import DebunkLibrary
from mediamatrix.review.context import register_resource
from mediamatrix.review.models import Debunk

_lock = Lock()
_cached: tuple[Any, DebunkLibrary] | None = None
REBUILD_AFTER_SECONDS = 60


def _debunks_stamp() -> Any:
    active = Debunk.objects.filter(active=True)
    counts = tuple(active.aggregate(n=Count("pk"), last=Max("pk")).values())
    return (*counts, int(time.monotonic() // REBUILD_AFTER_SECONDS))


def debunk_library() -> DebunkLibrary:
    """The active debunks as a library (rebuilt only when the table has changed)."""
    global _cached
    stamp = _debunks_stamp()
    with _lock:
        if _cached is None or _cached[0] != stamp:
            records = (
                DebunkRecord(
                    id=str(row.pk),
                    claim=row.claim,
                    text=row.debunk_text,
                    source=row.source,
                    url=row.url,
                    date=row.published_on,
                    tags=tuple(row.tags or ()),
                )
                for row in Debunk.objects.filter(active=True).order_by("pk")
            )
            _cached = (stamp, DebunkLibrary(records))
        return _cached[1]


def register() -> None:
    from mediamatrix.review.dedup import near_duplicate_index

    register_resource("debunks", debunk_library)
    register_resource("near_duplicates", near_duplicate_index)
