"""A statistical detector of wrong characters, from word frequencies and pinyin/shape confusions.

A character is a suspect when it stands alone: it forms no dictionary word with either
neighbour (see `lexicon.within_word_pairs`). For a suspect, every word of 2–3 characters
(frequency ≥ `CANDIDATE_MIN_FREQ`) that the text would contain if that one character were
replaced is a candidate correction, provided the replacement sounds the same (the suspect's
common reading equals the replacement's reading inside the word, tones ignored) or looks alike
(`shapes_*.txt`). The context decides: the best segmentation of the few characters around the
suspect (a unigram word model over jieba's frequencies, as jieba segments) is scored with and
without the replacement; the gain in log-probability must reach `MIN_GAIN` (`MIN_GAIN_SHAPE`
for look-alikes) and the replacement must end up inside a word of that segmentation.

Names are where this goes wrong (a given name is a string of characters in no word list), so no
guess is made right after a common surname, inside a run of transliteration characters or
inside 《》 (a title), nor right before a number (逾万人).
Thresholds were set on public development sets so that clean news prose is almost never
flagged (see docs/checks/typos-and-terms.md); recall is modest by design.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from .lexicon import (
    Fills,
    char_set,
    hole_index,
    log_total,
    reading,
    readings,
    shape_twins,
    within_word_pairs,
    word_freq,
    word_readings,
)

CANDIDATE_MIN_FREQ = 100  # a correction must make a word at least this common
MIN_GAIN = 7.0  # log-probability gain of the window with the replacement (homophones)
MIN_GAIN_SHAPE = 10.0  # look-alikes are weaker evidence than a shared reading
WINDOW = 4  # characters either side of the suspect that the context score sees
MAX_WORD = 4  # the longest word the window segmentation considers
CANDIDATE_SPAN = 3  # corrections make words of 2 or 3 characters (4 added cost, no findings)
ROUGH_MARGIN = 2.0  # how far below the threshold a rough gain may be and still be scored
HIGH_GAIN = 12.0
BOOK_TITLE = re.compile("《[^《》\n]{1,50}》")
NUMBER_START = frozenset(
    "0123456789十百千万亿"
)  # from here the guess is "medium" rather than "low"


@dataclass(frozen=True)
class Guess:
    start: int  # in the text the detector was given
    char: str
    replacement: str
    word: str  # the word the replacement makes
    gain: float
    reason: str  # "pinyin" or "shape"
    pinyin: str

    @property
    def evidence(self) -> dict[str, Any]:
        freq = word_freq()
        return {
            "rule": "statistical",
            "reason": self.reason,
            "pinyin": self.pinyin,
            "word": self.word,
            "word_freq": freq.get(self.word, 0),
            "char_freq": freq.get(self.char, 0),
            "gain": round(self.gain, 2),
        }


@dataclass(frozen=True)
class Lists:
    """The deployment's lists the detector reads, resolved once per document."""

    surnames: frozenset[str]
    foreign: frozenset[str]
    shapes: dict[str, frozenset[str]]

    @classmethod
    def of(cls, context: Any) -> Lists:
        return cls(
            char_set(context, "typos_surnames.txt"),
            char_set(context, "typos_foreign.txt"),
            shape_twins(context),
        )


def guesses(text: str, context: Any) -> list[Guess]:
    """The confident single-character corrections in `text` (normalised, simplified)."""
    pairs = within_word_pairs()
    holes = hole_index(CANDIDATE_MIN_FREQ)
    lists: Lists | None = None
    found: list[Guess] = []
    # joined[k]: text[k-1] and text[k] sit inside one dictionary word (never across non-CJK).
    joined = [False] + [text[k : k + 2] in pairs for k in range(len(text) - 1)] + [False]
    n, reach = len(text), CANDIDATE_SPAN - 1
    alone = [k for k in range(n) if not (joined[k] or joined[k + 1])]
    titles = [m.span() for m in BOOK_TITLE.finditer(text)] if "《" in text else []
    for i in [k for k in alone if "\u4e00" <= text[k] <= "\u9fff"]:
        # Titles of works are names; before a number sits 逾/约/近, not a misspelt word.
        if text[i + 1 : i + 2] in NUMBER_START or any(a < i < b for a, b in titles):
            continue
        # Patterns holding punctuation or Latin match nothing: runs need no splitting here.
        spans = [
            (i + a, i + b, fills)
            for a, b in _span_offsets(min(i, reach), min(n - 1 - i, reach))
            if (fills := holes.get(text[i + a : i] + "?" + text[i + 1 : i + b]))
        ]
        if not spans:
            continue
        lo, hi = _run_around(text, i)
        # After a digit comes a measure word (15种小企业), not a misspelt word.
        if i == lo and lo and text[lo - 1].isdigit():
            continue
        lists = lists or Lists.of(context)
        run = text[lo:hi]
        if not _in_name(run, i - lo, lists):
            local = [(start - lo, end - lo, fills) for start, end, fills in spans]
            guess = _best_guess(run, i - lo, local, lists)
            if guess is not None:
                found.append(replace(guess, start=i))
    return found


def _run_around(text: str, i: int) -> tuple[int, int]:
    """The bounds of the run of Chinese characters holding position `i`."""
    lo = i
    while lo > 0 and "\u4e00" <= text[lo - 1] <= "\u9fff" and i - lo < WINDOW + 2:
        lo -= 1
    hi = i + 1
    while hi < len(text) and "\u4e00" <= text[hi] <= "\u9fff" and hi - i < WINDOW + 2:
        hi += 1
    return lo, hi


def _best_guess(
    chars: str, i: int, spans: list[tuple[int, int, Fills]], lists: Lists
) -> Guess | None:
    char = chars[i]
    sound = reading(char)
    twins = lists.shapes.get(char, frozenset())
    best: Guess | None = None
    base: float | None = None
    lo = max(0, i - WINDOW)
    window = chars[lo : i + WINDOW + 1]
    for start, word, reason, need in _candidates(chars, i, spans, sound, twins):
        if base is None:
            base = _segment(window)[0]
        fixed = window[: i - lo] + word[i - start] + window[i - lo + 1 :]
        score, token = _segment(fixed, at=i - lo)
        gain = score - base
        if gain >= need and token > 1 and (best is None or gain > best.gain):
            best = Guess(i, char, word[i - start], word, gain, reason, sound)
    return best


def _candidates(
    chars: str, i: int, spans: list[tuple[int, int, Fills]], sound: str, twins: frozenset[str]
) -> Iterator[tuple[int, str, str, float]]:
    """(start, word, reason, threshold) for each replacement that sounds or looks the same and
    makes a word whose rough gain comes near the threshold."""
    for start, end, fills in spans:
        homophones = fills.by_reading.get(sound, "") if sound else ""
        for fill in homophones:
            if fill == chars[i]:
                continue
            word = chars[start:i] + fill + chars[i + 1 : end]
            # A character with several readings must have this one inside the word.
            if len(readings(fill)) > 1 and word_readings(word)[i - start] != sound:
                continue
            if _rough_gain(chars[start:end], word) >= MIN_GAIN - ROUGH_MARGIN:
                yield start, word, "pinyin", MIN_GAIN
        for fill in twins & fills.chars:
            if fill in homophones:
                continue
            word = chars[start:i] + fill + chars[i + 1 : end]
            if _rough_gain(chars[start:end], word) >= MIN_GAIN_SHAPE - ROUGH_MARGIN:
                yield start, word, "shape", MIN_GAIN_SHAPE


@cache
def _span_offsets(left: int, right: int) -> tuple[tuple[int, int], ...]:
    """(start, end) offsets from a position of every span of 2 to `CANDIDATE_SPAN` characters
    covering it, with `left` and `right` characters available on either side."""
    return tuple(
        (a, a + length)
        for length in range(2, CANDIDATE_SPAN + 1)
        for a in range(-min(left, length - 1), 1)
        if a + length - 1 <= right
    )


def _rough_gain(original: str, word: str) -> float:
    """The gain if `word` replaced the single characters under it and nothing else changed.

    The window score rarely beats it by much, so it screens out hopeless candidates cheaply.
    """
    freq = word_freq()
    singles = sum(math.log(freq.get(c, 0) or 1) for c in original)
    return math.log(freq[word]) - singles + (len(word) - 1) * log_total()


def _in_name(chars: str, i: int, lists: Lists) -> bool:
    surnames = lists.surnames
    if (i >= 1 and chars[i - 1] in surnames) or (i >= 2 and chars[i - 2] in surnames):
        return True
    foreign = lists.foreign
    return chars[i] in foreign and (
        (i >= 1 and chars[i - 1] in foreign) or (i + 1 < len(chars) and chars[i + 1] in foreign)
    )


def _segment(window: str, at: int = -1) -> tuple[float, int]:
    """The best segmentation's log-probability, and the length of its token covering `at`."""
    freq = word_freq()
    total = log_total()
    n = len(window)
    score = [0.0] * (n + 1)
    step = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        best, best_end = -math.inf, i + 1
        for j in range(i + 1, min(n, i + MAX_WORD) + 1):
            count = freq.get(window[i:j], 0)
            if not count and j > i + 1:
                continue
            value = math.log(count or 1) - total + score[j]
            if value > best:
                best, best_end = value, j
        score[i], step[i] = best, best_end
    token, i = 0, 0
    while at >= 0 and i < n:
        if i <= at < step[i]:
            token = step[i] - i
            break
        i = step[i]
    return score[0], token
