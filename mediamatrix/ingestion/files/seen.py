"""Which (account, content id) keys a file has already had, in little memory.

Finding a content id twice in one file means remembering every key seen. A dict of Python ints
costs about 100 bytes an entry; this table keeps a 64-bit hash and a row number in two flat arrays
(16 bytes a slot, at most two thirds full), so a million rows need about 24 MB instead of 100 MB.
Two different keys sharing a 64-bit hash within one file is a chance below one in ten million for
a million rows.
"""

from array import array

_EMPTY = 0
_MASK = (1 << 64) - 1


class SeenKeys:
    def __init__(self, capacity: int = 1 << 12) -> None:
        self._size = 0
        self._hashes = array("Q", bytes(8 * capacity))
        self._rows = array("q", bytes(8 * capacity))

    def __len__(self) -> int:
        return self._size

    def first_row(self, key: object, row: int) -> int | None:
        """The row where `key` was first seen; None (remembering `row`) if this is the first."""
        code = (hash(key) & _MASK) or 1
        found = self._find(code)
        if self._hashes[found] == code:
            return self._rows[found]
        self._hashes[found], self._rows[found] = code, row
        self._size += 1
        if 3 * self._size > 2 * len(self._hashes):
            self._grow()
        return None

    def _find(self, code: int) -> int:
        hashes = self._hashes
        mask = len(hashes) - 1
        slot = code & mask
        while hashes[slot] != _EMPTY and hashes[slot] != code:
            slot = (slot + 1) & mask
        return slot

    def _grow(self) -> None:
        old_hashes, old_rows = self._hashes, self._rows
        capacity = 2 * len(old_hashes)
        self._hashes = array("Q", bytes(8 * capacity))
        self._rows = array("q", bytes(8 * capacity))
        for code, row in zip(old_hashes, old_rows, strict=True):
            if code != _EMPTY:
                slot = self._find(code)
                self._hashes[slot], self._rows[slot] = code, row
