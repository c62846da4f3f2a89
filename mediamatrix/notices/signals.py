"""Keep the notices' copies of unit paths in step with the registry."""

from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from mediamatrix.core.tree import subtree_q
from mediamatrix.notices.models import ChannelConfig, Notice


def follow_unit_move(sender: Any, *, old_path: str, new_path: str, **kwargs: Any) -> None:
    for model in (Notice, ChannelConfig):
        tail = Substr(F("unit_path"), len(old_path) + 1)
        model.objects.filter(subtree_q("unit_path", [old_path])).update(
            unit_path=Concat(Value(new_path), tail)
        )
