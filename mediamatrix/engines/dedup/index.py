"""What a near-duplicate index offers the checks, and an in-memory one for the CLI and tests.

The database-backed index (`mediamatrix.review.dedup`) implements the same protocol, so every
worker shares one index; checks only ever see `NearDuplicateIndex`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from .minhash import Signature
from .params import DEFAULT_PARAMS, DedupParams
from .shingles import exact_containment, exact_jaccard


@dataclass(frozen=True)
class IndexedDocument:
    """A document as an index stores it: its key, signature and what the checks cite."""

    document_id: str
    signature: Signature
    account: str = ""  # an opaque key of the publishing account
    account_name: str = ""
    published_at: datetime | None = None
    declared_original: bool | None = None
    declared_source: str = ""
    title: str = ""


@dataclass(frozen=True)
class Candidate:
    """An earlier document similar to the one looked up."""

    document_id: str
    account: str
    published_at: datetime | None
    declared_original: bool | None
    declared_source: str
    title: str
    similarity: float  # Jaccard similarity of the shingle sets: estimated, or exact if `exact`
    containment: float  # the share of the earlier text's shingles found in the looked-up text
    exact: bool = False
    account_name: str = ""


class NearDuplicateIndex(Protocol):
    """Finds earlier near-duplicates of a signature (made with the index's `params`)."""

    @property
    def params(self) -> DedupParams: ...

    def find_earlier(
        self,
        signature: Signature,
        *,
        document_id: str = "",
        published_at: datetime | None = None,
        min_similarity: float = 0.3,
        limit: int = 10,
    ) -> Sequence[Candidate]:
        """Documents sharing a band with `signature`, published before `published_at` (any time
        when None), other than `document_id`, at least `min_similarity` similar; most similar
        first, then earliest."""
        ...


def is_earlier(candidate: datetime | None, reference: datetime | None) -> bool:
    """Only documents published strictly before the one looked up can be its original."""
    if reference is None:
        return True
    return candidate is not None and candidate < reference


def candidate_from(stored: IndexedDocument, query: Signature) -> Candidate:
    """The stored document as a candidate for `query`: exact figures when both kept shingles."""
    earlier = stored.signature
    if query.hashes is not None and earlier.hashes is not None:
        similarity = exact_jaccard(query.hashes, earlier.hashes)
        containment = exact_containment(earlier.hashes, query.hashes)
        exact = True
    else:
        similarity = query.jaccard(earlier)
        containment = query.containment_of(earlier, similarity)
        exact = False
    return Candidate(
        document_id=stored.document_id,
        account=stored.account,
        published_at=stored.published_at,
        declared_original=stored.declared_original,
        declared_source=stored.declared_source,
        title=stored.title,
        similarity=similarity,
        containment=containment,
        exact=exact,
        account_name=stored.account_name,
    )


def ranked(candidates: Iterable[Candidate], min_similarity: float, limit: int) -> list[Candidate]:
    kept = [c for c in candidates if c.similarity >= min_similarity]
    kept.sort(key=lambda c: (-c.similarity, c.published_at or datetime.min, c.document_id))
    return kept[:limit]


class MemoryIndex:
    """An in-process index: band key → document ids. Re-adding a document replaces it."""

    def __init__(self, params: DedupParams = DEFAULT_PARAMS) -> None:
        self._params = params
        self._documents: dict[str, IndexedDocument] = {}
        self._buckets: dict[int, set[str]] = defaultdict(set)

    @property
    def params(self) -> DedupParams:
        return self._params

    def __len__(self) -> int:
        return len(self._documents)

    def add(self, document: IndexedDocument) -> bool:
        """Index a document (replacing an earlier version); False when too short to index."""
        self.remove(document.document_id)
        signature = document.signature
        if signature.params != self._params:
            raise ValueError("the signature was made with other parameters than the index's")
        if not signature.indexable:
            return False
        self._documents[document.document_id] = document
        for key in signature.band_keys():
            self._buckets[key].add(document.document_id)
        return True

    def remove(self, document_id: str) -> None:
        old = self._documents.pop(document_id, None)
        if old is None:
            return
        for key in old.signature.band_keys():
            bucket = self._buckets[key]
            bucket.discard(document_id)
            if not bucket:
                del self._buckets[key]

    def candidate_ids(self, signature: Signature) -> set[str]:
        """Every indexed document sharing at least one band key with `signature`."""
        found: set[str] = set()
        for key in signature.band_keys():
            found |= self._buckets.get(key, set())
        return found

    def find_earlier(
        self,
        signature: Signature,
        *,
        document_id: str = "",
        published_at: datetime | None = None,
        min_similarity: float = 0.3,
        limit: int = 10,
    ) -> list[Candidate]:
        if not signature.indexable:
            return []
        stored = (self._documents[i] for i in self.candidate_ids(signature) if i != document_id)
        earlier = (d for d in stored if is_earlier(d.published_at, published_at))
        return ranked((candidate_from(d, signature) for d in earlier), min_similarity, limit)
