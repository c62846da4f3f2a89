"""The default check context: lexicon files from the package and from a deployment's folders.

Word lists are data, not code: each check reads its lists by name through `lexicon(name)`; a
deployment adds entries by putting a file of the same name in a folder named in `extra_dirs`
(settings: `MEDIAMATRIX_CHECK_LEXICON_DIRS`). Format: UTF-8, one entry per line, fields separated
by a tab, `#` starts a comment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


class CheckContext:
    def __init__(
        self,
        *,
        extra_dirs: Iterable[Path | str] = (),
        resources: Mapping[str, Any] | None = None,
    ) -> None:
        self.extra_dirs = tuple(Path(d) for d in extra_dirs)
        self._resources = dict(resources or {})

    def resource(self, name: str) -> Any:
        """A shared object the caller supplied (the near-duplicate index, the debunks), or None."""
        return self._resources.get(name)

    def lexicon(self, name: str) -> tuple[tuple[str, ...], ...]:
        """The rows of the named list: the built-in file, then each extra folder's file."""
        return _read_lexicon(name, self.extra_dirs)


@cache
def _read_lexicon(name: str, extra_dirs: tuple[Path, ...]) -> tuple[tuple[str, ...], ...]:
    rows: list[tuple[str, ...]] = []
    for folder in (DATA_DIR, *extra_dirs):
        path = folder / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].rstrip()
            if line.strip():
                rows.append(tuple(part.strip() for part in line.split("\t")))
    return tuple(rows)


def lexicon_of(context: Any, name: str) -> tuple[tuple[str, ...], ...]:
    """`context.lexicon(name)` when the context has lexicons, else the built-in list only."""
    reader = getattr(context, "lexicon", None)
    return reader(name) if reader is not None else _read_lexicon(name, ())
