"""Vulgar, sexual, gory and abusive words (低俗/色情/血腥/辱骂), including disguised spellings.

The terms (`vulgar_terms.txt`) are searched in a "skeleton" of the normalised text: Latin
letters lower-cased, and spaces, symbols, emoji and invisible characters dropped, so "傻 逼",
"傻*逼" and "傻💩逼" read as 傻逼 (sentence punctuation stays, so words never join across a
comma). Terms marked `sound` also match any characters that sound the same (pinyin, tones
ignored: 沙比, 煞笔) and their pinyin written out in Latin letters ("sha bi"); terms marked
`latin` are whole Latin words or abbreviations ("sb", "tmd"). A match inside a phrase of
`vulgar_whitelist.txt` is innocent and dropped. Every span goes back through the skeleton's index
and then the normalisation's offset map, so a finding's excerpt is the text as written.
"""

from __future__ import annotations

import logging
import re
import string
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..context import lexicon_of
from ..model import SEVERITIES, Document, Field, Finding, Severity, finding_at
from ..registry import Check, Context, register

logger = logging.getLogger(__name__)

CATEGORIES: dict[str, tuple[str, str]] = {
    "profanity": ("脏话粗口", "profanity"),
    "sexual": ("色情低俗", "sexual content"),
    "gore": ("血腥描写", "gory description"),
    "insult": ("侮辱谩骂", "insult or abuse"),
}
# How a term was found, how sure that makes us, and how reviewers are told.
HOW: dict[str, tuple[float, str, str]] = {
    "exact": (0.9, "", ""),
    "spaced": (0.9, "（字间夹杂空格或符号）", " (split by spaces or symbols)"),
    "homophone": (0.75, "（谐音字）", " (written with homophones)"),
    "pinyin": (0.7, "（拼音）", " (written in pinyin)"),
    "latin": (0.7, "（字母缩写）", " (Latin abbreviation)"),
}

# Separators an author slips between characters to dodge a filter: whitespace, invisible and
# format characters, ASCII symbols (not , ! ? ; :), bullets, dingbats and emoji.
_SEPARATOR_CLASS = (
    r"\s\u00ad\u180e\u200b-\u200f\u2028-\u202f\u205f-\u206f\ufe0f\ufeff"
    r"\"#$%&'()*+\-./<=>@\[\\\]^_`{|}~"
    r"·•・※★☆♡♥❤○●◎◇◆□■△▲▽▼→←↑↓\u2190-\u21ff\u2500-\u27bf\U0001f000-\U0001faff"
)
_SEPARATOR = re.compile(f"[{_SEPARATOR_CLASS}]+")
_LATIN_RUN = re.compile(r"[a-z](?:[a-z\s\-_.*·]*[a-z])?", re.IGNORECASE)
_LATIN_GAP = r"[\s\-_.*·]{0,2}"  # between the syllables of pinyin written out
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
FIELDS: tuple[Field, ...] = ("title", "body")


@dataclass(frozen=True)
class Entry:
    term: str
    category: str
    severity: Severity
    how: str  # exact, sound or latin
    syllables: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """One term found at `norm[start:end]`."""

    entry: Entry
    start: int
    end: int
    how: str  # a key of HOW


class Skeleton:
    """The text with separators dropped and Latin letters lower-cased; spans map back."""

    def __init__(self, source: str) -> None:
        self.source = source
        dropped = _SEPARATOR.sub("", source)
        lowered = dropped.lower()
        # lower() may lengthen a rare letter (İ); then only ASCII is folded, length kept.
        self.text = lowered if len(lowered) == len(dropped) else dropped.translate(_ASCII_LOWER)
        self._index: array[int] | None = None

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Where `text[start:end]` lies in the source (the index is built on first use)."""
        if len(self.text) == len(self.source):
            return start, end
        if self._index is None:
            index: array[int] = array("I")
            position = 0
            for gap in _SEPARATOR.finditer(self.source):
                index.extend(range(position, gap.start()))
                position = gap.end()
            index.extend(range(position, len(self.source)))
            self._index = index
        return self._index[start], self._index[end - 1] + 1


def _pinyin(chars: list[str]) -> list[str]:
    """Each character's most common reading, without tones (pypinyin loads on first use)."""
    from pypinyin import Style, lazy_pinyin

    readings: list[str] = lazy_pinyin(chars, style=Style.NORMAL)
    if len(readings) != len(chars):  # never expected for single characters; stay aligned
        readings = [lazy_pinyin(c, style=Style.NORMAL)[0] for c in chars]
    return readings


@cache
def homophones() -> dict[str, str]:
    """Syllable → the common characters (GB 2312's 6,763) read that way, tones ignored."""
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    found: dict[str, list[str]] = {}
    for char, reading in zip(chars, _pinyin(chars), strict=True):
        found.setdefault(reading, []).append(char)
    return {reading: "".join(group) for reading, group in found.items()}


def _alternation(keys: Iterable[str]) -> str:
    return "|".join(map(re.escape, sorted(set(keys), key=len, reverse=True)))


@dataclass
class Matcher:
    """The compiled lists: exact terms, terms by sound, Latin words, and the whitelist."""

    exact: dict[str, Entry]
    sound: tuple[Entry, ...]
    latin: dict[str, Entry]  # Latin words, and the pinyin of sound terms run together
    whitelist: re.Pattern[str] | None
    exact_re: re.Pattern[str] | None = None
    sound_re: re.Pattern[str] | None = None
    latin_re: re.Pattern[str] | None = None
    _reading: dict[str, str] = field(default_factory=dict)  # character → syllable
    _by_sound: dict[tuple[str, ...], Entry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.exact:
            self.exact_re = re.compile(_alternation(self.exact))
        forms = [re.escape(word) for word in self.latin]
        if self.sound:
            self.sound_re = re.compile("|".join(self._sound_patterns()))
            forms += [_LATIN_GAP.join(entry.syllables) for entry in self.sound]
        if forms:
            body = "|".join(sorted(forms, key=len, reverse=True))
            self.latin_re = re.compile(f"(?<![a-z])(?:{body})(?![a-z])")

    def _sound_patterns(self) -> list[str]:
        """One character class per syllable: every common character read that way."""
        readings = homophones()
        patterns = []
        # Longer terms first, so a term is not cut short by one it begins with.
        for entry in sorted(self.sound, key=lambda e: len(e.syllables), reverse=True):
            self._by_sound[entry.syllables] = entry
            classes = []
            for char, syllable in zip(entry.term, entry.syllables, strict=True):
                chars = readings.get(syllable, "") + char
                for same in chars:
                    self._reading.setdefault(same, syllable)
                self._reading[char] = syllable
                classes.append(f"[{re.escape(chars)}]")
            patterns.append("".join(classes))
        return patterns

    def hits(self, text: str) -> list[Hit]:
        skel = Skeleton(text)
        candidates: list[tuple[int, int, Entry, str]] = []  # skeleton span, entry, how
        if self.exact_re is not None:
            for match in self.exact_re.finditer(skel.text):
                candidates.append((*match.span(), self.exact[match.group()], "exact"))
        if self.sound_re is not None:
            for match in self.sound_re.finditer(skel.text):
                key = tuple(self._reading.get(char, "") for char in match.group())
                if (entry := self._by_sound.get(key)) is not None:
                    candidates.append((*match.span(), entry, "homophone"))
        # The whitelist is read only around text that matched: most texts match nothing.
        white = self._whitelisted(skel.text) if candidates else []
        found = list(self._latin_hits(text))
        for start, end, entry, how in candidates:
            if not _inside((start, end), white):
                source_start, source_end = skel.source_span(start, end)
                if how == "exact" and source_end - source_start > end - start:
                    how = "spaced"
                found.append(Hit(entry, source_start, source_end, how))
        return _without_overlaps(found)

    def _latin_hits(self, text: str) -> Iterator[Hit]:
        if self.latin_re is None:
            return
        # Chinese text holds few Latin runs: look for words only inside them.
        for run in _LATIN_RUN.finditer(text):
            for match in self.latin_re.finditer(run.group().lower()):
                entry = self.latin.get(re.sub("[^a-z]", "", match.group()))
                if entry is not None:
                    how = "latin" if entry.how == "latin" else "pinyin"
                    yield Hit(entry, run.start() + match.start(), run.start() + match.end(), how)

    def _whitelisted(self, skel: str) -> list[tuple[int, int]]:
        if self.whitelist is None:
            return []
        return [(m.start(), m.start() + len(m.group(1))) for m in self.whitelist.finditer(skel)]


def _inside(span: tuple[int, int], white: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in white)


def _without_overlaps(hits: list[Hit]) -> list[Hit]:
    """Where matches overlap keep the earliest, then the longest, then the exact one."""
    order = {"exact": 0, "spaced": 1, "homophone": 2, "pinyin": 3, "latin": 4}
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start), order[h.how])):
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def _entry(row: tuple[str, ...]) -> Entry | None:
    severity = row[2] if len(row) > 2 else ""
    if len(row) < 3 or row[1] not in CATEGORIES or severity not in SEVERITIES:
        logger.warning("vulgar list row %r skipped: needs a term, a category and a severity", row)
        return None
    how = row[3] if len(row) > 3 and row[3] in ("exact", "sound", "latin") else "exact"
    term = row[0].lower()
    syllables = tuple(_pinyin(list(term))) if how == "sound" else ()
    return Entry(term, row[1], severity, how, syllables)


@lru_cache(maxsize=8)
def compile_matcher(
    term_rows: tuple[tuple[str, ...], ...], whitelist_rows: tuple[tuple[str, ...], ...]
) -> Matcher:
    """The lists as one matcher; a later row for the same term replaces the earlier one."""
    entries = {entry.term: entry for entry in filter(None, map(_entry, term_rows))}
    exact = {term: e for term, e in entries.items() if e.how != "latin"}
    sound = tuple(e for e in entries.values() if e.how == "sound")
    latin = {term: e for term, e in entries.items() if e.how == "latin"}
    latin.update({"".join(e.syllables): e for e in sound})
    phrases = [row[0].lower() for row in whitelist_rows if row and row[0]]
    whitelist = re.compile(f"(?=({_alternation(phrases)}))") if phrases else None
    return Matcher(exact, sound, latin, whitelist)


def matcher_for(context: Context) -> Matcher:
    return compile_matcher(
        lexicon_of(context, "vulgar_terms.txt"), lexicon_of(context, "vulgar_whitelist.txt")
    )


def _finding(doc: Document, which: Field, hit: Hit) -> Finding:
    label, label_en = CATEGORIES[hit.entry.category]
    score, note, note_en = HOW[hit.how]
    evidence = {"term": hit.entry.term, "category": hit.entry.category, "how": hit.how}
    if hit.entry.syllables and hit.how in ("homophone", "pinyin"):
        evidence["pinyin"] = " ".join(hit.entry.syllables)
    return finding_at(
        doc,
        which,
        hit.start,
        hit.end,
        rule=f"vulgar.{hit.entry.category}",
        category="vulgar",
        severity=hit.entry.severity,
        score=score,
        message=f"{label}：“{hit.entry.term}”{note}",
        message_en=f"{label_en.capitalize()}: “{hit.entry.term}”{note_en}",
        evidence=evidence,
    )


@register
class VulgarCheck(Check):
    name = "vulgar"
    version = "vulgar-1"
    categories = ("vulgar",)
    title = "低俗、色情、血腥与辱骂"
    title_en = "Vulgar, sexual, gory and abusive words"

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        matcher = matcher_for(context)
        for which in FIELDS:
            text = doc.norm(which).text
            if text:
                for hit in matcher.hits(text):
                    yield _finding(doc, which, hit)
