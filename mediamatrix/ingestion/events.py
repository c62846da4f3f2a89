"""Signals ingestion sends to the apps above it, which must not be imported from here."""

from django.dispatch import Signal

# Sent after commit with `post_ids`: posts that are new or whose title or text changed.
posts_rewritten = Signal()

# Sent inside the writing transaction with `post_ids`: posts created, changed, or given new
# metric snapshots.
posts_written = Signal()
