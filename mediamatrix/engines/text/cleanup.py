"""Whitespace and invisible-character cleanup.

Removes characters that render as nothing, turns every kind of space into a plain space
and every kind of line break into ``\\n``, collapses runs of spaces inside a line, strips
each line and drops empty lines. The result is one non-empty line per paragraph.
"""

from __future__ import annotations

import re

from .offsets import OffsetMap, OffsetMapBuilder

LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
# Spaces other than line breaks, ideographic and no-break spaces included.
SPACES = "\t \xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
# Characters that render as nothing but would split words apart for matching:
# control characters, zero-width spaces and joiners, direction marks and embeddings,
# the word joiner family, the byte-order mark, soft hyphens, lone surrogates and tags.
INVISIBLES = (
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f"
)

_TOKENS = re.compile(
    f"(?P<visible>[^{LINE_BREAKS}{SPACES}{INVISIBLES}]+)"
    f"|(?P<space>[{SPACES}]+)"
    f"|(?P<line_break>[{LINE_BREAKS}])"
    f"|(?P<invisible>[{INVISIBLES}]+)"
)


def clean_whitespace(text: str) -> tuple[str, OffsetMap]:
    """Clean ``text`` as described in the module docstring, keeping offsets.

    A collapsed run of spaces maps back to the whole run, a line break to the first
    break that ended its line.
    """
    builder = OffsetMapBuilder(len(text))
    # A separator waits until visible text follows it, which is what strips lines and
    # drops blank ones: (source start, source end) or None.
    pending_space: tuple[int, int] | None = None
    pending_break: tuple[int, int] | None = None
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        start, end = match.span()
        if kind == "visible":
            if pending_break is not None:
                builder.emit("\n", *pending_break)
            elif pending_space is not None:
                builder.emit(" ", *pending_space)
            pending_space = pending_break = None
            builder.place(match.group(), start)
        elif kind == "line_break":
            pending_space = None
            if len(builder) and pending_break is None:
                pending_break = (start, end)
        elif kind == "space":
            if len(builder) and pending_break is None:
                pending_space = (start if pending_space is None else pending_space[0], end)
        elif pending_space is not None:
            # Invisible characters inside a run of spaces belong to the run.
            pending_space = (pending_space[0], end)
    return builder.build()
