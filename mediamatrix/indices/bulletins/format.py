"""How a bulletin writes its numbers: two decimals, signed percentages, a dash for none."""

DASH = "—"


def number(value: float | None, places: int = 2) -> str:
    return DASH if value is None else f"{value:.{places}f}"


def change(ratio: float | None) -> str:
    """A 环比 ratio as a signed percentage: +12.5%, -3.0%."""
    return DASH if ratio is None else f"{ratio:+.1%}"


def rank(value: int | None) -> str:
    return DASH if value is None else str(value)
