"""The near-duplicate engine's parameters, in one frozen value stamped with the engine version.

Signatures and band keys computed under different parameters are incomparable, so stored indexes
record `version` and are rebuilt when it changes.
"""

from __future__ import annotations

from dataclasses import dataclass

ENGINE_VERSION = "dedup-1"


@dataclass(frozen=True)
class DedupParams:
    """MinHash over character shingles, banded for LSH.

    - `shingle_size`: characters per shingle, over the normalised text with everything but letters
      and digits removed (so punctuation, spacing and layout changes do not matter);
    - `num_perm`: MinHash values per signature (the estimate's standard error is about
      sqrt(J(1-J)/num_perm): 0.044 at J = 0.5 for 128);
    - `bands` × `rows`: the LSH banding; a pair with Jaccard s becomes a candidate with probability
      1 - (1 - s**rows)**bands (docs/checks/originality-and-source.md has the curve);
    - `min_shingles`: shorter texts are neither indexed nor looked up (a handful of shingles
      says nothing about copying, and empty texts would all collide);
    - `seed`: where the hash functions' coefficients come from.
    """

    version: str = ENGINE_VERSION
    shingle_size: int = 5
    num_perm: int = 128
    bands: int = 42
    rows: int = 3
    min_shingles: int = 20
    seed: int = 20261123

    def __post_init__(self) -> None:
        if self.shingle_size < 1 or self.num_perm < 1 or self.bands < 1 or self.rows < 1:
            raise ValueError("shingle_size, num_perm, bands and rows must be positive")
        if self.bands * self.rows > self.num_perm:
            raise ValueError("bands × rows must not exceed num_perm")

    def candidate_probability(self, jaccard: float) -> float:
        """The chance that a pair with this Jaccard similarity shares at least one band."""
        return float(1.0 - (1.0 - jaccard**self.rows) ** self.bands)

    @property
    def threshold(self) -> float:
        """The Jaccard similarity where the S-curve is steepest, about (1/bands)**(1/rows)."""
        return float((1.0 / self.bands) ** (1.0 / self.rows))


DEFAULT_PARAMS = DedupParams()
