"""Accidentally repeated characters and words: "的的", "我们我们".

Chinese doubles words on purpose (看看, 研究研究, 高高兴兴), so only two kinds are flagged:
a character from `typos_no_double.txt` written twice where neither copy belongs to a word with
its other neighbour (目的的 is 目的 + 的; 了了解 is 了 + 了解), and a word of two to four
characters written twice in a row whose part of speech (from jieba's dictionary) is one that is
never doubled: nouns, personal pronouns in 们, conjunctions, prepositions and the like; not
verbs, adjectives, adverbs, numerals, measure words, interjections, or 如何如何 (a placeholder).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from .lexicon import CJK, char_set, is_word

WORD_REPEAT = re.compile(f"([{CJK}]{{2,4}})\\1")
CHAR_REPEAT = re.compile(f"([{CJK}])\\1")
NEIGHBOUR_WORD_FREQ = 20  # a neighbour pair at least this common is a real word
REPEATED_WORD_FREQ = 100
# jieba tags of words that are never doubled: nouns (n…), place and time words, conjunctions,
# prepositions, particles. Pronouns only in 们 (我们我们): 如何如何, 什么什么 stand in for words.
NEVER_DOUBLED = ("n", "s", "t", "f", "c", "p", "u")


@dataclass(frozen=True)
class Repeat:
    start: int  # of the second copy, the one to delete
    end: int
    unit: str
    tag: str  # jieba's part-of-speech tag for a word, "" for a character


def find(text: str, context: Any) -> Iterator[Repeat]:
    yield from _doubled_chars(text, char_set(context, "typos_no_double.txt"))
    yield from _doubled_words(text)


def _doubled_chars(text: str, never: frozenset[str]) -> Iterator[Repeat]:
    for match in CHAR_REPEAT.finditer(text):
        char, i = match.group(1), match.start()
        if char not in never:
            continue
        # AABB forms (的的确确, 是是非非) and a third copy are deliberate or another problem.
        if text[i + 2 : i + 3] == char or (i + 3 < len(text) and text[i + 2] == text[i + 3]):
            continue
        if i >= 2 and text[i - 2] == text[i - 1] and text[i - 1] != char:
            continue
        before = text[i - 1 : i + 1] if i else ""
        after = text[i + 1 : i + 3]
        if is_word(before, NEIGHBOUR_WORD_FREQ) or is_word(after, NEIGHBOUR_WORD_FREQ):
            continue
        if is_word(char * 2):
            continue
        yield Repeat(i + 1, i + 2, char, "")


def _doubled_words(text: str) -> Iterator[Repeat]:
    for match in WORD_REPEAT.finditer(text):
        unit = match.group(1)
        if not is_word(unit, REPEATED_WORD_FREQ) or len(set(unit)) == 1:
            continue
        tag = word_tags().get(unit, "")
        if not tag.startswith(NEVER_DOUBLED) and not (tag == "r" and unit.endswith("们")):
            continue
        half, end = match.start() + len(unit), match.end()
        # 大队大队长, 基金基金经理: the second copy begins a longer word.
        if any(is_word(text[half : end + k], REPEATED_WORD_FREQ) for k in (1, 2)):
            continue
        yield Repeat(half, end, unit, tag)


@cache
def word_tags() -> dict[str, str]:
    """Part-of-speech tags of jieba's words of 2–4 characters, read on first need."""
    import jieba

    tags: dict[str, str] = {}
    with jieba.get_dict_file() as handle:
        for raw in handle:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3 and 2 <= len(parts[0]) <= 4:
                tags[parts[0]] = parts[2]
    return tags
