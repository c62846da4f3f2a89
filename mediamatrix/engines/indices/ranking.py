"""Ranks and changes: the small arithmetic every ranking page and bulletin shares."""

from collections.abc import Sequence


def competition_ranks(values: Sequence[float], *, places: int = 2) -> list[int]:
    """Standard competition ranks ("1224"), highest first; values equal when rounded as shown tie."""
    rounded = [round(v, places) for v in values]
    order = sorted(range(len(values)), key=lambda i: -rounded[i])
    ranks = [0] * len(values)
    for position, index in enumerate(order):
        if position and rounded[index] == rounded[order[position - 1]]:
            ranks[index] = ranks[order[position - 1]]
        else:
            ranks[index] = position + 1
    return ranks


def change_ratio(current: float, previous: float | None) -> float | None:
    """Relative change (环比/同比) as a fraction; None when there is no earlier figure to compare."""
    if previous is None or previous == 0:
        return None
    return (current - previous) / previous
