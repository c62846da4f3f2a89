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

from ...context import lexicon_of
from .lexicon import (
    Fills,
    Rows,
    char_set,
    hole_index,
    log_total,
    per_list,
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
# Severity by gain: below QUEUE_GAIN a guess is an "info" hint for the editor, not a case for
# review (on modern news, full of names and new words, most such guesses are wrong); from
# QUEUE_GAIN "low", from HIGH_GAIN "medium".
QUEUE_GAIN = 10.0
HIGH_GAIN = 12.0
TITLE_REACH = 50  # how far a 《 title may run
LATIN = re.compile("[A-Za-z]")
NUMBER_START = frozenset("0123456789十百千万亿")


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

    pairs: frozenset[str]  # jieba's within-word pairs and those of `typos_words.txt`
    surnames: frozenset[str]
    foreign: frozenset[str]
    shapes: dict[str, frozenset[str]]
    cues: re.Pattern[str]  # words before a name: no guess in the characters after them

    @classmethod
    def of(cls, context: Any) -> Lists:
        return cls(
            _pairs_with(lexicon_of(context, "typos_words.txt")),
            char_set(context, "typos_surnames.txt"),
            char_set(context, "typos_foreign.txt"),
            shape_twins(context),
            _cues(lexicon_of(context, "typos_name_cues.txt")),
        )


@per_list
def _pairs_with(rows: Rows) -> frozenset[str]:
    extra = {row[0][k : k + 2] for row in rows if row for k in range(len(row[0]) - 1)}
    return within_word_pairs() | extra


@per_list
def _cues(rows: Rows) -> re.Pattern[str]:
    words = sorted({row[0] for row in rows if row and row[0]}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)) or "(?!)")


def guesses(text: str, context: Any) -> list[Guess]:
    """The confident single-character corrections in `text` (normalised, simplified)."""
    lists = Lists.of(context)
    holes = hole_index(CANDIDATE_MIN_FREQ)
    found: list[Guess] = []
    # joined[k]: text[k-1] and text[k] sit inside one word (never across non-CJK).
    pairs = lists.pairs
    joined = [False] + [text[k : k + 2] in pairs for k in range(len(text) - 1)] + [False]
    n, reach = len(text), CANDIDATE_SPAN - 1
    alone = [k for k in range(n) if not (joined[k] or joined[k + 1])]
    for i in [k for k in alone if "\u4e00" <= text[k] <= "\u9fff"]:
        # Patterns holding punctuation or Latin match nothing: runs need no splitting here.
        spans = [
            (i + a, i + b, fills)
            for a, b in _span_offsets(min(i, reach), min(n - 1 - i, reach))
            if (fills := holes.get(text[i + a : i] + "?" + text[i + 1 : i + b]))
        ]
        if not spans or _unlikely_here(text, i, lists):
            continue
        lo, hi = _run_around(text, i)
        run = text[lo:hi]
        if _in_name(run, i - lo, lists):
            continue
        local = [(start - lo, end - lo, fills) for start, end, fills in spans]
        guess = _best_guess(run, i - lo, local, lists)
        if guess is None:
            continue
        start = i - guess.word.index(guess.replacement) if guess.replacement in guess.word else i
        # A string the document repeats is its own vocabulary (微博, 蔚来), not a slip.
        if text.count(text[start : start + len(guess.word)]) < 2:
            found.append(replace(guess, start=i))
    return found


def _unlikely_here(text: str, i: int, lists: Lists) -> bool:
    """Places where a guess is more often wrong than right.

    Right after a digit comes a measure word (15种小企业), right before a number 逾/约/近;
    titles of works are names, and so are the characters after 记者, 书记 …; next to Latin
    letters stand brand and model names (自游家NV).
    """
    if text[i - 1 : i].isdigit() or text[i + 1 : i + 2] in NUMBER_START:
        return True
    near = text[max(0, i - 2) : i + 3]
    if LATIN.search(near):
        return True
    if lists.cues.search(text, max(0, i - 5), i):
        return True
    opened, closed = text.rfind("《", 0, i), text.rfind("》", 0, i)
    return opened > closed and "》" in text[i : i + TITLE_REACH]


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
