"""The normalisation pipeline and its result."""

from __future__ import annotations

from dataclasses import dataclass

from .chinese import Converter, to_simplified
from .cleanup import clean_whitespace
from .html import html_to_text
from .offsets import OffsetMap
from .width import fold_width as fold_full_width

ENGINE_VERSION = "text-1"


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text that still knows where each of its characters came from."""

    text: str
    offsets: OffsetMap
    engine_version: str = ENGINE_VERSION

    def __str__(self) -> str:
        return self.text

    @property
    def original_length(self) -> int:
        return self.offsets.source_length

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original input that produced ``text[start:end]``."""
        return self.offsets.source_span(start, end)


def normalize(
    text: str,
    *,
    html: bool = False,
    to_simplified_chinese: bool = True,
    fold_width: bool = True,
    fold_punctuation: bool = False,
    converter: Converter | None = None,
) -> NormalizedText:
    """Normalise ``text`` for content checks.

    The steps, in order:

    1. ``html``: render markup as text (blocks become lines, references are decoded).
       It goes first because every later step must see text, not markup.
    2. ``fold_width``: full-width letters, digits and symbols (and, with
       ``fold_punctuation``, Chinese punctuation) become ASCII, the ideographic space
       a space. Before cleanup, so folded spaces get collapsed too.
    3. Cleanup, always: invisible characters go, whitespace collapses inside lines,
       lines are stripped and empty lines dropped.
    4. ``to_simplified_chinese``: traditional to simplified through OpenCC ``t2s``.
       Last, so that phrases split by invisible characters or stray spaces are whole
       again when the converter looks for them. ``converter`` replaces OpenCC.
    """
    current = text
    offsets = OffsetMap.identity(len(text))
    if html:
        current, offsets = html_to_text(current)
    if fold_width:
        current = fold_full_width(current, fold_punctuation=fold_punctuation)
    current, cleaned = clean_whitespace(current)
    offsets = offsets.then(cleaned)
    if to_simplified_chinese:
        current, simplified = to_simplified(current, converter=converter)
        offsets = offsets.then(simplified)
    return NormalizedText(current, offsets)


def normalize_html(
    markup: str,
    *,
    to_simplified_chinese: bool = True,
    fold_width: bool = True,
    fold_punctuation: bool = False,
    converter: Converter | None = None,
) -> NormalizedText:
    """``normalize`` for HTML input; spans map back into ``markup``."""
    return normalize(
        markup,
        html=True,
        to_simplified_chinese=to_simplified_chinese,
        fold_width=fold_width,
        fold_punctuation=fold_punctuation,
        converter=converter,
    )
