"""Dormancy as the 2019 State Council inspection criteria define it: no update for 14 days.

Pure date arithmetic over the days an account published on; the app feeds it the days and the
last day before the period, and gets back the spells during which the account was dormant.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DORMANT_AFTER_DAYS = 14


@dataclass(frozen=True)
class Spell:
    since: date  # the first dormant day: 14 days after the last update
    until: date  # the last dormant day inside the range looked at
    last_update: date | None  # None: no update ever seen

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1


def dormant_spells(
    post_days: Iterable[date],
    *,
    start: date,
    end: date,
    last_before: date | None,
    known_since: date | None = None,
    threshold: int = DORMANT_AFTER_DAYS,
) -> list[Spell]:
    """The stretches of [start, end] on which the account had not updated for `threshold` days.

    `last_before` is the latest update before `start`; with no update at all, the clock starts at
    `known_since` (the account's registration), or the account counts as dormant from `start`.
    """
    days = sorted({d for d in post_days if start <= d <= end})
    spells: list[Spell] = []
    previous = last_before
    quiet, one = timedelta(days=threshold), timedelta(days=1)  # made once: this runs per account
    for day in [*days, end + one]:
        if previous is None:
            since = start if known_since is None else max(start, known_since + quiet)
        else:
            since = max(start, previous + quiet)
        until = min(end, day - one)
        if since <= until:
            spells.append(Spell(since=since, until=until, last_update=previous))
        previous = day
    return spells
