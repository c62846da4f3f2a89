from mediamatrix.core.tree import (
    child_path,
    collapse_roots,
    depth,
    path_ids,
    segment,
    subtree_upper_bound,
)


def test_paths_and_bounds():
    root = child_path("", 7)
    leaf = child_path(child_path(root, 12), 9999)
    assert root == "0000000007" and depth(leaf) == 3 and path_ids(leaf) == [7, 12, 9999]
    upper = subtree_upper_bound(root)
    assert root <= leaf < upper
    sibling = child_path("", 8)
    assert not (root <= sibling < upper)
    assert subtree_upper_bound("0000000009") == "0000000010"


def test_collapse_roots_keeps_only_outermost():
    a, b = segment(1), segment(2)
    assert collapse_roots([a + segment(5), a, b, b + segment(3)]) == [a, b]
