"""MinHash signatures: for each of `num_perm` hash functions, the least hash over the shingles.

The functions are h_i(x) = (a_i·x + b_i) mod 2**64 with odd random a_i, keeping the high 32 bits
(multiply-add-shift: a universal family that needs no division, so numpy does all of them for
all shingles as one matrix operation and one `min` along an axis). The high bits are taken after
the minimum: the shift is monotonic, so the minimum is the same and one pass is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from mediamatrix.engines.text import normalize

from .lsh import band_keys
from .params import DEFAULT_PARAMS, DedupParams
from .shingles import Hashes, shingle_hashes, splitmix64

Values = npt.NDArray[np.uint32]

_CHUNK = 2048  # shingles per matrix pass: bounds memory for very long texts
_EMPTY = np.uint32(0xFFFFFFFF)


@dataclass(frozen=True, eq=False)
class Signature:
    """A text's MinHash values, its number of distinct shingles, and the parameters used."""

    values: Values
    shingles: int
    params: DedupParams = DEFAULT_PARAMS
    hashes: Hashes | None = None  # the shingle hashes themselves, when the caller kept them

    @property
    def indexable(self) -> bool:
        """Long enough to be indexed and looked up (see `DedupParams.min_shingles`)."""
        return self.shingles >= self.params.min_shingles

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(
        cls, data: bytes, shingles: int, params: DedupParams = DEFAULT_PARAMS
    ) -> Signature:
        values = np.frombuffer(data, dtype="<u4").astype(np.uint32)
        if len(values) != params.num_perm:
            raise ValueError(f"a signature of {len(values)} values, expected {params.num_perm}")
        return cls(values, shingles, params)

    def band_keys(self) -> list[int]:
        """The LSH band keys as signed 64-bit integers (the band number is mixed in)."""
        return [int(key) for key in band_keys(self.values, self.params)]

    def jaccard(self, other: Signature) -> float:
        """The estimated Jaccard similarity: the share of equal MinHash values."""
        if self.params != other.params:
            raise ValueError("signatures made with different parameters")
        return float(np.count_nonzero(self.values == other.values)) / self.params.num_perm

    def containment_of(self, other: Signature, jaccard: float | None = None) -> float:
        """The estimated share of `other`'s shingles that this text also has.

        From J = |A∩B| / (|A| + |B| - |A∩B|): |A∩B| = J·(|A| + |B|) / (1 + J).
        """
        if other.shingles == 0:
            return 0.0
        j = self.jaccard(other) if jaccard is None else jaccard
        common = j * (self.shingles + other.shingles) / (1.0 + j)
        return min(1.0, common / other.shingles)


class MinHasher:
    """The hash functions of one parameter set; `hasher(params)` caches one per process."""

    def __init__(self, params: DedupParams = DEFAULT_PARAMS) -> None:
        self.params = params
        numbers = splitmix64(params.seed, 2 * params.num_perm)
        self._a = np.array([n | 1 for n in numbers[::2]], dtype=np.uint64)[:, None]
        self._b = np.array(numbers[1::2], dtype=np.uint64)[:, None]

    def values(self, hashes: Hashes) -> Values:
        """The MinHash values of a set of shingle hashes (all 0xFFFFFFFF for an empty set)."""
        if len(hashes) == 0:
            return np.full(self.params.num_perm, _EMPTY, dtype=np.uint32)
        best: npt.NDArray[np.uint64] | None = None
        with np.errstate(over="ignore"):
            for start in range(0, len(hashes), _CHUNK):
                chunk = hashes[start : start + _CHUNK]
                matrix = self._a * chunk  # (num_perm, shingles), wrapping mod 2**64
                matrix += self._b
                low = matrix.min(axis=1)
                best = low if best is None else np.minimum(best, low)
        assert best is not None
        return (best >> np.uint64(32)).astype(np.uint32)

    def sign(self, text: str, *, keep_hashes: bool = False) -> Signature:
        """The signature of already normalised text."""
        hashes = shingle_hashes(text, self.params.shingle_size)
        values = self.values(hashes)
        values.flags.writeable = False
        return Signature(values, len(hashes), self.params, hashes if keep_hashes else None)


@cache
def hasher(params: DedupParams = DEFAULT_PARAMS) -> MinHasher:
    return MinHasher(params)


def signature_of(
    text: str,
    params: DedupParams = DEFAULT_PARAMS,
    *,
    normalized: bool = False,
    html: bool = False,
    keep_hashes: bool = False,
) -> Signature:
    """The signature of a text; pass `normalized=True` for text from the text normaliser.

    Raw text is normalised first (traditional → simplified, widths folded, HTML rendered), so a
    traditional-script copy has the signature of its simplified original.
    """
    if not normalized:
        text = normalize(text, html=html).text
    return hasher(params).sign(text, keep_hashes=keep_hashes)
