"""Offset maps: where each character of a derived text came from in its source.

Every character of the derived text records the half-open span of source characters
that produced it. Spans are never empty and both their starts and their ends are
non-decreasing along the derived text, so any span of the derived text maps to a
well-formed, ordered span of the source.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

# Unsigned 32-bit entries: eight bytes per character for both arrays together.
_TYPECODE = "I"


class OffsetMap:
    """Maps spans of a derived text back to spans of the source it was derived from."""

    __slots__ = ("_ends", "_identity", "_source_length", "_starts")

    _starts: array[int]
    _ends: array[int]
    _source_length: int
    _identity: bool

    def __init__(self, starts: Iterable[int], ends: Iterable[int], source_length: int) -> None:
        self._starts = array(_TYPECODE, starts)
        self._ends = array(_TYPECODE, ends)
        self._source_length = source_length
        if len(self._starts) != len(self._ends):
            raise ValueError("starts and ends must have the same length")
        self._identity = (
            len(self._starts) == source_length
            and self._starts == array(_TYPECODE, range(source_length))
            and self._ends == array(_TYPECODE, range(1, source_length + 1))
        )

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        """The map of a step that kept every character in place."""
        return cls(range(length), range(1, length + 1), length)

    @property
    def source_length(self) -> int:
        return self._source_length

    @property
    def is_identity(self) -> bool:
        return self._identity

    def __len__(self) -> int:
        return len(self._starts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OffsetMap):
            return NotImplemented
        return (
            self._source_length == other._source_length
            and self._starts == other._starts
            and self._ends == other._ends
        )

    def __hash__(self) -> int:
        return hash((self._source_length, self._starts.tobytes(), self._ends.tobytes()))

    def __repr__(self) -> str:
        return f"OffsetMap(length={len(self)}, source_length={self._source_length})"

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span that produced the derived span ``[start, end)``.

        An empty span maps to an empty span at the matching source position, so that
        insertion points survive the round trip too.
        """
        length = len(self._starts)
        if not 0 <= start <= end <= length:
            raise ValueError(f"span [{start}, {end}) is outside a text of length {length}")
        if start == end:
            position = self._position(start)
            return position, position
        return self._starts[start], self._ends[end - 1]

    def _position(self, index: int) -> int:
        if index < len(self._starts):
            return self._starts[index]
        # Just past the last derived character: right after whatever produced it.
        return self._ends[-1] if self._ends else 0

    def then(self, later: OffsetMap) -> OffsetMap:
        """Compose with the map of a step applied to this map's derived text.

        ``self`` maps text B to source A, ``later`` maps text C to B; the result maps C to A.
        """
        if later._source_length != len(self._starts):
            raise ValueError("the later map was not derived from this map's text")
        if later._identity:
            return self
        if self._identity:
            return later
        starts = self._starts
        ends = self._ends
        return OffsetMap(
            (starts[index] for index in later._starts),
            (ends[index - 1] for index in later._ends),
            self._source_length,
        )


class OffsetMapBuilder:
    """Accumulates derived text piece by piece together with its source spans."""

    __slots__ = ("_ends", "_pieces", "_source_length", "_starts")

    def __init__(self, source_length: int) -> None:
        self._pieces: list[str] = []
        self._starts = array(_TYPECODE)
        self._ends = array(_TYPECODE)
        self._source_length = source_length

    def __len__(self) -> int:
        return len(self._starts)

    def place(self, text: str, start: int) -> None:
        """Append ``text`` whose i-th character stands for source character ``start + i``."""
        if not text:
            return
        end = start + len(text)
        self._pieces.append(text)
        self._starts.extend(range(start, end))
        self._ends.extend(range(start + 1, end + 1))

    def emit(self, text: str, start: int, end: int) -> None:
        """Append ``text``, every character of which stands for ``source[start:end]``."""
        if not text:
            return
        if start >= end:
            raise ValueError("every derived character needs a non-empty source span")
        self._pieces.append(text)
        self._starts.extend([start] * len(text))
        self._ends.extend([end] * len(text))

    def build(self) -> tuple[str, OffsetMap]:
        return "".join(self._pieces), OffsetMap(self._starts, self._ends, self._source_length)
