"""The near-duplicate index in the database: one index every worker shares.

`DatabaseIndex` implements the engine's `NearDuplicateIndex`: `add`/`add_many` store documents'
signatures and band keys (re-adding a document replaces its rows), `find_earlier` looks up a
signature's band keys in one query and verifies the candidates on their stored signatures.
Posts are indexed under `str(post.pk)` with `str(account_id)` as the account key, the keys
`post_document` gives the checks, so a post never matches itself or its own account.

Wiring (the check pipeline): `register_resource("near_duplicates", near_duplicate_index)` and,
after checking new or rewritten posts, `index_posts(posts)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import numpy as np
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from mediamatrix.engines.dedup import (
    DEFAULT_PARAMS,
    Candidate,
    DedupParams,
    Signature,
    ranked,
    signature_of,
)
from mediamatrix.engines.text import html_to_text
from mediamatrix.ingestion.models import Post
from mediamatrix.orgs.models import Account
from mediamatrix.review.models_dedup import DedupBand, DedupSignature

BATCH = 1000
MAX_ROWS = 500  # candidates read per lookup: the earliest, if a text was copied more often


@dataclass(frozen=True)
class Entry:
    """One document to index."""

    document_key: str
    signature: Signature
    published_at: datetime
    account_id: int | None = None
    declared_original: bool | None = None
    declared_source: str = ""
    title: str = ""


class DatabaseIndex:
    """The shared index on the default (or named) database."""

    def __init__(self, params: DedupParams = DEFAULT_PARAMS, *, using: str = DEFAULT_DB_ALIAS):
        self._params = params
        self.using = using

    @property
    def params(self) -> DedupParams:
        return self._params

    def add(self, entry: Entry) -> bool:
        """Index one document, replacing its earlier rows; False when too short to index."""
        return self.add_many([entry]) == 1

    def add_many(self, entries: Iterable[Entry]) -> int:
        """Index documents in batches, each replacing its earlier rows; returns how many indexed."""
        indexed = 0
        batch: dict[str, Entry] = {}
        for entry in entries:
            batch[entry.document_key] = entry  # the last version of a key wins
            if len(batch) >= BATCH:
                indexed += self._write(list(batch.values()))
                batch = {}
        if batch:
            indexed += self._write(list(batch.values()))
        return indexed

    def remove(self, document_keys: Iterable[str]) -> int:
        """Drop documents from the index; returns how many were there."""
        with transaction.atomic(using=self.using):
            return self._delete(list(document_keys))

    def _write(self, entries: list[Entry]) -> int:
        for entry in entries:
            if entry.signature.params != self._params:
                raise ValueError("the signature was made with other parameters than the index's")
        keep = [e for e in entries if e.signature.indexable]
        with transaction.atomic(using=self.using):
            self._delete([e.document_key for e in entries])
            now = timezone.now()
            rows = DedupSignature.objects.using(self.using).bulk_create(
                [self._signature_row(e, now) for e in keep], batch_size=BATCH
            )
            bands = [
                DedupBand(key=key, signature_id=row.pk)
                for row, entry in zip(rows, keep, strict=True)
                for key in entry.signature.band_keys()
            ]
            DedupBand.objects.using(self.using).bulk_create(bands, batch_size=5 * BATCH)
        return len(keep)

    def _signature_row(self, entry: Entry, now: datetime) -> DedupSignature:
        return DedupSignature(
            document_key=entry.document_key,
            account_id=entry.account_id,
            published_at=entry.published_at,
            declared_original=entry.declared_original,
            declared_source=entry.declared_source[:200],
            title=entry.title[:500],
            shingles=entry.signature.shingles,
            signature=entry.signature.to_bytes(),
            engine_version=self._params.version,
            indexed_at=now,
        )

    def _delete(self, document_keys: list[str]) -> int:
        """Delete documents' band rows (found by their keys: the table's index) and signatures."""
        old = list(
            DedupSignature.objects.using(self.using)
            .filter(document_key__in=document_keys)
            .values_list("pk", "signature", "shingles", "engine_version")
        )
        if not old:
            return 0
        pairs: list[tuple[int, int]] = []
        stale: list[int] = []
        for pk, data, shingles, version in old:
            if version != self._params.version:
                stale.append(pk)
                continue
            signature = Signature.from_bytes(bytes(data), shingles, self._params)
            pairs.extend((key, pk) for key in signature.band_keys())
        bands = DedupBand.objects.using(self.using)
        for start in range(0, len(pairs), BATCH):
            bands.filter(pk__in=pairs[start : start + BATCH]).delete()
        if stale:  # made under other parameters: their keys are unknown, scan for them
            bands.filter(signature_id__in=stale).delete()
        DedupSignature.objects.using(self.using).filter(pk__in=[row[0] for row in old]).delete()
        return len(old)

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
        rows = self._candidate_rows(signature, document_id, published_at)
        if not rows:
            return []
        width = self._params.num_perm
        stored = np.frombuffer(b"".join(bytes(row[_SIGNATURE]) for row in rows), dtype="<u4")
        equal = np.count_nonzero(stored.reshape(len(rows), width) == signature.values, axis=1)
        convert = _datetime_converter(connections[self.using])
        return ranked(
            (
                _candidate(row, count / width, signature, convert)
                for row, count in zip(rows, equal.tolist(), strict=True)
                if count / width >= min_similarity
            ),
            min_similarity,
            limit,
        )

    def _candidate_rows(
        self, signature: Signature, document_id: str, published_at: datetime | None
    ) -> list[tuple[Any, ...]]:
        """One query: the signatures sharing a band key, earlier and other than the document.

        Written as SQL returning plain rows: the ORM would spend longer building the statement
        and the model instances than the database spends answering (the band lookup reads only
        the band table's primary key index).
        """
        connection = connections[self.using]
        keys = signature.band_keys()
        params: list[Any] = [*keys, self._params.version, document_id]
        earlier = ""
        if published_at is not None:
            earlier = "AND s.published_at < %s"
            params.append(connection.ops.adapt_datetimefield_value(published_at))
        sql = _LOOKUP.format(keys=", ".join(["%s"] * len(keys)), earlier=earlier)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, MAX_ROWS])
            return list(cursor.fetchall())


_LOOKUP = (
    "SELECT s.document_key, s.account_id, a.name, s.published_at, s.declared_original, "
    "s.declared_source, s.title, s.shingles, s.signature "
    f"FROM {DedupSignature._meta.db_table} s "
    f"LEFT JOIN {Account._meta.db_table} a ON a.id = s.account_id "
    f"WHERE s.id IN (SELECT b.signature_id FROM {DedupBand._meta.db_table} b "
    "WHERE b.key IN ({keys})) "
    "AND s.engine_version = %s AND s.document_key <> %s {earlier} "
    "ORDER BY s.published_at, s.id LIMIT %s"
)
_SIGNATURE = 8


def _datetime_converter(connection: Any) -> Callable[[Any], datetime]:
    """What the ORM would do to a `published_at` value read by this connection."""
    field = DedupSignature._meta.get_field("published_at")
    column = field.get_col(DedupSignature._meta.db_table)
    converters = [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)]

    def convert(value: Any) -> datetime:
        for converter in converters:
            value = converter(value, column, connection)
        return cast(datetime, value)

    return convert


def _candidate(
    row: tuple[Any, ...], jaccard: float, query: Signature, convert: Callable[[Any], datetime]
) -> Candidate:
    key, account_id, account_name, published_at, original, source, title, shingles, _ = row
    # The share of the earlier text's shingles in the query: |A∩B| = J(|A|+|B|)/(1+J).
    common = jaccard * (query.shingles + shingles) / (1.0 + jaccard)
    return Candidate(
        document_id=key,
        account=str(account_id) if account_id is not None else "",
        account_name=account_name or "",
        published_at=convert(published_at),
        declared_original=None if original is None else bool(original),
        declared_source=source,
        title=title,
        similarity=jaccard,
        containment=min(1.0, common / shingles) if shingles else 0.0,
    )


_index: DatabaseIndex | None = None


def near_duplicate_index() -> DatabaseIndex:
    """The process's index on the default database (a factory for the check context)."""
    global _index
    if _index is None:
        _index = DatabaseIndex()
    return _index


def post_key(post: Post) -> str:
    """The key a post is indexed under: the `document_id` the checks see for it."""
    return str(post.pk)


def post_entry(post: Post, params: DedupParams = DEFAULT_PARAMS) -> Entry:
    """A post's entry: the signature of its body as plain text."""
    text = html_to_text(post.body_html)[0] if post.body_html else post.body_text
    return Entry(
        document_key=post_key(post),
        signature=signature_of(text, params),
        published_at=post.published_at,
        account_id=post.account_id,
        declared_original=post.is_original,
        declared_source=post.declared_source,
        title=post.title,
    )


def index_posts(posts: Iterable[Post], index: Any = None) -> int:
    """Index (or re-index) posts; returns how many were long enough to index."""
    target: DatabaseIndex = index or near_duplicate_index()
    return target.add_many(post_entry(post, target.params) for post in posts)
