"""The ingestion write path (a package: posts, runs, sources, files)."""

from mediamatrix.ingestion.services.posts import (
    ItemResult,
    UpsertResult,
    account_followers_record,
    content_hash,
    posts_upsert,
)
from mediamatrix.ingestion.services.runs import (
    import_run_create,
    import_run_fail,
    import_run_finish,
    import_run_progress,
    import_run_start,
)
from mediamatrix.ingestion.services.sources import source_backoff, source_pull
from mediamatrix.ingestion.services.sources_admin import (
    source_create,
    source_pull_now,
    source_set_enabled,
    source_update,
)

__all__ = [
    "ItemResult",
    "UpsertResult",
    "account_followers_record",
    "content_hash",
    "import_run_create",
    "import_run_fail",
    "import_run_finish",
    "import_run_progress",
    "import_run_start",
    "posts_upsert",
    "source_backoff",
    "source_create",
    "source_pull",
    "source_pull_now",
    "source_set_enabled",
    "source_update",
]
