"""The access token of one source: cached in `Source.state`, refreshed under a row lock.

Every API call needs an access token (valid about two hours). Workers share one per source: the
token and its expiry sit in `source.state["access_token"]`, and it is refreshed five minutes before
it expires. A refresh locks the source row (`SELECT … FOR UPDATE`) and reads the state again once
the lock is held: when another worker refreshed while this one waited, its token is used and no
second request is made. That keeps concurrent workers from replacing each other's tokens (and from
spending the platform's small allowance of forced refreshes). On SQLite `select_for_update` is a
no-op, but the transaction is opened with BEGIN IMMEDIATE (see settings), which serialises writers
in the same way.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mediamatrix.ingestion.models import Source

logger = logging.getLogger(__name__)

STATE_KEY = "access_token"
# Refresh this long before the expiry the platform announced.
REFRESH_MARGIN = timedelta(minutes=5)

# Asks the platform for a token: force → (token, seconds it is valid).
TokenFetcher = Callable[[bool], tuple[str, int]]


@dataclass(frozen=True)
class CachedToken:
    value: str
    expires_at: datetime

    def fresh(self, now: datetime) -> bool:
        """Valid for longer than the refresh margin: good to start using."""
        return now < self.expires_at - REFRESH_MARGIN

    def alive(self, now: datetime) -> bool:
        return now < self.expires_at

    def as_state(self) -> dict[str, str]:
        return {"value": self.value, "expires_at": self.expires_at.isoformat()}


def cached_token(state: dict[str, Any] | None) -> CachedToken | None:
    """The token kept in a source's state, or None when there is none (or it is unreadable)."""
    entry = (state or {}).get(STATE_KEY)
    if not isinstance(entry, dict):
        return None
    value, expires = entry.get("value"), entry.get("expires_at")
    if not isinstance(value, str) or not value or not isinstance(expires, str):
        return None
    expires_at = parse_datetime(expires)
    if expires_at is None or timezone.is_naive(expires_at):
        return None
    return CachedToken(value, expires_at)


class SourceTokens:
    """Hands out a usable access token for one source during one pull."""

    def __init__(
        self,
        source: Source,
        fetch: TokenFetcher,
        *,
        clock: Callable[[], datetime] = timezone.now,
    ) -> None:
        self.source = source
        self._fetch = fetch
        self._clock = clock
        self._token: CachedToken | None = None
        self.fetched = 0  # tokens requested from the platform by this holder

    def current(self) -> str:
        now = self._clock()
        if self._token is None:
            cached = cached_token(self.source.state)
            if cached is not None and cached.fresh(now):
                self._token = cached
            else:
                self._token = self._refresh(stale=cached.value if cached else None, force=False)
        elif not self._token.alive(now):
            # A token obtained during this pull is used until it really expires.
            self._token = self._refresh(stale=self._token.value, force=False)
        return self._token.value

    def replace(self, rejected: str, *, force: bool) -> str:
        """A new token after the platform refused `rejected` (invalid or expired)."""
        self._token = self._refresh(stale=rejected, force=force)
        return self._token.value

    def _refresh(self, *, stale: str | None, force: bool) -> CachedToken:
        with transaction.atomic():
            row = Source.objects.select_for_update().only("pk", "state").get(pk=self.source.pk)
            now = self._clock()
            cached = cached_token(row.state)
            if cached is not None and cached.value != stale and cached.fresh(now):
                # Another worker refreshed while we waited for the lock: use its token.
                token = cached
            else:
                value, expires_in = self._fetch(force)
                self.fetched += 1
                token = CachedToken(value, now + timedelta(seconds=max(expires_in, 0)))
                state = {**(row.state or {}), STATE_KEY: token.as_state()}
                Source.objects.filter(pk=self.source.pk).update(state=state)
                logger.info(
                    "wechat access token refreshed for source %s (valid %ss, forced=%s)",
                    self.source.pk,
                    expires_in,
                    force,
                )
        self.source.state = {**(self.source.state or {}), STATE_KEY: token.as_state()}
        return token
