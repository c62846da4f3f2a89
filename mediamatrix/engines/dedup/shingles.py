"""Character shingles of normalised text, hashed to 64-bit integers in a few numpy passes.

A shingle is `size` consecutive letters or digits of the text with everything else removed, so
a copy that only changes punctuation, spacing, line breaks or letter case has the same shingles;
traditional characters are already simplified by the text normaliser. Hashes are a polynomial
over the code points followed by the splitmix64 finaliser: defined here, stable across
platforms and numpy versions (stored signatures depend on it).
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

Hashes = npt.NDArray[np.uint64]

_NOT_WORD = re.compile(r"[\W_]+")
_MULTIPLIER = np.uint64(0x100000001B3)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_MASK64 = (1 << 64) - 1


def canonical(text: str) -> str:
    """The characters shingles are taken from: letters and digits only, lower case."""
    return _NOT_WORD.sub("", text).lower()


def mix64(values: Hashes) -> Hashes:
    """splitmix64's finaliser, in place: spreads every input bit over the whole word."""
    values ^= values >> np.uint64(30)
    values *= _M1
    values ^= values >> np.uint64(27)
    values *= _M2
    values ^= values >> np.uint64(31)
    return values


def splitmix64(seed: int, count: int) -> list[int]:
    """`count` pseudo-random 64-bit integers from `seed` (pure Python, for coefficients)."""
    out = []
    state = seed & _MASK64
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & _MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        out.append(z ^ (z >> 31))
    return out


def shingle_hashes(text: str, size: int) -> Hashes:
    """The sorted, distinct 64-bit hashes of the canonical text's shingles (empty for no text).

    A text shorter than `size` is one shingle.
    """
    chars = canonical(text)
    if not chars:
        return np.empty(0, dtype=np.uint64)
    points = np.frombuffer(chars.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    count = max(1, len(points) - size + 1)
    if len(points) < size:
        points = np.concatenate([points, np.zeros(size - len(points), dtype=np.uint64)])
    with np.errstate(over="ignore"):
        hashes = points[:count].copy()
        for offset in range(1, size):
            hashes *= _MULTIPLIER
            hashes += points[offset : offset + count]
        mix64(hashes)
    hashes.sort()
    keep = np.empty(len(hashes), dtype=bool)
    keep[0] = True
    np.not_equal(hashes[1:], hashes[:-1], out=keep[1:])
    return hashes[keep]


def exact_jaccard(a: Hashes, b: Hashes) -> float:
    """|A ∩ B| / |A ∪ B| of two distinct-hash arrays (1.0 for two empty sets)."""
    if len(a) == 0 and len(b) == 0:
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def exact_containment(inner: Hashes, outer: Hashes) -> float:
    """|inner ∩ outer| / |inner|: how much of `inner` is found in `outer`."""
    if len(inner) == 0:
        return 0.0
    return len(np.intersect1d(inner, outer, assume_unique=True)) / len(inner)
