"""HTML to plain text, one line per block, with offsets back into the markup."""

from __future__ import annotations

import html
from dataclasses import dataclass
from enum import Enum, auto
from html.parser import HTMLParser

from .offsets import OffsetMap, OffsetMapBuilder

# Elements that start a new line in rendered text.
BLOCK_ELEMENTS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
# Table cells sit side by side; a space keeps their contents from running together.
CELL_ELEMENTS = frozenset({"td", "th"})
# Elements whose content is never shown as text.
HIDDEN_ELEMENTS = frozenset({"script", "style"})
PREFORMATTED_ELEMENTS = frozenset({"pre", "textarea"})

# Outside <pre>, line breaks in the markup are ordinary spaces when rendered.
_SOURCE_WHITESPACE = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\f": " "})


class _Kind(Enum):
    TEXT = auto()
    REFERENCE = auto()
    START_TAG = auto()
    END_TAG = auto()
    # "<br/>": it opens nothing, so it must not change how deep we are in hidden content.
    EMPTY_TAG = auto()
    OTHER = auto()


_TAG_KINDS = frozenset({_Kind.START_TAG, _Kind.END_TAG, _Kind.EMPTY_TAG})
_DEPTH_STEP = {_Kind.START_TAG: 1, _Kind.END_TAG: -1, _Kind.EMPTY_TAG: 0}


@dataclass(frozen=True, slots=True)
class _Event:
    kind: _Kind
    start: int
    tag: str = ""


class _EventRecorder(HTMLParser):
    """Records where each parsed construct begins; it ends where the next one begins."""

    def __init__(self, source: str) -> None:
        # Character references are decoded by hand so that each keeps its own span.
        super().__init__(convert_charrefs=False)
        self.events: list[_Event] = []
        self._line_starts = [0]
        self._line_starts.extend(i + 1 for i, ch in enumerate(source) if ch == "\n")

    def _record(self, kind: _Kind, tag: str = "") -> None:
        line, column = self.getpos()
        self.events.append(_Event(kind, self._line_starts[line - 1] + column, tag))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._record(_Kind.START_TAG, tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._record(_Kind.EMPTY_TAG, tag)

    def handle_endtag(self, tag: str) -> None:
        self._record(_Kind.END_TAG, tag)

    def handle_data(self, data: str) -> None:
        self._record(_Kind.TEXT)

    def handle_entityref(self, name: str) -> None:
        self._record(_Kind.REFERENCE)

    def handle_charref(self, name: str) -> None:
        self._record(_Kind.REFERENCE)

    def handle_comment(self, data: str) -> None:
        self._record(_Kind.OTHER)

    def handle_decl(self, decl: str) -> None:
        self._record(_Kind.OTHER)

    def handle_pi(self, data: str) -> None:
        self._record(_Kind.OTHER)

    def unknown_decl(self, data: str) -> None:
        self._record(_Kind.OTHER)


def _parse(source: str) -> list[_Event]:
    recorder = _EventRecorder(source)
    recorder.feed(source)
    recorder.close()
    return recorder.events


def html_to_text(source: str) -> tuple[str, OffsetMap]:
    """Render HTML as plain text and map every output character back into ``source``.

    Block elements become line breaks, table cells are separated by spaces, script and
    style contents and comments are dropped, and character references are decoded.
    Whitespace is left uncollapsed; outside preformatted blocks source line breaks
    become spaces, as a browser would render them.
    """
    builder = OffsetMapBuilder(len(source))
    events = _parse(source)
    hidden_depth = 0
    preformatted_depth = 0
    for index, event in enumerate(events):
        end = events[index + 1].start if index + 1 < len(events) else len(source)
        if end <= event.start:
            continue
        if event.kind in _TAG_KINDS:
            step = _DEPTH_STEP[event.kind]
            if event.tag in HIDDEN_ELEMENTS:
                hidden_depth = max(0, hidden_depth + step)
            elif event.tag in PREFORMATTED_ELEMENTS:
                preformatted_depth = max(0, preformatted_depth + step)
            if event.tag in BLOCK_ELEMENTS:
                builder.emit("\n", event.start, end)
            elif event.tag in CELL_ELEMENTS and event.kind is not _Kind.END_TAG:
                builder.emit(" ", event.start, end)
            continue
        if hidden_depth or event.kind is _Kind.OTHER:
            continue
        if event.kind is _Kind.REFERENCE:
            raw = source[event.start : end]
            decoded = html.unescape(raw)
            if preformatted_depth == 0:
                decoded = decoded.translate(_SOURCE_WHITESPACE)
            if decoded == raw:
                # Not a reference after all (e.g. "&unknown;"): keep it character for character.
                builder.place(raw, event.start)
            else:
                builder.emit(decoded, event.start, end)
        else:
            text = source[event.start : end]
            if preformatted_depth == 0:
                # Same length, so every character keeps its own source position.
                text = text.translate(_SOURCE_WHITESPACE)
            builder.place(text, event.start)
    return builder.build()
