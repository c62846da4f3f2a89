"""Materialised paths for trees stored in a relational table.

A node's path is its ancestors' ids and its own, each zero-padded to `SEGMENT_WIDTH` digits.
Paths hold digits only, so byte order and every database collation agree, and a subtree is the
half-open range [path, path + 1): one index range scan on SQLite and PostgreSQL alike. See
docs/decisions/0002-unit-tree.md.
"""

from collections.abc import Iterable

from django.db.models import Q

SEGMENT_WIDTH = 10
MAX_PATH_LENGTH = 250  # 25 levels deep


def segment(node_id: int) -> str:
    if node_id < 0 or node_id >= 10**SEGMENT_WIDTH:
        raise ValueError(f"node id {node_id} does not fit a path segment")
    return str(node_id).zfill(SEGMENT_WIDTH)


def child_path(parent_path: str, node_id: int) -> str:
    path = parent_path + segment(node_id)
    if len(path) > MAX_PATH_LENGTH:
        raise ValueError("tree is too deep")
    return path


def path_ids(path: str) -> list[int]:
    """Ids from the root down to the node itself."""
    return [int(path[i : i + SEGMENT_WIDTH]) for i in range(0, len(path), SEGMENT_WIDTH)]


def depth(path: str) -> int:
    return len(path) // SEGMENT_WIDTH


def subtree_upper_bound(path: str) -> str:
    """The smallest path of the same length that sorts after every descendant of `path`."""
    return str(int(path) + 1).zfill(len(path))


def collapse_roots(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another path of the set; the rest cover the same subtrees."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def subtree_q(field: str, roots: Iterable[str]) -> Q:
    """A filter for rows whose `field` path lies in any of the subtrees; matches nothing if none."""
    condition = Q(pk__in=[])
    for root in collapse_roots(roots):
        condition |= Q(**{f"{field}__gte": root, f"{field}__lt": subtree_upper_bound(root)})
    return condition
