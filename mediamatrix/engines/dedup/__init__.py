"""Near-duplicate detection: character shingles, MinHash signatures, LSH banding.

`signature_of(text)` turns a text into a `Signature`; indexes (`MemoryIndex` here, the
database-backed one in the review app) store signatures under their band keys and answer
`find_earlier(signature, ...)` with `Candidate`s: earlier documents and their similarity.
Parameters and the engine version live in one frozen `DedupParams`.
"""

from .index import (
    Candidate,
    IndexedDocument,
    MemoryIndex,
    NearDuplicateIndex,
    candidate_from,
    is_earlier,
    ranked,
)
from .lsh import band_keys
from .minhash import MinHasher, Signature, hasher, signature_of
from .params import DEFAULT_PARAMS, ENGINE_VERSION, DedupParams
from .shingles import canonical, exact_containment, exact_jaccard, shingle_hashes

__all__ = [
    "DEFAULT_PARAMS",
    "ENGINE_VERSION",
    "Candidate",
    "DedupParams",
    "IndexedDocument",
    "MemoryIndex",
    "MinHasher",
    "NearDuplicateIndex",
    "Signature",
    "band_keys",
    "candidate_from",
    "canonical",
    "exact_containment",
    "exact_jaccard",
    "hasher",
    "is_earlier",
    "ranked",
    "shingle_hashes",
    "signature_of",
]
