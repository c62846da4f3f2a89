"""Clickbait headlines (标题党): an exaggerated headline whose content differs from it.

The headline score adds up explainable features (shock words, bait to share, withheld facts,
absolute claims, hype numbers, stacked punctuation …), each counted once at its strongest match,
with points and reasons from the data files `clickbait_features.txt`, `clickbait_phrases.txt` and
`clickbait_patterns.txt`. When the headline shows at least one such feature, the title–body
mismatch adds points: the share of the title's content terms missing from the body's lead, and
numbers or superlatives the title claims that the body never states. A finding is made when the
sum reaches `THRESHOLD`; its severity follows the score. A title that shares almost nothing with
its whole body is reported on its own (`clickbait.unrelated`): it is a wrong pairing or a bait
headline, whatever its wording.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..context import lexicon_of
from ..model import Document, Finding, Severity, finding_at
from ..registry import Check, Context, register

logger = logging.getLogger(__name__)

THRESHOLD = 0.15  # headline + mismatch points for a finding: any one clickbait device
# One weak device is a hint for the editor (info, not queued); devices that add up reach review.
SEVERITY_CUTS: tuple[tuple[float, Severity], ...] = (
    (0.75, "high"),
    (0.5, "medium"),
    (0.3, "low"),
    (0.0, "info"),
)
LEAD_CHARS = 500  # the body's opening, where a headline's promise should be kept
MIN_BODY_CHARS = 80  # shorter bodies (captions, video posts) say too little to compare
MIN_TITLE_TERMS = 3
MISMATCH_FROM = 0.5  # lead overlap below this adds points, up to MISMATCH_POINTS at 0
MISMATCH_POINTS = 0.3
MISSING_CLAIM_POINTS = 0.1  # per number or superlative of the title absent from the body
MISSING_CLAIM_MAX = 0.2
UNRELATED_BELOW = 0.1  # whole-body overlap under this: the body is about something else
UNRELATED_SCORE = 0.6

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN_OR_NUMBER = re.compile(r"[a-z]{2,}|\d+(?:\.\d+)?")
# Function characters: a bigram holding one says little about what the title is about.
_STOP = frozenset("的了是在和与及就都也又还被把将等之其这那有为对从向着个吗呢吧啊")
_CLAIM_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
_SUPERLATIVE = re.compile(r"最[\u4e00-\u9fff]|史上|首次|第一|唯一")


@dataclass(frozen=True)
class Feature:
    name: str
    points: float
    reason: str
    reason_en: str


@dataclass(frozen=True)
class Hit:
    """One headline feature found at `title_norm[start:end]`."""

    feature: Feature
    match: str
    start: int
    end: int
    points: float


@dataclass(frozen=True)
class Mismatch:
    lead_overlap: float
    body_overlap: float
    terms: int
    missing_claims: tuple[str, ...]

    @property
    def unrelated(self) -> bool:
        return self.body_overlap < UNRELATED_BELOW

    def points(self) -> float:
        if self.unrelated:
            return 0.0  # reported as `clickbait.unrelated`, not as part of the headline score
        gap = max(0.0, MISMATCH_FROM - self.lead_overlap) / MISMATCH_FROM * MISMATCH_POINTS
        claims = min(MISSING_CLAIM_MAX, MISSING_CLAIM_POINTS * len(self.missing_claims))
        return round(gap + claims, 3)


@dataclass(frozen=True)
class Rules:
    features: dict[str, Feature]
    phrases: re.Pattern[str] | None
    phrase_points: dict[str, tuple[str, float]]
    patterns: tuple[tuple[str, re.Pattern[str], float], ...]

    def hits(self, title: str) -> list[Hit]:
        found: list[Hit] = []
        if self.phrases is not None:
            for match in self.phrases.finditer(title):
                phrase = match.group(1)
                name, points = self.phrase_points[phrase]
                start = match.start(1)
                found.append(Hit(self.features[name], phrase, start, start + len(phrase), points))
        for name, pattern, points in self.patterns:
            for match in pattern.finditer(title):
                if match.end() > match.start():
                    hit = Hit(self.features[name], match.group(), *match.span(), points)
                    found.append(hit)
        return [hit for hit in found if hit.points > 0]


@lru_cache(maxsize=8)
def compile_rules(
    feature_rows: tuple[tuple[str, ...], ...],
    phrase_rows: tuple[tuple[str, ...], ...],
    pattern_rows: tuple[tuple[str, ...], ...],
) -> Rules:
    """The three lists as one matcher; a later row for the same feature or phrase wins.

    A malformed row (bad number, unknown feature, bad regular expression) is skipped with a
    warning, so one slip in a deployment's file does not switch the whole check off.
    """
    features: dict[str, Feature] = {}
    for row in feature_rows:
        if (points := _number(row, 1)) is not None:
            reason = row[2] if len(row) > 2 else row[0]
            features[row[0]] = Feature(row[0], points, reason, row[3] if len(row) > 3 else row[0])
    phrase_points: dict[str, tuple[str, float]] = {}
    for row in phrase_rows:  # phrase, feature[, points]
        if len(row) > 1 and (points := _row_points(row, row[1], features)) is not None:
            phrase_points[row[0]] = (row[1], points)
    patterns: list[tuple[str, re.Pattern[str], float]] = []
    for row in pattern_rows:  # feature, expression[, points]
        if len(row) > 1 and (points := _row_points(row, row[0], features)) is not None:
            try:
                patterns.append((row[0], re.compile(row[1]), points))
            except re.error as error:
                logger.warning("clickbait pattern %r skipped: %s", row[1], error)
    active = [phrase for phrase, (_, points) in phrase_points.items() if points > 0]
    phrases = None
    if active:
        # A lookahead finds every start, so overlapping phrases of different features all count.
        ordered = sorted(active, key=len, reverse=True)
        phrases = re.compile("(?=(" + "|".join(map(re.escape, ordered)) + "))", re.IGNORECASE)
    return Rules(features, phrases, phrase_points, tuple(patterns))


def _number(row: tuple[str, ...], column: int) -> float | None:
    try:
        return float(row[column])
    except (IndexError, ValueError):
        logger.warning("clickbait list row %r skipped: no number in column %d", row, column + 1)
        return None


def _row_points(row: tuple[str, ...], feature: str, features: dict[str, Feature]) -> float | None:
    """A phrase or pattern row's points: its own (third column) or its feature's."""
    if feature not in features:
        logger.warning("clickbait list row %r skipped: unknown feature", row)
        return None
    if len(row) > 2 and row[2]:
        return _number(row, 2)
    return features[feature].points


def rules_for(context: Context) -> Rules:
    return compile_rules(
        lexicon_of(context, "clickbait_features.txt"),
        lexicon_of(context, "clickbait_phrases.txt"),
        lexicon_of(context, "clickbait_patterns.txt"),
    )


def strongest(hits: list[Hit]) -> list[Hit]:
    """Each feature once, at its strongest (then earliest) match, in title order."""
    best: dict[str, Hit] = {}
    for hit in sorted(hits, key=lambda h: (-h.points, h.start)):
        best.setdefault(hit.feature.name, hit)
    return sorted(best.values(), key=lambda h: (h.start, h.end))


def content_terms(text: str) -> set[str]:
    """Bigrams of Chinese runs (without function characters), Latin words and numbers."""
    terms = set(_LATIN_OR_NUMBER.findall(text.lower()))
    for run in _CJK_RUN.findall(text):
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if pair[0] not in _STOP and pair[1] not in _STOP:
                terms.add(pair)
    return terms


def mismatch(title: str, body: str) -> Mismatch | None:
    """How far the body's lead and whole text bear out the title; None when too short to say."""
    terms = content_terms(title)
    if len(terms) < MIN_TITLE_TERMS or len(body) < MIN_BODY_CHARS:
        return None
    lowered = body.lower()
    lead = lowered[:LEAD_CHARS]
    in_lead = sum(1 for term in terms if term in lead)
    in_body = sum(1 for term in terms if term in lowered)
    claims = [m.group() for m in _CLAIM_NUMBER.finditer(title) if len(m.group()) >= 2]
    claims += [m.group() for m in _SUPERLATIVE.finditer(title)]
    missing = tuple(dict.fromkeys(claim for claim in claims if claim.lower() not in lowered))
    return Mismatch(
        lead_overlap=round(in_lead / len(terms), 3),
        body_overlap=round(in_body / len(terms), 3),
        terms=len(terms),
        missing_claims=missing,
    )


def severity_of(score: float) -> Severity:
    return next(severity for cut, severity in SEVERITY_CUTS if score >= cut)


@dataclass(frozen=True)
class Assessment:
    """The headline's features, the mismatch (when measurable) and their combined score."""

    hits: list[Hit]
    mismatch: Mismatch | None

    @property
    def headline_points(self) -> float:
        return round(sum(hit.points for hit in self.hits), 3)

    @property
    def mismatch_points(self) -> float:
        # Content that differs only matters for a headline that exaggerates (the legal test).
        if not self.hits or self.mismatch is None:
            return 0.0
        return self.mismatch.points()

    @property
    def score(self) -> float:
        return min(1.0, round(self.headline_points + self.mismatch_points, 3))


def assess(doc: Document, rules: Rules) -> Assessment:
    title = doc.title_norm.text
    hits = strongest(rules.hits(title))
    return Assessment(hits, mismatch(title, doc.body_norm.text))


def _hit_evidence(doc: Document, hit: Hit) -> dict[str, Any]:
    start, end = doc.title_norm.original_span(hit.start, hit.end)
    return {
        "feature": hit.feature.name,
        "match": hit.match,
        "start": start,
        "end": end,
        "points": hit.points,
        "reason": hit.feature.reason,
    }


def _mismatch_evidence(found: Mismatch | None, points: float) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "lead_overlap": found.lead_overlap,
        "body_overlap": found.body_overlap,
        "title_terms": found.terms,
        "missing_claims": list(found.missing_claims),
        "points": points,
    }


def _headline_finding(doc: Document, found: Assessment) -> Finding:
    score = found.score
    reasons = "；".join(hit.feature.reason for hit in found.hits)
    reasons_en = "; ".join(hit.feature.reason_en for hit in found.hits)
    if found.mismatch_points:
        reasons += "；标题与正文不符"
        reasons_en += "; the body does not bear the headline out"
    return finding_at(
        doc,
        "title",
        0,
        len(doc.title_norm.text),
        rule="clickbait.headline",
        category="clickbait",
        severity=severity_of(score),
        score=score,
        message=f"疑似标题党（得分 {score:.2f}）：{reasons}",
        message_en=f"Possible clickbait headline (score {score:.2f}): {reasons_en}",
        evidence={
            "features": [_hit_evidence(doc, hit) for hit in found.hits],
            "headline_points": found.headline_points,
            "mismatch": _mismatch_evidence(found.mismatch, found.mismatch_points),
            "score": score,
            "threshold": THRESHOLD,
        },
    )


def _phrase_findings(doc: Document, found: Assessment) -> Iterator[Finding]:
    for hit in found.hits:
        yield finding_at(
            doc,
            "title",
            hit.start,
            hit.end,
            rule="clickbait.phrase",
            category="clickbait",
            severity="info",
            score=hit.points,
            message=f"标题党手法：{hit.feature.reason}",
            message_en=f"Clickbait device: {hit.feature.reason_en}",
            evidence={"feature": hit.feature.name, "match": hit.match, "points": hit.points},
        )


def _unrelated_finding(doc: Document, found: Mismatch) -> Finding:
    return finding_at(
        doc,
        "title",
        0,
        len(doc.title_norm.text),
        rule="clickbait.unrelated",
        category="clickbait",
        severity="medium",
        score=UNRELATED_SCORE,
        message=(
            f"标题与正文几乎无关：标题的 {found.terms} 个关键词语在正文中只出现了"
            f" {found.body_overlap:.0%}，请核对标题或正文是否配错"
        ),
        message_en=(
            f"The title has almost nothing in common with the body ({found.body_overlap:.0%}"
            f" of its {found.terms} content terms appear there): check the pairing"
        ),
        evidence=_mismatch_evidence(found, 0.0) or {},
    )


@register
class ClickbaitCheck(Check):
    name = "clickbait"
    version = "clickbait-1"
    categories = ("clickbait",)
    title = "标题党"
    title_en = "Clickbait headlines"

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        if not doc.title_norm.text.strip():
            return
        found = assess(doc, rules_for(context))
        if found.mismatch is not None and found.mismatch.unrelated:
            yield _unrelated_finding(doc, found.mismatch)
        if found.score >= THRESHOLD:
            yield _headline_finding(doc, found)
            yield from _phrase_findings(doc, found)
