"""Originality (抄袭 / 洗稿 / 转载): earlier near-duplicates of a post, found in the shared index.

The index (`context.resource("near_duplicates")`, a `NearDuplicateIndex`) returns documents
published before this one that share an LSH band with its body's MinHash signature, with their
similarity. Against the most similar earlier document of another account (the earliest of those
nearly as similar: who copied whom is decided by publish time):
- near-duplicate (estimated Jaccard ≥ 0.6) and the post declares itself original:
  `originality.declared_original_copy` (high);
- near-duplicate naming no source, or only sources that are not the earlier publisher:
  `originality.unattributed_reprint` (high when near-identical, ≥ 0.85, else medium);
- near-duplicate or rewrite that credits its source: `originality.reprint` (info: counted, not
  queued);
- rewritten copy (洗稿: Jaccard 0.3–0.6 with most of the earlier text's shingles reused):
  `originality.rewrite` (medium).
Without an index only what needs no corpus is checked: a post declared original that itself
says it is reprinted (`originality.declared_original_reprint`, medium).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from mediamatrix.engines.dedup import Candidate, DedupParams, Signature, signature_of

from ..model import Document, Finding, finding_at
from ..registry import Check, Context, register
from .source import Mention, credited_names, mentions, names_match, whitelisted

NEAR_SIMILARITY = 0.6
IDENTICAL_SIMILARITY = 0.85
REWRITE_SIMILARITY = 0.3
REWRITE_CONTAINMENT = 0.45  # the share of the earlier text's shingles a rewrite keeps
ORIGIN_MARGIN = 0.1  # earlier documents this close to the best match compete on publish time
LOOKUP_LIMIT = 10


@lru_cache(maxsize=32)
def _signature(text: str, params: DedupParams) -> Signature:
    return signature_of(text, params, normalized=True)


def document_signature(doc: Document, params: DedupParams) -> Signature:
    """The signature of a document's body (cached: the source check may ask again)."""
    return _signature(doc.body_norm.text, params)


def earlier_copies(
    doc: Document, context: Context, min_similarity: float = REWRITE_SIMILARITY
) -> list[Candidate]:
    """Earlier near-duplicates from other accounts, most similar first ([] without an index)."""
    index = context.resource("near_duplicates")
    if index is None:
        return []
    signature = document_signature(doc, index.params)
    if not signature.indexable:
        return []
    found: Sequence[Candidate] = index.find_earlier(
        signature,
        document_id=doc.document_id,
        published_at=doc.published_at,
        min_similarity=min_similarity,
        limit=LOOKUP_LIMIT,
    )
    return [c for c in found if not (doc.account and c.account == doc.account)]


def origin(pool: Sequence[Candidate]) -> Candidate:
    """The earliest of the documents nearly as similar as the best: the likely original."""
    best = max(c.similarity for c in pool)
    close = [c for c in pool if c.similarity >= best - ORIGIN_MARGIN]
    return min(close, key=lambda c: (c.published_at is None, c.published_at, -c.similarity))


def credits_source(names: list[str], pool: Sequence[Candidate], context: Context) -> bool:
    """Whether the post credits where it comes from.

    When the index knows the earlier publishers' names, a named source must be one of them (or
    what they credited, or a listed news organisation: the likely first source of wire copy);
    a copy signed with its own account's name credits nobody. Otherwise any named source counts.
    """
    if not names:
        return False
    known = [n for c in pool for n in (c.account_name, c.declared_source) if n]
    if not known:
        return True
    return any(
        whitelisted(name, context) or any(names_match(name, k) for k in known) for name in names
    )


def _when(candidate: Candidate) -> str:
    return candidate.published_at.strftime("%Y-%m-%d %H:%M") if candidate.published_at else ""


def _evidence(first: Candidate, pool: Sequence[Candidate], names: list[str]) -> dict[str, Any]:
    return {
        "document_id": first.document_id,
        "account": first.account,
        "account_name": first.account_name,
        "title": first.title,
        "published_at": first.published_at.isoformat() if first.published_at else None,
        "similarity": round(first.similarity, 3),
        "containment": round(first.containment, 3),
        "exact": first.exact,
        "declared_original": first.declared_original,
        "declared_source": first.declared_source,
        "earlier_copies": len(pool),
        "named_sources": names,
    }


@register
class OriginalityCheck(Check):
    name = "originality"
    version = "originality-1"
    categories = ("originality",)
    title = "原创与转载"
    title_en = "Originality and reprints"

    def run(self, doc: Document, context: Context) -> list[Finding]:
        found = mentions(doc, context)
        names = credited_names(found, context)
        findings = list(self._against_index(doc, context, names))
        if doc.declared_original and all(f.severity == "info" for f in findings):
            findings.extend(self._self_contradiction(doc, found))
        return findings

    def _against_index(
        self, doc: Document, context: Context, names: list[str]
    ) -> Iterator[Finding]:
        candidates = earlier_copies(doc, context)
        copies = [c for c in candidates if c.similarity >= NEAR_SIMILARITY]
        rewrites = [
            c
            for c in candidates
            if c.similarity < NEAR_SIMILARITY and c.containment >= REWRITE_CONTAINMENT
        ]
        pool = copies or rewrites
        if not pool:
            return
        first = origin(pool)
        evidence = _evidence(first, pool, names)
        whose = f"《{first.title}》（{first.account_name or first.account}，{_when(first)}）"
        similarity = f"{first.similarity:.0%}"
        body = len(doc.body_norm.text)

        def at(rule: str, severity: Any, score: float, message: str, message_en: str) -> Finding:
            return finding_at(
                doc,
                "body",
                0,
                body,
                rule=rule,
                category="originality",
                severity=severity,
                score=score,
                message=message,
                message_en=message_en,
                evidence=evidence,
            )

        if copies and doc.declared_original:
            yield at(
                "originality.declared_original_copy",
                "high",
                first.similarity,
                f"声明原创，但与更早发布的{whose}高度相似（相似度 {similarity}）",
                f"Declared original, but {similarity} similar to an earlier post by another account",
            )
        elif credits_source(names, pool, context):
            kind = "转载" if copies else "改编转载"
            yield at(
                "originality.reprint",
                "info",
                first.similarity,
                f"{kind}{whose}，已注明来源“{'、'.join(names)}”（相似度 {similarity}）",
                f"Reprint of an earlier post ({similarity} similar), crediting {', '.join(names)}",
            )
        elif copies:
            near_identical = first.similarity >= IDENTICAL_SIMILARITY and not names
            yield at(
                "originality.unattributed_reprint",
                "high" if near_identical else "medium",
                first.similarity,
                f"转载{whose}未注明来源（相似度 {similarity}）",
                f"Reprint of an earlier post by another account ({similarity} similar) "
                "that does not name its source",
            )
        else:
            claim = "，且声明原创" if doc.declared_original else ""
            yield at(
                "originality.rewrite",
                "medium",
                first.containment,
                f"疑似洗稿：改写自{whose}，沿用其约 {first.containment:.0%} 的内容{claim}",
                f"Looks like a rewrite of an earlier post by another account, reusing about "
                f"{first.containment:.0%} of it",
            )

    def _self_contradiction(self, doc: Document, found: list[Mention]) -> Iterator[Finding]:
        sign = next((m for m in found if m.shows_reprint), None)
        if sign is None:
            return
        what = f"“{sign.name}”" if sign.name else f"“{sign.marker}”"
        fields: dict[str, Any] = {
            "rule": "originality.declared_original_reprint",
            "category": "originality",
            "severity": "medium",
            "score": 0.7,
            "message": f"声明原创，但稿件注明转载自{what}",
            "message_en": f"Declared original, but the post says it is reprinted ({what})",
            "evidence": {"kind": sign.kind, "source": sign.name, "marker": sign.marker},
        }
        if sign.kind == "declared":
            yield finding_at(doc, "title", 0, len(doc.title_norm.text), **fields)
        else:
            yield finding_at(doc, sign.field, sign.start, sign.end, **fields)
