"""The demo city's posts: 90 days of realistic publishing for every demo account.

`generate_demo_posts(seed=2026, days=90, end=...)` writes posts, metric snapshots and follower
counts for every account in the database; the same registry, seed, days and end always give the
same content. The commands end the window at the start of today (Asia/Shanghai), so a demo
generated on any day has recent posts; tests pass a fixed end.
"""

from mediamatrix.ingestion.demo.generate import (
    PlantedPost,
    PostsSummary,
    generate_demo_posts,
    window_end,
)

__all__ = ["PlantedPost", "PostsSummary", "generate_demo_posts", "window_end"]
