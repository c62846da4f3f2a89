"""Sentence splitting that keeps each sentence's position in the text it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_TERMINATORS = "。！？!?；;…"
# Closing quotes and brackets right after a terminator still belong to its sentence:
# 他说：“好。” ends after the ” and not before it.
CLOSING_MARKS = "”’」』）)》〉】〕］]\"'"

_TERMINATION = f"[{SENTENCE_TERMINATORS}]+[{re.escape(CLOSING_MARKS)}]*"
_SENTENCE = re.compile(f"[^{SENTENCE_TERMINATORS}\n]*(?:{_TERMINATION})?")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence and its half-open span ``[start, end)`` in the split text."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` after runs of ``。！？!?；;…`` (with any closing quotes) and at
    line breaks.

    Surrounding whitespace is trimmed from each sentence and empty ones are skipped;
    spans index into ``text``, so a ``NormalizedText`` can map them to its original.
    """
    sentences: list[Sentence] = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            sentences.append(Sentence(text[start:end], start, end))
    return sentences
