"""LSH banding: a signature cut into `bands` runs of `rows` values, each run hashed to one key.

Two texts become candidates when any band key is equal. The band number is mixed into the key,
so one 64-bit integer column (and one index) holds every band; keys are signed so that they fit
SQL BIGINT.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt

from .params import DedupParams
from .shingles import mix64, splitmix64

_ROW_MULTIPLIER = np.uint64(0x9FB21C651E98DF25)


@cache
def _band_seeds(params: DedupParams) -> npt.NDArray[np.uint64]:
    seeds = np.array(splitmix64(params.seed ^ 0x5BD1E995, params.bands), dtype=np.uint64)
    seeds.flags.writeable = False
    return seeds


def band_keys(values: npt.NDArray[np.uint32], params: DedupParams) -> npt.NDArray[np.int64]:
    """One signed 64-bit key per band: shape (bands,) for a signature, (n, bands) for n of them."""
    width = params.bands * params.rows
    table = values[..., :width].reshape(*values.shape[:-1], params.bands, params.rows)
    keys = np.broadcast_to(_band_seeds(params), table.shape[:-1]).copy()
    with np.errstate(over="ignore"):
        for row in range(params.rows):
            keys ^= table[..., row].astype(np.uint64)
            keys *= _ROW_MULTIPLIER
            keys ^= keys >> np.uint64(29)
        mix64(keys)
    return keys.view(np.int64)
