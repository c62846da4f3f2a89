"""Canonical terms: official names, titles and fixed formulations, and their near misses.

Three rules:
- `term.variant`: a known wrong form (`terms_variants.txt`) anywhere in the text;
- `term.near_miss`: a string one edit away from a canonical term (`terms_canonical.txt`): one
  character replaced by one that sounds the same (toneless pinyin) or looks alike
  (`shapes_*.txt`); for terms of `MIN_INDEL` characters or more also one character missing or
  one extra character inside. Near misses are found from the term's first two and last two
  characters (one of them survives a single edit), then compared in place. A candidate that is
  itself a canonical term, or where the replaced character forms a common word with its
  neighbour (主体教育 is not a misspelt 主题教育), is left alone;
- `term.year_zero`: a year written in Chinese numerals with 零 or a Latin O/0 for 〇 (二〇二六年).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...context import lexicon_of
from .lexicon import CJK_RUN, PhraseIndex, Rows, bigrams, is_word, per_list, reading, shape_twins

MIN_INDEL = 6  # a term this long is never legitimately one character shorter or longer
COMMON_WORD_FREQ = 1000  # a replaced character in a word this common is a different phrase
# Inserted into a formulation these make ordinary prose (的, 和) or another title (副委员长).
LINKING = "的之和与及副原前代总"
YEAR = re.compile(r"[一二三四五六七八九〇零○Oo0]{4}(?=年)")
YEAR_DIGITS = "一二三四五六七八九〇"


@dataclass(frozen=True)
class TermHit:
    start: int
    end: int
    found: str
    right: str
    rule: str  # "variant", "near_miss", "year_zero"
    kind: str  # the canonical term's kind ("formulation", "name" …)
    edit: str  # "sound", "shape", "missing", "extra" for near misses
    changed: tuple[int, ...]  # offsets (in `found`) of the characters that differ


@dataclass(frozen=True)
class Canon:
    terms: dict[str, str]  # term → kind
    heads: dict[str, tuple[str, ...]]  # first two characters → terms
    tails: dict[str, tuple[str, ...]]  # last two characters → terms


def find(text: str, context: Any) -> list[TermHit]:
    hits = list(_variants(text, context))
    taken = [(h.start, h.end) for h in hits]
    # The longest term explains a stretch best (习近平新时代… over 新时代…).
    for hit in sorted(_near_misses(text, context), key=lambda h: (-len(h.right), h.start)):
        if not any(hit.start < end and start < hit.end for start, end in taken):
            hits.append(hit)
            taken.append((hit.start, hit.end))
    hits.extend(_years(text))
    return hits


def _variants(text: str, context: Any) -> Iterator[TermHit]:
    for start, wrong, right in _variant_index(lexicon_of(context, "terms_variants.txt")).find(text):
        if right in text[max(0, start - len(right)) : start + len(wrong) + len(right)]:
            continue  # the wrong form is part of the right one here
        changed = _changed(wrong, right)
        yield TermHit(start, start + len(wrong), wrong, right, "variant", "", "", changed)


@per_list
def _variant_index(rows: Rows) -> PhraseIndex[str]:
    return PhraseIndex((row[0], row[1]) for row in rows if len(row) >= 2 and row[0] != row[1])


def _changed(found: str, right: str) -> tuple[int, ...]:
    if len(found) != len(right):
        return tuple(range(len(found)))
    return tuple(k for k, (a, b) in enumerate(zip(found, right, strict=True)) if a != b)


@per_list
def _canon(rows: Rows) -> Canon:
    terms = {row[0]: (row[1] if len(row) > 1 else "") for row in rows if len(row[0]) >= 3}
    heads: dict[str, list[str]] = {}
    tails: dict[str, list[str]] = {}
    for term in terms:
        heads.setdefault(term[:2], []).append(term)
        tails.setdefault(term[-2:], []).append(term)
    return Canon(
        terms,
        {k: tuple(v) for k, v in heads.items()},
        {k: tuple(v) for k, v in tails.items()},
    )


def _near_misses(text: str, context: Any) -> Iterator[TermHit]:
    canon = _canon(lexicon_of(context, "terms_canonical.txt"))
    twins = shape_twins(context)
    present = bigrams(text)
    seen: set[tuple[int, int]] = set()
    # One edit leaves the first or the last two characters in place; a window is compared only
    # when the rest of the term lines up from that end too (cheap string tests first).
    for anchor in canon.heads.keys() & present:
        for at in _positions(text, anchor):
            for term in canon.heads[anchor]:
                for length in _lengths(term):
                    end = at + length
                    if text.startswith(term[-2:], end - 2) or (
                        length == len(term) and text.startswith(term[:-2], at)
                    ):
                        yield from _compare(text, at, end, term, canon, twins, seen)
    for anchor in canon.tails.keys() & present:
        for at in _positions(text, anchor):
            for term in canon.tails[anchor]:
                for length in _lengths(term):
                    start = at + 2 - length
                    if start >= 0 and (
                        text.startswith(term[:2], start)
                        or (length == len(term) and text.startswith(term[2:], start + 2))
                    ):
                        yield from _compare(text, start, at + 2, term, canon, twins, seen)


def _positions(text: str, anchor: str) -> Iterator[int]:
    at = text.find(anchor)
    while at >= 0:
        yield at
        at = text.find(anchor, at + 1)


def _lengths(term: str) -> tuple[int, ...]:
    n = len(term)
    return (n, n - 1, n + 1) if n >= MIN_INDEL else (n,)


def _compare(
    text: str,
    start: int,
    end: int,
    term: str,
    canon: Canon,
    twins: dict[str, frozenset[str]],
    seen: set[tuple[int, int]],
) -> Iterator[TermHit]:
    if start < 0 or end > len(text) or (start, end) in seen:
        return
    found = text[start:end]
    if found in canon.terms or term in text[max(0, start - 2) : end + 2]:
        return
    edit, changed = _one_edit(found, term, twins)
    if not edit or (edit in ("sound", "shape") and _other_phrase(text, start, end, changed)):
        return
    seen.add((start, end))
    yield TermHit(start, end, found, term, "near_miss", canon.terms[term], edit, changed)


def _one_edit(
    found: str, term: str, twins: dict[str, frozenset[str]]
) -> tuple[str, tuple[int, ...]]:
    """How `found` differs from `term` by one edit, and where; ("", ()) otherwise."""
    if len(found) == len(term):
        diff = [k for k in range(len(term)) if found[k] != term[k]]
        if len(diff) != 1:
            return "", ()
        k = diff[0]
        wrong, right = found[k], term[k]
        if reading(wrong) and reading(wrong) == reading(right):
            return "sound", (k,)
        if len(term) > 3 and wrong in twins.get(right, frozenset()):
            return "shape", (k,)
        return "", ()
    if found[:2] != term[:2] or found[-2:] != term[-2:]:
        return "", ()
    if len(found) == len(term) - 1:
        k = next((k for k in range(len(found)) if found[k] != term[k]), len(found))
        return ("missing", (max(0, k - 1),)) if found == term[:k] + term[k + 1 :] else ("", ())
    k = next((k for k in range(len(term)) if found[k] != term[k]), len(term))
    extra = found[k] if k < len(found) else ""
    if found[:k] + found[k + 1 :] == term and CJK_RUN.fullmatch(extra) and extra not in LINKING:
        return "extra", (k,)
    return "", ()


def _other_phrase(text: str, start: int, end: int, changed: tuple[int, ...]) -> bool:
    """Whether a changed character makes a common word with a neighbour, inside the window or
    just outside it: a different phrase (主体教育; 以人民为中心发展理念 is not 新发展理念)."""
    for k in changed:
        at = start + k
        for a, b in ((at - 1, at + 1), (at, at + 2)):
            if a >= 0 and b <= len(text) and is_word(text[a:b], COMMON_WORD_FREQ):
                return True
    return False


def _years(text: str) -> Iterator[TermHit]:
    for match in YEAR.finditer(text):
        year = match.group()
        if sum(c in YEAR_DIGITS for c in year) < 2:
            continue
        right = "".join(c if c in YEAR_DIGITS else "〇" for c in year)
        if right != year and "〇" in right:
            changed = _changed(year, right)
            yield TermHit(match.start(), match.end(), year, right, "year_zero", "", "", changed)
