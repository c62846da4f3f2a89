"""A post's text with each finding's span marked, built server-side from the spans.

Spans may overlap: the text is cut at every span boundary, and each piece is wrapped in one
`<mark>` listing all the findings that cover it (the worst severity colours it). Every piece of
text is escaped; only our own tags and attributes are markup.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from mediamatrix.review.models import SEVERITY_RANK


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    finding_id: int
    severity: str


def highlight(text: str, spans: Iterable[Span]) -> SafeString:
    """`text` as HTML with the spans marked; spans outside the text are clipped or dropped."""
    usable = [
        Span(max(0, s.start), min(len(text), s.end), s.finding_id, s.severity)
        for s in spans
        if s.start < len(text) and s.end > s.start
    ]
    cuts = sorted({0, len(text), *(s.start for s in usable), *(s.end for s in usable)})
    first_piece: set[int] = set()
    parts: list[str] = []
    for left, right in pairwise(cuts):
        piece = escape(text[left:right])
        covering = [s for s in usable if s.start <= left and right <= s.end]
        if not covering:
            parts.append(piece)
            continue
        parts.append(_mark(piece, covering, first_piece))
    return mark_safe("".join(parts))  # every piece of text above is escaped


def _mark(piece: str, covering: list[Span], first_piece: set[int]) -> str:
    ids = sorted(s.finding_id for s in covering)
    worst = max(covering, key=lambda s: SEVERITY_RANK.get(s.severity, 0)).severity
    # The first piece of each finding carries its anchor, so the findings list can link to it.
    anchors = [i for i in ids if i not in first_piece]
    first_piece.update(anchors)
    anchor = f' id="span-{anchors[0]}"' if anchors else ""
    extra = "".join(f'<a class="review-anchor" id="span-{i}"></a>' for i in anchors[1:])
    overlap = " review-overlap" if len(ids) > 1 else ""
    return (
        f'{extra}<mark class="review-hl sev-{escape(worst)}{overlap}"{anchor}'
        f' data-findings="{" ".join(map(str, ids))}">{piece}</mark>'
    )
