"""Source (稿源): reprints must name their source; current-affairs news only from listed sources.

A post names sources in its platform metadata (`declared_source`), with markers in the text
(来源：…, 转自…, 原标题：…; `data/source_markers.txt`) or with a wire dateline (新华社北京11月23日电).
Rules:
- `source.vague`: the named source is no source (网络, 网友, 朋友圈…; `data/source_vague.txt`);
- `source.unnamed`: the text shows a reprint (原标题：…) but names no source anywhere;
- `source.not_whitelisted`: a reprint of current-affairs news (`data/source_current_affairs.txt`)
  whose named sources are none on the list (`data/source_whitelist.txt`, a deployment's own).
"来源：X" alone does not make a reprint (originals end with their own name that way): a reprint is
shown by the metadata, a 转自-style marker, a dateline, "not original" with a named source, or an
earlier near-duplicate in the index whose publisher the post names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from ..context import lexicon_of
from ..model import Document, Field, Finding, finding_at
from ..registry import Check, Context, register

_NAME = r"《?(?P<name>[^\s，。；;、,:：|丨（）()【】\[\]“”\"'‘’《》<>!！?？]{1,30})"
# What follows a source's name on the same line without separating punctuation.
_NAME_TAIL = re.compile(
    r"(?:责任编辑|编辑|责编|记者|作者|通讯员|审核|审校|校对|摄影|图片|视频|原标题|\d{1,4}[年月日]).*$"
)
_DATELINE = re.compile(
    r"^[ \t]*[（(]?据?(?P<name>[\u4e00-\u9fff]{2,8}?(?:社|网|台))[\u4e00-\u9fff]{0,6}?"
    r"\d{1,2}月\d{1,2}日电",
    re.MULTILINE,
)
_DATELINE_REACH = 200  # datelines open the text
_VAGUE_AFFIXES = re.compile(r"^(?:综合|整理|摘编)?自?|(?:综合|整理|消息|报道|等)$")
CURRENT_AFFAIRS_SCORE = 4  # twice the title's term weights plus the body's


@dataclass(frozen=True)
class Mention:
    """A source named, or a reprint shown, somewhere in a post."""

    name: str  # the source as written ("" when a reprint sign names none)
    kind: str  # named, inline, reprint (data/source_markers.txt), dateline, declared
    field: Field
    start: int  # span in the normalised field; 0, 0 for the metadata
    end: int
    marker: str = ""

    @property
    def shows_reprint(self) -> bool:
        return self.kind in ("inline", "reprint", "dateline", "declared")


@cache
def _marker_patterns(rows: tuple[tuple[str, ...], ...]) -> dict[str, re.Pattern[str]]:
    by_kind: dict[str, list[str]] = {"named": [], "inline": [], "reprint": []}
    for row in rows:
        if len(row) >= 2 and row[1] in by_kind:
            by_kind[row[1]].append(row[0])
    tails = {
        "named": r"[ \t]*[：:|丨][ \t]*" + _NAME,
        "inline": r"[ \t]*[：:]?[ \t]*" + _NAME,
        "reprint": r"[ \t]*[：:]",
    }
    patterns = {}
    for kind, markers in by_kind.items():
        if markers:
            words = "|".join(map(re.escape, sorted(markers, key=len, reverse=True)))
            patterns[kind] = re.compile(f"(?P<marker>{words}){tails[kind]}")
    return patterns


def _clean_name(raw: str) -> str:
    return _NAME_TAIL.sub("", raw).strip()


def mentions(doc: Document, context: Context) -> list[Mention]:
    """Every source the post names or reprint it shows: metadata first, then in text order."""
    found: list[Mention] = []
    if doc.declared_source.strip():
        found.append(Mention(doc.declared_source.strip(), "declared", "title", 0, 0))
    patterns = _marker_patterns(lexicon_of(context, "source_markers.txt"))
    for field in ("title", "body"):
        text = doc.norm(field).text
        for kind, pattern in patterns.items():
            for match in pattern.finditer(text):
                name = _clean_name(match["name"]) if kind != "reprint" else ""
                if kind != "reprint" and len(name) < 2:
                    continue
                found.append(
                    Mention(name, kind, field, match.start(), match.end(), match["marker"])
                )
        if field == "body":
            for match in _DATELINE.finditer(text, 0, _DATELINE_REACH):
                found.append(Mention(match["name"], "dateline", field, *match.span("name")))
    found.sort(key=lambda m: (m.kind != "declared", m.field != "title", m.start))
    return found


def _compact(name: str) -> str:
    return re.sub(r"\s+", "", name).lower()


def is_vague(name: str, context: Context) -> bool:
    core = _VAGUE_AFFIXES.sub("", _compact(name))
    return core in {_compact(row[0]) for row in lexicon_of(context, "source_vague.txt")} or not core


@cache
def _whitelist_pattern(rows: tuple[tuple[str, ...], ...]) -> re.Pattern[str] | None:
    names = {_compact(name) for row in rows for name in row if name}
    if not names:
        return None
    return re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))


def whitelisted(name: str, context: Context) -> bool:
    """Whether the source contains a name on the list of sources current affairs may come from."""
    pattern = _whitelist_pattern(lexicon_of(context, "source_whitelist.txt"))
    return pattern is not None and pattern.search(_compact(name)) is not None


def names_match(a: str, b: str) -> bool:
    """Whether two names of a source agree (one contains the other: 东湖发布 / 东湖发布微信公众号)."""
    a, b = _compact(a), _compact(b)
    return len(a) >= 2 and len(b) >= 2 and (a in b or b in a)


@cache
def _terms(rows: tuple[tuple[str, ...], ...]) -> tuple[re.Pattern[str] | None, dict[str, int]]:
    weights = {row[0]: int(row[1]) if len(row) > 1 else 1 for row in rows}
    if not weights:
        return None, weights
    words = "|".join(map(re.escape, sorted(weights, key=len, reverse=True)))
    return re.compile(words), weights


def current_affairs(doc: Document, context: Context) -> list[str]:
    """The current-affairs terms of a post when they add up to current-affairs news, else []."""
    pattern, weights = _terms(lexicon_of(context, "source_current_affairs.txt"))
    if pattern is None:
        return []
    in_title = set(pattern.findall(doc.title_norm.text))
    in_body = set(pattern.findall(doc.body_norm.text))
    score = 2 * sum(weights[t] for t in in_title) + sum(weights[t] for t in in_body)
    return sorted(in_title | in_body) if score >= CURRENT_AFFAIRS_SCORE else []


def credited_names(found: Iterable[Mention], context: Context) -> list[str]:
    """The sources a post credits: named ones that are not vague, in order, without repeats."""
    names: list[str] = []
    for mention in found:
        if mention.name and not is_vague(mention.name, context) and mention.name not in names:
            names.append(mention.name)
    return names


def _at(doc: Document, mention: Mention, **fields: object) -> Finding:
    if mention.kind == "declared":  # metadata: point at the title, the post's visible label
        return finding_at(doc, "title", 0, len(doc.title_norm.text), **fields)
    return finding_at(doc, mention.field, mention.start, mention.end, **fields)


@register
class SourceCheck(Check):
    name = "source"
    version = "source-1"
    categories = ("source",)
    title = "稿源"
    title_en = "Source"

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        found = mentions(doc, context)
        yield from self._vague(doc, context, found)
        names = credited_names(found, context)
        if not names:
            sign = next((m for m in found if m.kind == "reprint"), None)
            if sign is not None:
                yield self._unnamed(doc, sign)
            return
        if any(whitelisted(name, context) for name in names):
            return
        terms = current_affairs(doc, context)
        if terms and self._is_reprint(doc, context, found, names):
            named = next(m for m in found if m.name in names)
            yield _at(
                doc,
                named,
                rule="source.not_whitelisted",
                category="source",
                severity="medium",
                score=0.7,
                message=f"时政类新闻转载自“{named.name}”，该稿源不在可转载的稿源名单内",
                message_en=(
                    f"Current-affairs news reprinted from “{named.name}”, which is not on the "
                    "list of sources such news may be reprinted from"
                ),
                suggestion="请改用名单内稿源（中央和省级新闻单位等）发布的稿件",
                evidence={"sources": names, "current_affairs_terms": terms[:8]},
            )

    def _vague(self, doc: Document, context: Context, found: list[Mention]) -> Iterator[Finding]:
        for mention in found:
            if mention.name and is_vague(mention.name, context):
                yield _at(
                    doc,
                    mention,
                    rule="source.vague",
                    category="source",
                    severity="medium",
                    score=0.8,
                    message=f"稿源“{mention.name}”不是具体来源，转载须注明原始出处（媒体或账号名称）",
                    message_en=(
                        f"“{mention.name}” is not a source: a reprint must name the outlet or "
                        "account it comes from"
                    ),
                    evidence={"source": mention.name, "marker": mention.marker},
                )

    def _unnamed(self, doc: Document, sign: Mention) -> Finding:
        return _at(
            doc,
            sign,
            rule="source.unnamed",
            category="source",
            severity="medium",
            score=0.6,
            message=f"有转载迹象（“{sign.marker}”）但未注明来源",
            message_en=f"Shows a reprint (“{sign.marker}”) but names no source",
            suggestion="注明稿件来源：原发媒体或账号名称",
            evidence={"marker": sign.marker},
        )

    def _is_reprint(
        self, doc: Document, context: Context, found: list[Mention], names: list[str]
    ) -> bool:
        if any(m.shows_reprint and m.name for m in found):
            return True
        if doc.declared_original is False:
            return True
        from .originality import earlier_copies  # the index, only when the text cannot tell

        return any(
            names_match(name, candidate.account_name or candidate.declared_source)
            for candidate in earlier_copies(doc, context)
            for name in names
        )
