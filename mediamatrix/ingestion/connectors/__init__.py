"""The connector registry: one module and one `register` call per source of posts.

A connector describes itself (`Connector`) and, for pull sources, implements `pull(source, client)`
returning `PullResult`. File and push connectors use the same records and write path but are
driven by their own interfaces (an upload, an API call).
"""

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from mediamatrix.ingestion.records import PostRecord

BUILTIN = (
    "mediamatrix.ingestion.connectors.files",
    "mediamatrix.ingestion.connectors.push",
    "mediamatrix.ingestion.connectors.rss",
    "mediamatrix.ingestion.connectors.wechat",
)


@dataclass(frozen=True)
class AccountFollowers:
    account_id: int
    followers: int


@dataclass
class PullResult:
    records: list[PostRecord] = field(default_factory=list)
    followers: list[AccountFollowers] = field(default_factory=list)
    # New connector state to keep (ETag, Last-Modified, cursors); None keeps the old one.
    state: dict[str, Any] | None = None
    message: str = ""


class PullError(Exception):
    """A pull failed in a way a person can act on; the message says what to do."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Connector:
    name: str
    label: str  # shown on pages, in Chinese
    kind: str  # "file", "push" or "pull"
    pull: Callable[[Any], PullResult] | None = None
    # Config keys a person fills in for a pull source, with labels; secrets are asked separately.
    config_fields: tuple[tuple[str, str], ...] = ()
    needs_secret: bool = False
    docs: str = ""


_registry: dict[str, Connector] = {}


def register(connector: Connector) -> Connector:
    if connector.name in _registry and _registry[connector.name] != connector:
        raise ValueError(f"connector {connector.name!r} is registered twice")
    _registry[connector.name] = connector
    return connector


def get(name: str) -> Connector:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"no connector named {name!r}") from None


def all_connectors(kind: str | None = None) -> Iterable[Connector]:
    return [c for c in sorted(_registry.values(), key=lambda c: c.name) if kind in (None, c.kind)]


def load_builtin() -> None:
    for module in BUILTIN:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
