"""Keep ingestion's copies of unit paths in step with the registry."""

from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from mediamatrix.core.tree import subtree_q
from mediamatrix.ingestion.models import ImportRun, Post, Source


def follow_unit_move(sender: Any, *, old_path: str, new_path: str, **kwargs: Any) -> None:
    for model, field in ((Post, "owner_path"), (Source, "owner_path"), (ImportRun, "scope_path")):
        tail = Substr(F(field), len(old_path) + 1)
        model.objects.filter(subtree_q(field, [old_path])).update(
            **{field: Concat(Value(new_path), tail)}
        )
