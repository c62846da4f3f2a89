"""Commonly confused words (`confusions_*.txt`): wrong forms that standard Chinese never uses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...context import lexicon_of
from .lexicon import PhraseIndex, Rows, per_list

SENTENCE_END = "。！？!?；;\n"


@dataclass(frozen=True)
class Confusion:
    wrong: str
    right: str
    around: tuple[str, ...]  # readings of the text around the match that are correct
    later: tuple[str, ...]  # words whose later presence in the sentence makes the match correct


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    confusion: Confusion


def confusions(context: Any) -> PhraseIndex[Confusion]:
    return _index(lexicon_of(context, "confusions_words.txt"))


@per_list
def _index(rows: Rows) -> PhraseIndex[Confusion]:
    items: list[tuple[str, Confusion]] = []
    for row in rows:
        if len(row) < 2 or not row[0] or not row[1] or row[0] == row[1]:
            continue
        unless = [u.strip() for u in row[2].split(",")] if len(row) > 2 else []
        around = tuple(u for u in unless if u and not u.startswith("…"))
        later = tuple(u[1:] for u in unless if u.startswith("…") and len(u) > 1)
        items.append((row[0], Confusion(row[0], row[1], around, later)))
    return PhraseIndex(items)


def find(text: str, context: Any) -> Iterator[Hit]:
    for start, wrong, confusion in confusions(context).find(text):
        end = start + len(wrong)
        if _excused(text, start, end, confusion):
            continue
        yield Hit(start, end, confusion)


def _excused(text: str, start: int, end: int, confusion: Confusion) -> bool:
    for reading in confusion.around:
        at = reading.find(confusion.wrong)
        while at >= 0:
            if text.startswith(reading, start - at):
                return True
            at = reading.find(confusion.wrong, at + 1)
    if confusion.later:
        stop = min((i for i in (text.find(c, end) for c in SENTENCE_END) if i >= 0), default=-1)
        rest = text[end:stop] if stop >= 0 else text[end:]
        return any(word in rest for word in confusion.later)
    return False
