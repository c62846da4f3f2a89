"""Full-width to half-width folding.

Folding maps one character to one character, so it never disturbs offsets.
"""

from __future__ import annotations

from functools import cache

_FULLWIDTH_FIRST = 0xFF01  # ！, the full-width twin of "!"
_FULLWIDTH_LAST = 0xFF5E  # ～, the full-width twin of "~"
_FULLWIDTH_SHIFT = 0xFF01 - 0x21
IDEOGRAPHIC_SPACE = "\u3000"

# Full-width marks that Chinese text uses as its own punctuation; folding them would turn
# "你好，世界！" into "你好,世界!", which is a different (and wrong) house style.
CHINESE_PUNCTUATION = frozenset("！（），：；？")


@cache
def _table(fold_punctuation: bool) -> dict[int, str]:
    table = {ord(IDEOGRAPHIC_SPACE): " "}
    for code in range(_FULLWIDTH_FIRST, _FULLWIDTH_LAST + 1):
        if fold_punctuation or chr(code) not in CHINESE_PUNCTUATION:
            table[code] = chr(code - _FULLWIDTH_SHIFT)
    return table


def fold_width(text: str, *, fold_punctuation: bool = False) -> str:
    """Fold full-width ASCII letters, digits and symbols and the ideographic space.

    Chinese punctuation (``！（），：；？``) stays full-width unless ``fold_punctuation``.
    """
    return text.translate(_table(fold_punctuation))
