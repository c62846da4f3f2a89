"""Demo numbers: heavy-tailed reads and plays, interactions as small shares of them, growth
over a post's first week, and followers over the window.

A post's final numbers are drawn once; what it shows at any moment is that total times the share
of its first week that has passed (most reads come in the first day or two), so the +1, +3 and +7
day snapshots grow and the post's values at the end equal its latest snapshot.
"""

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from mediamatrix.ingestion.demo.profiles import VIDEO, Profile

POSITION_FACTOR = {1: 1.0, 2: 0.35, 3: 0.22, 4: 0.15}
READS_SIGMA = 1.0
PLAYS_SIGMA = 1.4
GROWTH_DAYS = 1.2  # time constant of the first-week curve
SNAPSHOT_DAYS = (1, 3, 7)


@dataclass(frozen=True)
class Numbers:
    reads: int = 0
    likes: int = 0
    wows: int = 0
    shares: int = 0
    comments: int = 0
    favourites: int = 0
    plays: int = 0

    def scaled(self, share: float) -> "Numbers":
        # Flooring a fixed total keeps every counter non-decreasing as the share grows.
        return Numbers(*(math.floor(v * share) for v in self.as_tuple()))

    def as_tuple(self) -> tuple[int, ...]:
        return (
            self.reads,
            self.likes,
            self.wows,
            self.shares,
            self.comments,
            self.favourites,
            self.plays,
        )

    def as_dict(self) -> dict[str, int]:
        names = ("reads", "likes", "wows", "shares", "comments", "favourites", "plays")
        return dict(zip(names, self.as_tuple(), strict=True))


def _round(rng: random.Random, value: float) -> int:
    """Stochastic rounding: small counts keep their expected ratio (0.4 likes is 0 or 1)."""
    whole = math.floor(value)
    return whole + (1 if rng.random() < value - whole else 0)


def _ratio(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma))


def final_numbers(
    profile: Profile, rng: random.Random, *, appeal: float, position: int | None
) -> Numbers:
    """The totals a post reaches after a week."""
    platform = profile.account.platform
    factor = POSITION_FACTOR.get(position or 1, 0.12) * appeal
    if profile.style == VIDEO:
        plays = _round(rng, profile.reach * factor * math.exp(rng.gauss(0, PLAYS_SIGMA)))
        return Numbers(
            plays=plays,
            likes=_round(rng, plays * _ratio(rng, 0.025, 0.5)),
            comments=_round(rng, plays * _ratio(rng, 0.002, 0.6)),
            shares=_round(rng, plays * _ratio(rng, 0.004, 0.6)),
            favourites=_round(rng, plays * _ratio(rng, 0.003, 0.6)),
        )
    reads = _round(rng, profile.reach * factor * math.exp(rng.gauss(0, READS_SIGMA)))
    if platform == "website":
        return Numbers(reads=reads)
    likes = _round(rng, reads * _ratio(rng, 0.018, 0.35))
    if platform == "weibo":
        return Numbers(
            reads=reads,
            likes=likes,
            shares=_round(rng, reads * _ratio(rng, 0.004, 0.5)),
            comments=_round(rng, reads * _ratio(rng, 0.002, 0.6)),
        )
    wows = _round(rng, likes * rng.uniform(0.2, 0.6)) if platform == "wechat_oa" else 0
    return Numbers(
        reads=reads,
        likes=likes,
        wows=wows,
        shares=_round(rng, reads * _ratio(rng, 0.01, 0.4)),
        comments=_round(rng, reads * _ratio(rng, 0.0015, 0.8)),
        favourites=_round(rng, reads * _ratio(rng, 0.003, 0.5)),
    )


def week_share(age: timedelta) -> float:
    """How much of its first-week total a post of this age shows (1 from day 7 on)."""
    days = age.total_seconds() / 86400
    if days >= SNAPSHOT_DAYS[-1]:
        return 1.0
    full = 1 - math.exp(-SNAPSHOT_DAYS[-1] / GROWTH_DAYS)
    return max(0.0, (1 - math.exp(-days / GROWTH_DAYS)) / full)


def snapshot_times(published: datetime, end: datetime) -> list[datetime]:
    """+1, +3 and +7 days after publication, capped at the end (so young posts have fewer)."""
    return sorted({min(published + timedelta(days=d), end) for d in SNAPSHOT_DAYS})


def follower_series(
    followers: int, rng: random.Random, *, dormant: bool, end: datetime, days: int
) -> list[tuple[datetime, int]]:
    """One count a day for `days` days up to `end`, growing slowly to today's `followers`."""
    growth = rng.uniform(0.0, 0.005) if dormant else rng.uniform(0.005, 0.06)
    return [
        (end - timedelta(days=back), round(followers * (1 - growth * back / days)))
        for back in range(days - 1, -1, -1)
    ]
