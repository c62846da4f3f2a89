"""Known rumours: a post that resembles a claim in the debunk library (辟谣库).

The library is the `debunks` resource (a `DebunkLibrary`); without one the check finds nothing.
Scores are the library's (0–1, see `rumours.DebunkLibrary`). Two thresholds, set on the CHECKED
development set (docs/checks/rumours.md): from `HIGH` up a finding, which ≤ 1% of true news
posts reach; from `LOW` to `HIGH` only a suggestion (severity `info`) for a reviewer to look at.
A short text shares too few words with anything to be sure of it: it only ever gets suggestions.
A text that refutes what it matches (辟谣, 不实, 经核实 … — `rumour_refutation.txt`, not right
after a negation such as 不是) is a debunk itself: it gets a suggestion, `rumour.refuting`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from ..context import lexicon_of
from ..model import Document, Field, Finding, finding_at
from ..registry import Check, Context, register
from ..rumours import DebunkLibrary, Match, content_length, quoted_claims

HIGH = 0.32
LOW = 0.25
VERY_HIGH = 0.5  # the post all but repeats the claim: severity high
SHORT = 20  # content characters (Chinese characters, letters, digits)
LIMIT = 3  # debunks reported per post, best first
EXCERPT = 300  # characters of the debunk's text kept in the evidence


@register
class RumourCheck(Check):
    name = "rumour"
    version = "rumour-2"
    categories = ("rumour",)
    title = "谣言比对（辟谣库）"
    title_en = "Known rumours (debunk library)"

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        library = context.resource("debunks")
        if not isinstance(library, DebunkLibrary) or not len(library):
            return
        title, body = doc.title_norm.text, doc.body_norm.text
        joined = f"{title}\n{body}" if title else body
        short = content_length(joined) < SHORT
        refuting = _refutes(joined, context)
        for match in library.match_normalised(joined, limit=LIMIT, minimum=LOW):
            field, start, end = _field_span(match, title, len(joined))
            raised = match.score >= HIGH and not short and not refuting
            yield _finding(doc, match, field, start, end, raised=raised, refuting=refuting)


def _refutes(text: str, context: Context) -> bool:
    cues = tuple(row[0] for row in lexicon_of(context, "rumour_refutation.txt"))
    negations = tuple(row[0] for row in lexicon_of(context, "rumour_negations.txt"))
    for match in _cue_pattern(cues).finditer(text):
        before = text[max(0, match.start() - 4) : match.start()]
        if not before.endswith(negations):
            return True
    return False


@cache
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(cues, key=len, reverse=True)
    return re.compile("|".join(re.escape(cue) for cue in ordered) or r"(?!)")


def _field_span(match: Match, title: str, length: int) -> tuple[Field, int, int]:
    """The matched window in the title or the body (a window across both: where it starts)."""
    if title and match.start < len(title):
        return "title", match.start, min(match.end, len(title))
    offset = len(title) + 1 if title else 0
    return "body", max(match.start - offset, 0), max(min(match.end, length) - offset, 0)


def _finding(
    doc: Document,
    match: Match,
    field: Field,
    start: int,
    end: int,
    *,
    raised: bool,
    refuting: bool = False,
) -> Finding:
    debunk = match.debunk
    claim = debunk.claim or quoted_claims(debunk.text).split("\n", 1)[0] or debunk.text[:60]
    when = debunk.date.isoformat() if debunk.date else ""
    by = "，".join(part for part in (debunk.source, when) if part)
    by_en = ", ".join(part for part in (debunk.source, when) if part)
    if refuting:
        message = f"本文在辟谣，与辟谣库一致：“{claim}”" + (f"（{by}）" if by else "")
        message_en = f"This text refutes a debunked claim: “{claim}”" + (
            f" ({by_en})" if by_en else ""
        )
    elif raised:
        message = f"与已辟谣的说法高度相似：“{claim}”" + (f"（{by}）" if by else "")
        message_en = f"Closely matches a debunked claim: “{claim}”" + (
            f" ({by_en})" if by_en else ""
        )
    else:
        message = f"可能涉及已辟谣的说法，请核对：“{claim}”" + (f"（{by}）" if by else "")
        message_en = f"May repeat a debunked claim, please check: “{claim}”" + (
            f" ({by_en})" if by_en else ""
        )
    return finding_at(
        doc,
        field,
        start,
        end,
        rule="rumour.refuting" if refuting else ("rumour.known" if raised else "rumour.similar"),
        category="rumour",
        severity=("high" if match.score >= VERY_HIGH else "medium") if raised else "info",
        score=match.score,
        message=message,
        message_en=message_en,
        evidence={
            "debunk_id": debunk.id,
            "claim": claim,
            "source": debunk.source,
            "url": debunk.url,
            "date": when,
            "rating": debunk.rating,
            "debunk": debunk.text[:EXCERPT],
            "matched": match.passage,
            "score": round(match.score, 4),
        },
    )
