"""Punctuation: unbalanced brackets and quotes, half-width marks in Chinese, doubled marks.

Rules:
- `punctuation.unbalanced`: a closing mark with no opening one, or an opening mark never closed
  within its paragraph (a quotation running over several paragraphs opens each of them and
  closes only the last, so an unclosed quote followed by a paragraph that opens one is fine);
- `punctuation.width_pair`: a pair that opens full-width and closes half-width, or the reverse;
- `punctuation.width`: a half-width , ; : ? ! between two Chinese characters, or a half-width
  full stop after a Chinese character at the end of a sentence;
- `punctuation.doubled`: two clause marks in a row ("，，", "，。"); "。。。" for an ellipsis.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .lexicon import CJK

# Opening mark → (closing marks, kind). Round brackets close in either width and say so.
PAIRS = {
    "（": ("）)", "round"),
    "(": (")）", "round"),
    "《": ("》", "title"),
    "“": ("”", "quote"),
    "‘": ("’", "quote1"),
    "【": ("】", "square"),
    "「": ("」", "corner"),
    "『": ("』", "corner2"),
    "〔": ("〕", "tortoise"),
    "〈": ("〉", "angle"),
}
CLOSERS = {close: kind for _, (closes, kind) in PAIRS.items() for close in closes}
MARKS = re.compile("[" + re.escape("".join(PAIRS) + "".join(CLOSERS)) + "]")
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。"}
HALF_IN_CHINESE = re.compile(f"(?<=[{CJK}])[,;:?!](?=[{CJK}“‘《（])")
HALF_STOP = re.compile(f"(?<=[{CJK}])\\.(?=$|\\n|[{CJK}“‘《（])", re.MULTILINE)
DOUBLED = re.compile("[，、；：。]{2,}")
LATIN = re.compile("[A-Za-z]")


@dataclass(frozen=True)
class Problem:
    start: int
    end: int
    rule: str
    mark: str
    suggestion: str = ""


def find(text: str) -> Iterator[Problem]:
    yield from _pairs(text)
    for match in HALF_IN_CHINESE.finditer(text):
        mark = match.group()
        yield Problem(match.start(), match.end(), "width", mark, FULL_WIDTH[mark])
    for match in HALF_STOP.finditer(text):
        yield Problem(match.start(), match.end(), "width", ".", "。")
    for match in DOUBLED.finditer(text):
        marks = match.group()
        suggestion = "……" if set(marks) == {"。"} and len(marks) >= 3 else marks[-1]
        yield Problem(match.start(), match.end(), "doubled", marks, suggestion)


def _pairs(text: str) -> Iterator[Problem]:
    lines = text.split("\n")
    offset = 0
    for number, line in enumerate(lines):
        following = lines[number + 1].lstrip() if number + 1 < len(lines) else ""
        yield from _line_pairs(line, offset, following)
        offset += len(line) + 1


def _line_pairs(line: str, offset: int, following: str) -> Iterator[Problem]:
    stack: list[tuple[int, str]] = []  # (position, opening mark)
    for match in MARKS.finditer(line):
        mark, at = match.group(), match.start()
        if mark == "’" and _apostrophe(line, at):
            continue
        if mark in PAIRS:
            stack.append((at, mark))
            continue
        kind = CLOSERS[mark]
        depth = next(
            (d for d in range(len(stack) - 1, -1, -1) if PAIRS[stack[d][1]][1] == kind), -1
        )
        if depth < 0:
            yield Problem(offset + at, offset + at + 1, "unbalanced", mark)
            continue
        for position, opening in stack[depth + 1 :]:
            yield Problem(offset + position, offset + position + 1, "unbalanced", opening)
        opening = stack[depth][1]
        del stack[depth:]
        if mark not in PAIRS[opening][0][:1]:
            yield Problem(offset + at, offset + at + 1, "width_pair", mark, PAIRS[opening][0][0])
    for position, opening in stack:
        if opening in "“‘" and following.startswith(opening):
            continue  # a quotation that runs on into the next paragraph
        yield Problem(offset + position, offset + position + 1, "unbalanced", opening)


def _apostrophe(line: str, at: int) -> bool:
    """’ between Latin letters (don’t) is an apostrophe, not a closing quote."""
    return bool(at and LATIN.match(line[at - 1]))
