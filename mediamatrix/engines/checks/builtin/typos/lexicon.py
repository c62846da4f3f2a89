"""What the typo checks share: jieba's word frequencies, readings, shapes and a phrase finder.

jieba's dictionary (about 350,000 words with corpus frequencies) is loaded once per process, on
first use (about a second); everything built from it is cached. Readings come from pypinyin:
a character's first listed reading (its common one) and a word's readings in context, tones
dropped, since writers who pick the wrong character from an input method rarely get the tone
wrong in a way that matters.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ...context import lexicon_of

Rows = tuple[tuple[str, ...], ...]
CJK = "\u4e00-\u9fff"
CJK_RUN = re.compile(f"[{CJK}]+")


@cache
def word_freq() -> dict[str, int]:
    """jieba's dictionary: word → frequency (0 for prefixes jieba keeps for its own search)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.initialize()
    freq: dict[str, int] = jieba.dt.FREQ
    return freq


@cache
def log_total() -> float:
    import jieba

    word_freq()
    return math.log(jieba.dt.total)


def is_word(text: str, min_freq: int = 1) -> bool:
    return word_freq().get(text, 0) >= min_freq


@cache
def within_word_pairs() -> frozenset[str]:
    """Every two adjacent characters inside some dictionary word.

    A character that forms no such pair with either neighbour is in no word at all: it stands
    alone, which is where a wrong character usually shows.
    """
    pairs: set[str] = set()
    for word, freq in word_freq().items():
        if freq > 0 and len(word) > 1:
            pairs.update(word[k : k + 2] for k in range(len(word) - 1))
    return frozenset(pairs)


@dataclass(frozen=True)
class Fills:
    """The characters that complete one pattern into a word, filed by their readings."""

    by_reading: dict[str, str]  # toneless reading → characters with that reading
    chars: frozenset[str]


@cache
def hole_index(min_freq: int) -> dict[str, Fills]:
    """Words of 2–4 characters (at least `min_freq`) with one character replaced by "?".

    `index["?诉"]` holds the characters that complete the pattern into such a word ("告"),
    filed under each of their readings so a suspect's reading finds its homophones directly.
    """
    holes: dict[str, set[str]] = {}
    for word, freq in word_freq().items():
        if freq < min_freq or not 2 <= len(word) <= 4 or not CJK_RUN.fullmatch(word):
            continue
        for k in range(len(word)):
            holes.setdefault(f"{word[:k]}?{word[k + 1 :]}", set()).add(word[k])
    index: dict[str, Fills] = {}
    for key, chars in holes.items():
        by_reading: dict[str, set[str]] = {}
        for char in chars:
            for sound in readings(char):
                by_reading.setdefault(sound, set()).add(char)
        filed = {sound: "".join(sorted(group)) for sound, group in by_reading.items()}
        index[key] = Fills(filed, frozenset(chars))
    return index


def _toneless(syllable: str) -> str:
    plain = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in plain if not unicodedata.combining(c)).replace("ü", "v")


@lru_cache(maxsize=8192)
def reading(char: str) -> str:
    """A character's common reading without tone ("" when pypinyin has none)."""
    from pypinyin.pinyin_dict import pinyin_dict

    readings = pinyin_dict.get(ord(char))
    return _toneless(readings.split(",")[0]) if readings else ""


@lru_cache(maxsize=16384)
def readings(char: str) -> frozenset[str]:
    """All of a character's readings, toneless."""
    from pypinyin.pinyin_dict import pinyin_dict

    listed = pinyin_dict.get(ord(char))
    return frozenset(_toneless(r) for r in listed.split(",")) if listed else frozenset()


@lru_cache(maxsize=65536)
def word_readings(word: str) -> tuple[str, ...]:
    """Each character's reading inside `word` (pypinyin's phrase data settles 多音字), toneless."""
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(word, style=Style.NORMAL, v_to_u=False))


def per_list[R](build: Callable[[Rows], R]) -> Callable[[Rows], R]:
    """Cache what is built from a word list by the list's identity.

    Contexts cache their lists, so the same tuple comes back for every document; hashing its
    hundreds of rows on every call would cost more than the lookups it saves.
    """
    built: dict[int, tuple[Rows, R]] = {}

    def cached(rows: Rows) -> R:
        known = built.get(id(rows))
        if known is None or known[0] is not rows:
            known = built[id(rows)] = (rows, build(rows))
        return known[1]

    return cached


def shape_twins(context: Any) -> dict[str, frozenset[str]]:
    """Character → the characters that look like it, from every `shapes_*.txt` group."""
    return _shape_twins(lexicon_of(context, "shapes_similar.txt"))


@per_list
def _shape_twins(rows: Rows) -> dict[str, frozenset[str]]:
    twins: dict[str, set[str]] = {}
    for row in rows:
        group = "".join(row)
        for char in group:
            twins.setdefault(char, set()).update(c for c in group if c != char)
    return {char: frozenset(others) for char, others in twins.items()}


def char_set(context: Any, name: str) -> frozenset[str]:
    """The first field of each row of a one-character-per-line list."""
    return _char_set(lexicon_of(context, name))


@per_list
def _char_set(rows: Rows) -> frozenset[str]:
    return frozenset(row[0] for row in rows if row and row[0])


@lru_cache(maxsize=16)
def bigrams(text: str) -> frozenset[str]:
    """The distinct two-character strings of `text` (shared by the phrase finders of one text)."""
    return frozenset({text[i : i + 2] for i in range(len(text) - 1)})


class PhraseIndex[T]:
    """Finds every occurrence of many phrases (two characters or more) in a text.

    Phrases are filed under their first two characters; a text's set of two-character strings
    meets that index in one set operation, so only the few phrases whose head occurs are tried.
    """

    def __init__(self, items: Iterable[tuple[str, T]]) -> None:
        self._by_head: dict[str, list[tuple[str, T]]] = {}
        for phrase, payload in items:
            if len(phrase) >= 2:
                self._by_head.setdefault(phrase[:2], []).append((phrase, payload))
        for entries in self._by_head.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._by_head.values())

    def find(self, text: str) -> Iterator[tuple[int, str, T]]:
        """(start, phrase, payload) for each occurrence, in no particular order."""
        for head in self._by_head.keys() & bigrams(text):
            entries = self._by_head[head]
            start = text.find(head)
            while start >= 0:
                for phrase, payload in entries:
                    if text.startswith(phrase, start):
                        yield start, phrase, payload
                start = text.find(head, start + 1)
