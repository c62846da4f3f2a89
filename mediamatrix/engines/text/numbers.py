"""Counts as platforms and people write them: ``12,000``, ``1.2万``, ``10万+``, ``1.5亿``.

Back-end exports round large numbers (WeChat shows ``10万+`` for anything above 100,000) and
mark missing values with ``--``. ``parse_count`` turns such text into an int, or None for "no
value"; anything else raises ``CountError`` whose ``code`` lets an interface word its own message.
"""

import re
import unicodedata
from decimal import Decimal

MAX_COUNT = 10**15
# Text that means "no value" in exports: an empty cell or a dash placeholder.
EMPTY_MARKS = frozenset({"", "-", "--", "—", "——", "/"})

_COUNT = re.compile(r"^(\d+(?:\.\d+)?)(万|w|亿|千|k)?(\+)?$")
_MULTIPLIERS = {"": 1, "千": 1000, "k": 1000, "万": 10_000, "w": 10_000, "亿": 100_000_000}


class CountError(ValueError):
    """Text that is not a count. ``code``: ``format``, ``negative``, ``fraction`` or ``too_large``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _fold(text: str) -> str:
    """Full-width digits and letters to half width, lower case, no spaces or thousands commas."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(folded.split()).replace(",", "")


def parse_count(text: str) -> int | None:
    """A non-negative whole number, or None for an empty cell or a ``--`` placeholder.

    A unit multiplies (``1.2万`` is 12000; decimals beyond the unit's precision are dropped); a
    trailing ``+`` means "more than", so one is added: ``10万+`` is 100001 and sorts above an
    exact ``10万``, the convention of the indices built on these figures.
    """
    if text.isdigit() and text.isascii():  # the common case, without the pattern
        value = int(text)
        if value > MAX_COUNT:
            raise CountError("too_large", f"数字过大：{text}")
        return value
    folded = _fold(text)
    if folded in EMPTY_MARKS:
        return None
    match = _COUNT.match(folded)
    if match is None:
        if folded.startswith("-") and _COUNT.match(folded[1:]):
            raise CountError("negative", f"不能为负数：{text}")
        raise CountError("format", f"不是有效的数字：{text}")
    digits, unit, plus = match.groups()
    number = Decimal(digits) * _MULTIPLIERS[unit or ""]
    if not unit and number != number.to_integral_value():
        raise CountError("fraction", f"应为整数：{text}")
    value = int(number) + (1 if plus else 0)
    if value > MAX_COUNT:
        raise CountError("too_large", f"数字过大：{text}")
    return value
