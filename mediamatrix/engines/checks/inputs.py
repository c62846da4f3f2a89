"""Files as the `check` command reads them: text, HTML or .docx, split into title and body.

A text file whose first line is followed by a blank line is a title and a body; otherwise it is
all body. Findings' spans are shifted so they index the input as given: the text file itself,
the HTML markup, or for .docx the text of its paragraphs joined by newlines (a blank line after a
short first paragraph, which is read as the title).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from .model import Document, Finding

_TITLE_BREAK = re.compile(r"\r?\n[ \t\u3000]*\r?\n")


@dataclass(frozen=True)
class CheckInput:
    name: str
    text: str  # what spans index
    document: Document
    title_at: int  # where the title starts in `text`
    body_at: int  # where the body starts in `text`

    def place(self, finding: Finding) -> Finding:
        """The finding with its span indexing `text` instead of its field."""
        base = self.title_at if finding.field == "title" else self.body_at
        return replace(finding, start=finding.start + base, end=finding.end + base)


def read_input(name: str, data: bytes) -> CheckInput:
    lower = name.lower()
    if lower.endswith(".docx"):
        return _split_text(name, _docx_text(data))
    text = _decode(data)
    if lower.endswith((".html", ".htm")) or _looks_like_html(text):
        return _html_input(name, text)
    return _split_text(name, text)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _split_text(name: str, text: str) -> CheckInput:
    first = text.find("\n")
    match = _TITLE_BREAK.match(text, first) if first > 0 else None
    if match is None or not text[:first].strip():
        return CheckInput(name, text, Document(body=text), 0, 0)
    title = text[:first].rstrip("\r")
    return CheckInput(name, text, Document(title=title, body=text[match.end() :]), 0, match.end())


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html", "<p", "<div", "<section", "<article"))


class _TitleFinder(HTMLParser):
    """The position and text of the first <h1> (or <title>) element's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.inside: str | None = None
        self.found: dict[str, tuple[int, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "title") and tag not in self.found:
            self.inside = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self.inside:
            self.inside = None

    def handle_data(self, data: str) -> None:
        if self.inside and data.strip() and self.inside not in self.found:
            self.found[self.inside] = (self._offset(), data)

    def _offset(self) -> int:
        line, column = self.getpos()
        return sum(len(x) for x in self.rawdata.splitlines(keepends=True)[: line - 1]) + column


def _html_input(name: str, markup: str) -> CheckInput:
    finder = _TitleFinder()
    finder.feed(markup)
    found = finder.found.get("h1") or finder.found.get("title")
    if found is None:
        return CheckInput(name, markup, Document(body=markup, html=True), 0, 0)
    position, raw = found
    stripped = raw.strip()
    title_at = position + raw.index(stripped)
    return CheckInput(name, markup, Document(title=stripped, body=markup, html=True), title_at, 0)


def _docx_text(data: bytes) -> str:
    from docx import Document as DocxDocument

    paragraphs = [p.text for p in DocxDocument(io.BytesIO(data)).paragraphs]
    while paragraphs and not paragraphs[0].strip():
        paragraphs.pop(0)
    # Word titles are rarely followed by an empty paragraph: a short first line is a title.
    if len(paragraphs) > 1 and paragraphs[1].strip() and len(paragraphs[0]) <= 60:
        paragraphs.insert(1, "")
    return "\n".join(paragraphs)
