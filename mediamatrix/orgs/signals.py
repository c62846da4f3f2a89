"""Signals for apps that build on the registry (they may import orgs; orgs never imports them)."""

from django.dispatch import Signal

# Sent inside unit_move's transaction with old_path and new_path: every row whose stored path
# starts with old_path must now start with new_path instead.
unit_moved = Signal()
