"""The debunk library (辟谣库): debunk records, their readers, and a fast similarity index.

A `Debunk` is a false claim and its refutation. Readers take our CSV layout (Chinese headers)
and schema.org ClaimReview JSON and return the records plus one `DebunkError` per bad row.
`DebunkLibrary` indexes debunks by character bigrams (and whole Latin words and numbers) of the
normalised text, weighted by TF-IDF, in an inverted index held as numpy arrays; `match` ranks
every debunk by cosine similarity in one vectorised pass, then rescores the best few against
windows of consecutive sentences so a rumour quoted inside a long article is not diluted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from mediamatrix.engines.text import DateTextError, normalize, parse_datetime, split_sentences

INDEX_VERSION = "rumours-1"  # the index layout and scoring: change it when either changes


@dataclass(frozen=True)
class Debunk:
    """One debunked claim: what circulates (`claim`), the refutation (`text`), who and when."""

    id: str
    claim: str = ""
    text: str = ""
    source: str = ""
    url: str = ""
    date: date | None = None
    tags: tuple[str, ...] = ()
    rating: str = ""  # the verdict as published (谣言, 不实, False, Misleading …)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "claim": self.claim,
            "text": self.text,
            "source": self.source,
            "url": self.url,
            "date": self.date.isoformat() if self.date else "",
            "tags": list(self.tags),
            "rating": self.rating,
        }


def debunk_id(claim: str, text: str) -> str:
    """A stable id for a record that has none: a digest of its claim and text."""
    digest = hashlib.sha1(f"{claim}\x00{text}".encode()).hexdigest()
    return f"d-{digest[:12]}"


# Readers ---------------------------------------------------------------------------------------

# Our CSV layout: the first header of each column is ours (templates write it), the others are
# accepted on import. Only 谣言 or 辟谣内容 must be present; other columns are ignored.
CSV_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "id": ("编号", "id"),
    "claim": ("谣言", "谣言内容", "不实说法", "claim"),
    "text": ("辟谣内容", "辟谣", "debunk", "text"),
    "source": ("来源", "辟谣来源", "辟谣机构", "source"),
    "url": ("链接", "网址", "url"),
    "date": ("日期", "辟谣日期", "date"),
    "tags": ("标签", "tags", "keywords"),
    "rating": ("结论", "rating"),
}
CSV_HEADERS = tuple(names[0] for names in CSV_COLUMNS.values())
_HEADER_KEYS = {name.casefold(): key for key, names in CSV_COLUMNS.items() for name in names}
HEADER_SCAN_ROWS = 10
_TAG_SPLIT = re.compile(r"[,，;；、|]")


@dataclass(frozen=True)
class DebunkError:
    """One problem: the row (CSV, numbered as a spreadsheet shows it) or the item (JSON, in
    file order; `item=True`), the column header or JSON key, and why. Row 0: the whole file."""

    row: int
    field: str
    reason: str
    reason_en: str
    value: str = ""
    item: bool = False

    def __str__(self) -> str:
        if self.row == 0:
            return f"文件：{self.reason}"
        where = f"第{self.row}{'条' if self.item else '行'}"
        return f"{where} [{self.field or '整行'}] {self.reason}"


@dataclass(frozen=True)
class DebunkRead:
    """What a reader found: the good records, and one error per problem (bad rows are left out)."""

    debunks: tuple[Debunk, ...]
    errors: tuple[DebunkError, ...]


def read_debunk_file(name: str, data: bytes) -> DebunkRead:
    """A CSV file in our layout, or ClaimReview JSON (by suffix, else by its first character)."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix in ("json", "jsonld") or (
        suffix not in ("csv", "tsv", "txt") and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in b"[{"
    ):
        return read_claimreview(data)
    return read_debunks_csv(data)


def _file_error(reason: str, reason_en: str, row: int = 0) -> DebunkRead:
    return DebunkRead((), (DebunkError(row, "", reason, reason_en),))


def _decode(data: bytes) -> str | None:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, else GB18030 (a superset of GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_debunks_csv(data: bytes) -> DebunkRead:
    """Debunks from CSV (comma- or tab-separated) under our headers (`CSV_COLUMNS`)."""
    text = _decode(data)
    if text is None:
        return _file_error("文件编码无法识别，请保存为 UTF-8 或 GBK。", "Unknown text encoding.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    header: dict[int, str] | None = None
    names: dict[str, str] = {}
    debunks: list[Debunk] = []
    errors: list[DebunkError] = []
    seen: dict[str, int] = {}
    number = 0
    try:
        for number, cells in enumerate(reader, 1):
            cells = [cell.strip() for cell in cells]
            if header is None:
                header = _header(cells)
                if header is None and number >= HEADER_SCAN_ROWS:
                    break
                names = {key: cells[i] for i, key in (header or {}).items()}
                continue
            if any(cells):
                values = {key: cells[i] for i, key in header.items() if i < len(cells)}
                _add(values, number, names, seen, debunks, errors)
    except csv.Error:
        errors.append(
            DebunkError(number + 1, "", "引号不成对，无法读取此行及之后的内容。", "Bad quoting.")
        )
    if header is None:
        return _file_error("没有找到表头：需要“谣言”或“辟谣内容”列。", "No header row found.")
    return DebunkRead(tuple(debunks), tuple(errors))


def _delimiter(text: str) -> str:
    """A tab when a header row shows up split by tabs, else a comma."""
    for line in text.splitlines()[:HEADER_SCAN_ROWS]:
        if _header([cell.strip().strip('"') for cell in line.split("\t")]) is not None:
            return "\t"
    return ","


def _header(cells: list[str]) -> dict[int, str] | None:
    keys = {
        i: _HEADER_KEYS[c.casefold()] for i, c in enumerate(cells) if c.casefold() in _HEADER_KEYS
    }
    return keys if {"claim", "text"} & set(keys.values()) else None


def _add(
    values: Mapping[str, Any],
    number: int,
    names: Mapping[str, str],
    seen: dict[str, int],
    debunks: list[Debunk],
    errors: list[DebunkError],
    *,
    item: bool = False,
) -> None:
    """Validate one row's values (claim, text, date, url, tags…) and keep it, or its errors."""
    found: list[DebunkError] = []

    def problem(key: str, reason: str, reason_en: str, value: str = "") -> None:
        found.append(DebunkError(number, names.get(key, key), reason, reason_en, value, item))

    claim, text = values.get("claim", ""), values.get("text", "")
    if not claim and not text:
        problem("claim", "谣言和辟谣内容不能都为空。", "Claim and debunk text are both empty.")
    when: date | None = None
    if values.get("date"):
        try:
            when = parse_datetime(values["date"]).date()
        except DateTextError as error:
            problem("date", str(error), "Not a date.", values["date"])
    url = values.get("url", "")
    if url and not re.match(r"https?://\S+$", url, re.IGNORECASE):
        problem("url", "链接应以 http:// 或 https:// 开头。", "Not a web address.", url)
    ident = values.get("id", "") or debunk_id(claim, text)
    if ident in seen:
        where = "条" if item else "行"
        problem("id", f"编号与第{seen[ident]}{where}重复。", "Duplicate id.", ident)
    if found:
        errors.extend(found)
        return
    seen[ident] = number
    tags = values.get("tags", ())
    if isinstance(tags, str):
        tags = [t.strip() for t in _TAG_SPLIT.split(tags)]
    source, rating = values.get("source", ""), values.get("rating", "")
    debunks.append(
        Debunk(ident, claim, text, source, url, when, tuple(t for t in tags if t), rating)
    )


def read_claimreview(data: bytes | str) -> DebunkRead:
    """Debunks from schema.org ClaimReview JSON: one object, a list, or a `@graph`."""
    text = _decode(data) if isinstance(data, bytes) else data
    if text is None:
        return _file_error("文件不是 UTF-8 文本。", "Not UTF-8 text.")
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        return _file_error(f"JSON 格式错误（第{error.lineno}行）：{error.msg}", "Invalid JSON.")
    reviews = list(_claim_reviews(parsed))
    if not reviews:
        return _file_error("文件中没有 ClaimReview 对象。", "No ClaimReview found.")
    debunks: list[Debunk] = []
    errors: list[DebunkError] = []
    seen: dict[str, int] = {}
    for number, review in enumerate(reviews, 1):
        _add(_claim_review_values(review), number, _JSON_KEYS, seen, debunks, errors, item=True)
    return DebunkRead(tuple(debunks), tuple(errors))


_JSON_KEYS = {
    "id": "@id",
    "claim": "claimReviewed",
    "date": "datePublished",
    "url": "url",
}


def _claim_reviews(node: Any) -> Iterator[dict[str, Any]]:
    """ClaimReview objects in file order; other nodes (a page's WebSite, Organization…) skipped."""
    if isinstance(node, list):
        for child in node:
            yield from _claim_reviews(child)
    elif isinstance(node, dict):
        types = node.get("@type", ())
        types = [types] if isinstance(types, str) else types
        if any(str(t).rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "ClaimReview" for t in types):
            yield node
        elif "@graph" in node:
            yield from _claim_reviews(node["@graph"])


def _claim_review_values(review: Mapping[str, Any]) -> dict[str, Any]:
    rating = review.get("reviewRating")
    rating = rating if isinstance(rating, dict) else {}
    reviewed = review.get("itemReviewed")
    reviewed = reviewed if isinstance(reviewed, dict) else {}
    verdict = _text(rating.get("alternateName"))
    if not verdict and rating.get("ratingValue") is not None:
        best = _text(rating.get("bestRating"))
        verdict = _text(rating["ratingValue"]) + (f"/{best}" if best else "")
    keywords = review.get("keywords", ())
    return {
        "id": _text(review.get("@id")) or _text(review.get("identifier")),
        "claim": _text(review.get("claimReviewed")) or _text(reviewed.get("name")),
        "text": _first(review, "reviewBody", "description")
        or _text(rating.get("ratingExplanation"))
        or _first(review, "headline", "name"),
        "source": _name(review.get("author")) or _name(review.get("publisher")),
        "url": _text(review.get("url")),
        "date": _text(review.get("datePublished")),
        "tags": keywords if isinstance(keywords, list) else _text(keywords),
        "rating": verdict,
    }


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("@value", value.get("name", ""))
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None or isinstance(value, dict | list) else str(value).strip()


def _first(mapping: Mapping[str, Any], *keys: str) -> str:
    return next((text for key in keys if (text := _text(mapping.get(key)))), "")


def _name(value: Any) -> str:
    """An author or publisher: a name, a Person/Organization, or a list of them."""
    if isinstance(value, list):
        return "、".join(name for v in value if (name := _name(v)))
    return _text(value.get("name")) if isinstance(value, dict) else _text(value)


# Terms -----------------------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[!-~]*", re.IGNORECASE)
_MENTION = re.compile(r"@[\w\-]{1,20}")  # social-media handles name a source, not the claim
_WORDS = re.compile(r"[a-z0-9]+", re.IGNORECASE)
_CJK_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_WORD_KEY = 1 << 45  # above every bigram key (two code points of 21 bits)
# A quoted statement: what a debunk usually repeats of the rumour (网传“……”不实).
_QUOTED = re.compile(r"“([^“”]{4,})”|「([^「」]{4,})」|\"([^\"]{4,})\"")


def term_keys(normalised: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The terms of text already through `normalize`, as integer keys, and where each starts:
    every two adjacent Chinese characters, a lone Chinese character, a run of Latin letters
    or digits (lower-cased); web addresses and @handles are left out. Third, the running count
    of content characters (`content[j]`: how many of the first j characters carry meaning)."""
    blanked = _MENTION.sub(_blank, _URL.sub(_blank, normalised))
    codes = np.frombuffer(blanked.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    cjk = np.zeros(len(codes), dtype=bool)
    for low, high in _CJK_BLOCKS:
        cjk |= (codes >= low) & (codes <= high)
    pair = cjk[:-1] & cjk[1:]
    at = np.flatnonzero(pair)
    edge = np.zeros(1, dtype=bool)
    lone = np.flatnonzero(cjk & ~np.concatenate((edge, pair)) & ~np.concatenate((pair, edge)))
    words = [(m.start(), m.end(), m.group().lower()) for m in _WORDS.finditer(blanked)]
    word_keys = [_WORD_KEY | zlib.crc32(w.encode()) for _, _, w in words]
    keys = np.concatenate(((codes[at] << 21) | codes[at + 1], codes[lone], word_keys))
    starts = np.concatenate((at, lone, [start for start, _, _ in words]))
    content = cjk.astype(np.int64)
    for start, end, _ in words:
        content[start:end] = 1
    return keys.astype(np.int64), starts.astype(np.int64), np.concatenate(([0], np.cumsum(content)))


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())  # keeps every later position in place


def content_length(normalised: str) -> int:
    """Characters that carry meaning: Chinese characters, letters and digits."""
    return int(term_keys(normalised)[2][-1])


def quoted_claims(text: str) -> str:
    """The statements a debunk quotes, joined: the rumour as it circulated, most often."""
    return "\n".join(next(g for g in m.groups() if g) for m in _QUOTED.finditer(text))


# The index -------------------------------------------------------------------------------------

CANDIDATES = 8  # debunks rescored against sentence windows, per query
MIN_WINDOW = 20  # content characters a window of sentences needs (fewer match by chance)
MAX_WINDOW_SENTENCES = 3


@dataclass(frozen=True)
class Match:
    """A debunk that a text resembles: `score` 0–1, and the sentences that matched best."""

    debunk: Debunk
    score: float
    start: int  # the best-matching sentence window, in the text given to `match`
    end: int
    passage: str  # "claim" when the claim matched best, else "text" (claim and refutation)


@dataclass(frozen=True)
class _Query:
    spans: list[tuple[int, int]]  # each window's span in the text; the last is the whole text
    weights: np.ndarray  # windows × the query's terms: TF-IDF weights
    norms: np.ndarray  # per window
    ids: np.ndarray  # per term (ascending): the library's term id, -1 when it has none
    judged: np.ndarray  # per window: whether it counts for the score (or only points)


class DebunkLibrary:
    """An immutable index of debunks, built from any iterable of `Debunk` (picklable).

    Each debunk has two passages: its claim (or, without one, the statements its text quotes)
    and its claim and text together. A window of the query scores against a passage by the
    geometric mean of their cosine and the share of the passage's weight the window contains:
    a post repeating a rumour contains most of the claim, while a news report that shares a few
    topical words with it does not.
    """

    def __init__(self, debunks: Iterable[Debunk]) -> None:
        self.version = INDEX_VERSION  # a pickled library is stale when this differs
        self.debunks = tuple(debunks)
        n = len(self.debunks)
        counted = []  # (unique keys, counts) per passage: claims first, then claim and text
        for item in self.debunks:
            claim = item.claim or quoted_claims(item.text)
            counted.append(np.unique(term_keys(normalize(claim).text)[0], return_counts=True))
        for item in self.debunks:
            full = normalize(f"{item.claim}\n{item.text}").text
            counted.append(np.unique(term_keys(full)[0], return_counts=True))
        every = [keys for keys, _ in counted[n:]]
        self._vocab, df = np.unique(
            np.concatenate(every or [np.zeros(0, np.int64)]), return_counts=True
        )
        self._idf = np.log(1 + n / df)
        self._unknown_idf = math.log(1 + max(n, 1))  # a term no debunk has: as rare as can be
        self._passages = [self._unit_vector(keys, counts) for keys, counts in counted]
        self._build_postings()

    def __len__(self) -> int:
        return len(self.debunks)

    def _unit_vector(self, keys: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ids = np.searchsorted(self._vocab, keys)
        weights = (1 + np.log(counts)) * self._idf[ids]
        return ids, weights / (np.linalg.norm(weights) or 1.0)

    def _build_postings(self) -> None:
        """The passages' weights by term (compressed columns), for one-pass scoring."""
        cols = np.concatenate([ids for ids, _ in self._passages] or [np.zeros(0, np.int64)])
        rows = np.repeat(np.arange(len(self._passages)), [len(i) for i, _ in self._passages])
        vals = np.concatenate([w for _, w in self._passages] or [np.zeros(0)])
        order = np.argsort(cols, kind="stable")
        self._rows, self._vals = rows[order].astype(np.int32), vals[order].astype(np.float32)
        counts = np.bincount(cols, minlength=len(self._vocab))
        self._indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    def match(self, text: str, *, limit: int = 3, minimum: float = 0.1) -> list[Match]:
        """The debunks `text` resembles (score ≥ `minimum`, best first); spans index `text`."""
        norm = normalize(text)
        found = self.match_normalised(norm.text, limit=limit, minimum=minimum)
        return [_respan(m, *norm.original_span(m.start, m.end)) for m in found]

    def match_normalised(self, text: str, *, limit: int = 3, minimum: float = 0.1) -> list[Match]:
        """`match` for text already through `normalize`: spans index `text` itself."""
        query = self._query(text) if self.debunks else None
        if query is None:
            return []
        whole = query.weights[-1] / query.norms[-1]
        known = query.ids >= 0
        scores = self._dot(query.ids[known], whole[known])
        n = len(self.debunks)
        per_debunk = np.maximum(scores[:n], scores[n:])
        top = (
            np.argpartition(-per_debunk, CANDIDATES)[:CANDIDATES]
            if n > CANDIDATES
            else np.arange(n)
        )
        top = top[per_debunk[top] > 0]
        top.sort()  # ties go to the debunk listed first
        found = [m for m in self._rescore(query, top) if m.score >= minimum]
        found.sort(key=lambda m: -m.score)
        return found[:limit]

    def _dot(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Every passage's dot product with the query, through the postings of its terms."""
        starts = self._indptr[ids]
        lengths = self._indptr[ids + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(2 * len(self.debunks))
        # The positions of all the terms' postings, gathered in one go.
        at = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
        values = self._vals[at] * np.repeat(weights, lengths)
        return np.bincount(self._rows[at], weights=values, minlength=2 * len(self.debunks))

    def _query(self, text: str) -> _Query | None:
        keys, starts, content = term_keys(text)
        sentences = [
            (s.start, s.end, size)
            for s in split_sentences(text)
            if (size := int(content[s.end] - content[s.start]))
        ]
        if not sentences:
            return None
        spans, firsts, lasts, judged = _windows(sentences)
        # Terms × sentences counts, summed into windows through prefix sums over sentences.
        row = np.searchsorted([start for start, _, _ in sentences], starts, side="right")
        unique, column = np.unique(keys, return_inverse=True)
        width = len(unique)
        flat = np.bincount(row * width + column, minlength=(len(sentences) + 1) * width)
        prefix = np.cumsum(flat.reshape(len(sentences) + 1, width), axis=0)
        windows = prefix[lasts + 1] - prefix[firsts]
        ids = self._lookup(unique)
        idf = np.where(ids >= 0, self._idf[np.maximum(ids, 0)], self._unknown_idf)
        weights = np.where(windows > 0, 1 + np.log(np.maximum(windows, 1)), 0) * idf
        norms = np.sqrt(np.einsum("ij,ij->i", weights, weights))
        norms[norms == 0] = 1.0
        return _Query(spans, weights, norms, ids, judged)

    def _lookup(self, keys: np.ndarray) -> np.ndarray:
        """The vocabulary ids of sorted term keys, -1 for those not in it."""
        if not len(self._vocab):
            return np.full(len(keys), -1)
        ids = np.searchsorted(self._vocab, keys).clip(max=len(self._vocab) - 1)
        return np.where(self._vocab[ids] == keys, ids, -1)

    def _rescore(self, query: _Query, top: np.ndarray) -> list[Match]:
        """Each candidate's best window: √(cosine × the share of the passage it contains)."""
        n = len(self.debunks)
        known = np.flatnonzero(query.ids >= 0)
        parts = [self._passages[i + half] for i in top.tolist() for half in (0, n)]
        rows = np.repeat(np.arange(len(parts)), [len(ids) for ids, _ in parts])
        ids = np.concatenate([ids for ids, _ in parts] or [np.zeros(0, np.int64)])
        weights = np.concatenate([w for _, w in parts] or [np.zeros(0)])
        at = np.searchsorted(query.ids[known], ids).clip(max=max(len(known) - 1, 0))
        hit = query.ids[known][at] == ids if len(known) else np.zeros(len(ids), dtype=bool)
        targets = np.zeros((len(parts), len(query.ids)))
        targets[rows[hit], known[at[hit]]] = weights[hit]
        cosines = (query.weights @ targets.T) / query.norms[:, None]
        shares = (query.weights > 0).astype(np.float64) @ (targets**2).T
        scores = np.sqrt(np.maximum(cosines, 0) * shares)  # windows × (candidate, passage)
        found = []
        judged = scores[query.judged]
        for row, index in enumerate(top.tolist()):
            part = int(np.argmax(judged[:, 2 * row : 2 * row + 2].max(axis=0)))
            score = min(1.0, float(judged[:, 2 * row + part].max()))
            # Point at the sentences that match best (not the whole text).
            start, end = query.spans[int(np.argmax(scores[:-1, 2 * row + part]))]
            found.append(Match(self.debunks[index], score, start, end, ("claim", "text")[part]))
        return found


def _windows(
    sentences: list[tuple[int, int, int]],
) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray, np.ndarray]:
    """Runs of 1–3 consecutive sentences (start, end, content size) long enough to judge, each
    sentence on its own (to point at, not to judge: a short one matches by chance), then the
    whole text: their spans, first and last sentences, and which of them are judged."""
    members: list[tuple[int, int]] = []
    for first in range(len(sentences)):
        size = 0
        for last in range(first, min(first + MAX_WINDOW_SENTENCES, len(sentences))):
            size += sentences[last][2]
            if size >= MIN_WINDOW:
                members.append((first, last))
                break
    judged = len(members)
    members += [(i, i) for i in range(len(sentences))]
    members.append((0, len(sentences) - 1))
    spans = [(sentences[first][0], sentences[last][1]) for first, last in members]
    firsts, lasts = (np.array(side) for side in zip(*members, strict=True))
    mask = np.zeros(len(members), dtype=bool)
    mask[:judged] = mask[-1] = True
    return spans, firsts, lasts, mask


def _respan(found: Match, start: int, end: int) -> Match:
    return Match(found.debunk, found.score, start, end, found.passage)
