"""Traditional to simplified Chinese through OpenCC's ``t2s`` configuration."""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher
from functools import cache

import opencc

from .offsets import OffsetMap, OffsetMapBuilder

Converter = Callable[[str], str]


@cache
def simplified_converter() -> Converter:
    """The shared ``t2s`` converter; loading its dictionaries is the expensive part."""
    converter = opencc.OpenCC("t2s")

    def convert(text: str) -> str:
        return str(converter.convert(text))

    return convert


def to_simplified(text: str, *, converter: Converter | None = None) -> tuple[str, OffsetMap]:
    """Convert ``text`` to simplified Chinese and map each output character back.

    ``t2s`` almost always replaces character for character, even inside the phrases it
    knows, so the map is usually the identity. Where that cannot be confirmed (a phrase
    changed length, or changed characters the converter leaves alone on their own), the
    affected lines are aligned on the characters that conversion did not touch.
    """
    convert = converter or simplified_converter()
    converted = convert(text)
    if _converted_in_place(text, converted, convert):
        return converted, OffsetMap.identity(len(text))
    builder = OffsetMapBuilder(len(text))
    line_start = 0
    # Phrases never span a line break, so lines convert independently.
    for line in text.splitlines(keepends=True):
        converted_line = convert(line)
        if _converted_in_place(line, converted_line, convert):
            builder.place(converted_line, line_start)
        else:
            _place_aligned(builder, line, converted_line, line_start)
        line_start += len(line)
    return builder.build()


def _converted_in_place(source: str, converted: str, convert: Converter) -> bool:
    """Whether every output character replaced the source character at its position.

    Equal lengths alone do not prove it: one phrase may shrink while another grows. A
    changed position is trusted when its source character also changes on its own.
    """
    if len(source) != len(converted):
        return False
    checked: dict[str, bool] = {}
    for before, after in zip(source, converted, strict=True):
        if before == after:
            continue
        if before not in checked:
            checked[before] = convert(before) != before
        if not checked[before]:
            return False
    return True


def _place_aligned(builder: OffsetMapBuilder, line: str, converted: str, line_start: int) -> None:
    matcher = SequenceMatcher(None, line, converted, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        source_length = i2 - i1
        target_length = j2 - j1
        if tag == "equal" or (tag == "replace" and source_length == target_length):
            builder.place(converted[j1:j2], line_start + i1)
        elif tag == "replace":
            # Spread the output evenly over the source it replaced.
            for k in range(target_length):
                start = i1 + k * source_length // target_length
                end = max(start + 1, i1 + (k + 1) * source_length // target_length)
                builder.emit(converted[j1 + k], line_start + start, line_start + end)
        elif tag == "insert":
            # Output with no source of its own belongs to the character before it.
            start = max(line_start + i1 - 1, 0)
            builder.emit(converted[j1:j2], start, start + 1)
        # "delete": the source characters produced nothing.
