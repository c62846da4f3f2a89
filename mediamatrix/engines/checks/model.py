"""What checks read and what they return: plain data, no Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal

from mediamatrix.engines.text import NormalizedText, normalize

Severity = Literal["info", "low", "medium", "high"]
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high")
# The categories scripts depend on (`mediamatrix check --json`): stable, add only.
CATEGORIES = (
    "clickbait",
    "vulgar",
    "typo",
    "term",
    "number",
    "punctuation",
    "originality",
    "source",
    "rumour",
)
Field = Literal["title", "body"]


@dataclass(frozen=True)
class Document:
    """A post or draft as the checks see it. `body` is plain text (or HTML with `html=True`)."""

    title: str = ""
    body: str = ""
    html: bool = False
    declared_original: bool | None = None
    declared_source: str = ""
    author: str = ""
    url: str = ""
    account: str = ""  # an opaque key of the publishing account ("" when unknown)
    published_at: datetime | None = None
    document_id: str = ""  # an opaque key of this document, so indexes can skip itself

    @cached_property
    def title_norm(self) -> NormalizedText:
        return normalize(self.title)

    @cached_property
    def body_norm(self) -> NormalizedText:
        return normalize(self.body, html=self.html)

    def norm(self, which: Field) -> NormalizedText:
        return self.title_norm if which == "title" else self.body_norm

    def original(self, which: Field) -> str:
        return self.title if which == "title" else self.body


@dataclass(frozen=True)
class Finding:
    """One problem found: where (a span of the original field), what, how sure, and why."""

    rule: str  # "typo.confusable": check name, a dot, the rule within the check
    category: str  # one of CATEGORIES
    severity: Severity
    score: float  # 0–1: how sure the check is
    field: Field
    start: int  # in the original text of the field (HTML markup for HTML bodies)
    end: int
    excerpt: str  # the original text of the span
    message: str  # Chinese, for reviewers and the affected unit
    message_en: str
    suggestion: str = ""  # a replacement, where the check has one
    evidence: Mapping[str, Any] = dataclass_field(default_factory=lambda: MappingProxyType({}))
    version: str = ""  # the check's version (filled by the runner)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "score": round(self.score, 4),
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "excerpt": self.excerpt,
            "message": self.message,
            "message_en": self.message_en,
            "suggestion": self.suggestion,
            "evidence": dict(self.evidence),
            "version": self.version,
        }


def finding_at(
    doc: Document,
    which: Field,
    start: int,
    end: int,
    **fields: Any,
) -> Finding:
    """A finding for `norm(which).text[start:end]`, its span mapped back to the original text."""
    norm = doc.norm(which)
    if norm.text and end > start:
        o_start, o_end = norm.original_span(start, end)
    else:
        o_start = o_end = 0
    original = doc.original(which)
    return Finding(field=which, start=o_start, end=o_end, excerpt=original[o_start:o_end], **fields)


@dataclass(frozen=True)
class CheckReport:
    findings: tuple[Finding, ...]
    versions: Mapping[str, str]  # check name → version, for every check that ran
    errors: Mapping[str, str] = dataclass_field(default_factory=lambda: MappingProxyType({}))
