"""How each demo account publishes: its tier and places, what it writes about, when, and whether
it has gone quiet.

A profile is drawn from the account's own random stream (seed + platform + handle), so adding or
removing one account never changes another account's schedule.
"""

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from mediamatrix.ingestion.demo import material
from mediamatrix.ingestion.demo.topics import DEPARTMENT_TOPICS, TIER_TOPICS
from mediamatrix.orgs.choices import AccountCategory, AccountStatus, UnitKind
from mediamatrix.orgs.demo.accounts import person_name
from mediamatrix.orgs.models import Account, Unit

TZ = ZoneInfo("Asia/Shanghai")
ARTICLE, SHORT, VIDEO = "article", "short", "video"
STYLE = {
    "wechat_oa": ARTICLE,
    "toutiao": ARTICLE,
    "website": ARTICLE,
    "app": ARTICLE,
    "other": ARTICLE,
    "weibo": SHORT,
    "douyin": VIDEO,
    "kuaishou": VIDEO,
    "bilibili": VIDEO,
    "wechat_channels": VIDEO,
}
TIERS = ("city", "city_media", "county", "county_media", "city_dept", "county_dept")
# Items per weekday by platform and tier (WeChat: pushes, each of several articles).
RATES: dict[str, dict[str, float]] = {
    "wechat_oa": {
        "city": 2.0,
        "city_media": 2.4,
        "county": 1.4,
        "county_media": 1.9,
        "city_dept": 0.9,
        "county_dept": 0.7,
        "township": 0.6,
        "village": 0.35,
    },
    "weibo": {
        "city": 7,
        "city_media": 10,
        "county": 3.5,
        "county_media": 5,
        "city_dept": 2.2,
        "county_dept": 1.4,
        "township": 0.9,
        "village": 0.6,
    },
    "video": {
        "city": 1.6,
        "city_media": 2.8,
        "county": 1.1,
        "county_media": 2.0,
        "city_dept": 0.7,
        "county_dept": 0.6,
        "township": 0.6,
        "village": 0.7,
    },
    "toutiao": {
        "city": 2.5,
        "city_media": 5,
        "county": 1.5,
        "county_media": 2.5,
        "city_dept": 1.0,
        "county_dept": 0.8,
        "township": 0.5,
        "village": 0.4,
    },
    "website": {
        "city": 4,
        "city_media": 6,
        "county": 2.5,
        "county_media": 3,
        "city_dept": 1.5,
        "county_dept": 1.0,
        "township": 0.6,
        "village": 0.3,
    },
    "app": {"city_media": 9, "county_media": 5},
}
VIDEO_PLATFORM_FACTOR = {"douyin": 1.0, "kuaishou": 0.7, "wechat_channels": 0.8, "bilibili": 0.3}
ARTICLES_PER_PUSH = {
    "city": (1, 2, 3, 3, 4, 4),
    "city_media": (2, 3, 4, 4),
    "county": (1, 2, 2, 3, 3, 4),
    "county_media": (2, 3, 3, 4),
    "city_dept": (1, 1, 2, 2, 3),
    "county_dept": (1, 1, 2, 2),
    "township": (1, 1, 1, 2, 2, 3),
    "village": (1, 1, 2),
}
# When each kind of post goes out: (from, to) in hours of the day, one window per push or post.
PUSH_WINDOWS = ((7.0, 9.5), (11.5, 12.75), (17.0, 21.5))
VIDEO_WINDOWS = ((11.0, 13.5), (17.0, 22.5))
OFFICE_HOURS = ((8.5, 17.5),)
DAYTIME = ((7.0, 23.0),)
# Government accounts publish less at weekends than the media.
WEEKEND_FACTOR = {"city_media": 0.85, "county_media": 0.85}
DEFAULT_WEEKEND_FACTOR = 0.55
DORMANT_SHARE = 0.06  # of active accounts outside the city and county governments and media
MAX_QUIET_DAYS = 8  # a live account never stays silent longer than this
WEBSITE_VISITS = {"city": 2500, "city_media": 3000, "county": 700, "county_media": 800}
DEFAULT_WEBSITE_VISITS = 250


@dataclass(frozen=True)
class Places:
    place: str  # 东湖区, 临江市, 东湖街道: the place the account speaks for
    short: str  # 东湖
    city: str  # 临江市
    unit: str  # the owner's name: 临江市公安局
    scope: str  # 区, 市, 街道: "全{scope}"

    @property
    def city_short(self) -> str:
        return self.city[:-1] if self.city.endswith("市") else self.city


@dataclass(frozen=True)
class Issue:
    """One push (WeChat: 1–4 articles, position 1 = headline) or one single post."""

    at: datetime
    articles: int = 1


@dataclass
class Profile:
    account: Account
    rng: random.Random
    tier: str
    style: str
    places: Places
    topics: list[str]
    weights: list[float]
    start: datetime  # first moment the account may publish
    stop: datetime  # after this it publishes nothing (the end, or a dormant account's last post)
    dormant: bool
    activity: float
    editors: tuple[str, str]
    closing: str
    reach: float  # the median a headline reaches: reads, or plays on video platforms

    @property
    def small(self) -> bool:
        return self.tier in ("township", "village") or (
            self.account.category == AccountCategory.SELF_MEDIA
        )

    def topic_weights(self, month: int) -> list[float]:
        # Flood defence is a summer subject.
        flood = 1.5 if 5 <= month <= 9 else 0.15
        return [
            w * flood if t == "flood" else w for t, w in zip(self.topics, self.weights, strict=True)
        ]

    def schedule(self) -> Iterator[Issue]:
        """The account's pushes and posts in time order, within [start, stop)."""
        rng, platform = self.rng, self.account.platform
        if self.stop <= self.start:
            return  # a short window that ends after a dormant account fell silent
        rate = self._rate()
        day = self.start.astimezone(TZ).date()
        last_day = (self.stop - timedelta(seconds=1)).astimezone(TZ).date()
        quiet = 0
        issues: list[Issue] = []
        while day <= last_day:
            weekend = day.weekday() >= 5
            factor = WEEKEND_FACTOR.get(self.tier, DEFAULT_WEEKEND_FACTOR) if weekend else 1.0
            count = _poisson(rng, rate * factor)
            if count == 0 and (quiet >= MAX_QUIET_DAYS or (day == last_day and quiet >= 2)):
                count = 1  # a live account is never silent for long and posted in the last 3 days
            midnight = datetime.combine(day, time(), tzinfo=TZ)
            for at in sorted(self._times(midnight, count)):
                if self.start <= at < self.stop:
                    articles = (
                        rng.choice(ARTICLES_PER_PUSH[self.tier]) if platform == "wechat_oa" else 1
                    )
                    issues.append(Issue(at, articles))
            quiet = 0 if count else quiet + 1
            day += timedelta(days=1)
        if self.dormant:
            # The last post lands just before the account fell silent.
            last = self.stop - timedelta(minutes=rng.randint(30, 600))
            if last > self.start and (not issues or issues[-1].at < last):
                issues.append(Issue(last, 1))
        yield from issues

    def _rate(self) -> float:
        platform = self.account.platform
        style = STYLE.get(platform, ARTICLE)
        if style == VIDEO:
            base = RATES["video"][self.tier] * VIDEO_PLATFORM_FACTOR.get(platform, 0.6)
        else:
            table = RATES.get(platform, RATES["website"])
            base = table.get(self.tier, RATES["website"][self.tier])
        return base * self.activity

    def _times(self, midnight: datetime, count: int) -> list[datetime]:
        rng, platform = self.rng, self.account.platform
        if platform == "wechat_oa":
            count = min(count, len(PUSH_WINDOWS))  # at most three pushes a day
            windows = sorted(rng.sample(PUSH_WINDOWS, count))
        else:
            options = {VIDEO: VIDEO_WINDOWS}.get(self.style, DAYTIME)
            if platform == "website":
                options = OFFICE_HOURS
            windows = [rng.choice(options) for _ in range(count)]
        return [midnight + timedelta(hours=rng.uniform(lo, hi)) for lo, hi in windows]


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def short_name(name: str) -> str:
    for suffix in ("街道", "社区", "市", "区", "县", "镇", "乡", "村", "省"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def scope_word(name: str) -> str:
    for suffix in ("街道", "社区"):
        if name.endswith(suffix):
            return suffix
    return name[-1] if name and name[-1] in "市区县镇乡村省" else "市"


GEOGRAPHIC = {
    UnitKind.PROVINCE,
    UnitKind.CITY,
    UnitKind.COUNTY,
    UnitKind.DISTRICT,
    UnitKind.COUNTY_CITY,
    UnitKind.TOWNSHIP,
    UnitKind.TOWN,
    UnitKind.STREET,
    UnitKind.VILLAGE,
    UnitKind.COMMUNITY,
}


def tier_of(owner: Unit | None) -> str:
    if owner is None:
        return "city_dept"
    if owner.kind in (UnitKind.CITY, UnitKind.PROVINCE):
        return "city"
    if owner.kind in (UnitKind.COUNTY, UnitKind.DISTRICT, UnitKind.COUNTY_CITY):
        return "county"
    if owner.kind == UnitKind.MEDIA:
        return "city_media" if owner.level <= 1 else "county_media"
    if owner.kind in (UnitKind.DEPARTMENT, UnitKind.OTHER):
        return "city_dept" if owner.level <= 1 else "county_dept"
    return "township" if owner.level == 3 else "village"


def places_of(account: Account, ancestors: list[Unit], fallback_city: str) -> Places:
    """`ancestors` runs from the root to the owner itself (empty for an account with no owner)."""
    if not ancestors:
        return Places(fallback_city, short_name(fallback_city), fallback_city, account.name, "市")
    owner = ancestors[-1]
    place_unit = next(u for u in reversed(ancestors) if u.kind in GEOGRAPHIC)
    city = next((u.name for u in ancestors if u.kind == UnitKind.CITY), ancestors[0].name)
    place = place_unit.name
    return Places(place, short_name(place), city, owner.name, scope_word(place))


def _topics(owner_name: str, tier: str) -> dict[str, float]:
    if tier in ("city_dept", "county_dept"):
        for keyword, weights in DEPARTMENT_TOPICS:
            if keyword in owner_name:
                return weights
    key = {
        "county": "city",
        "city_media": "media",
        "county_media": "media",
        "city_dept": "city",
        "county_dept": "city",
    }.get(tier, tier)
    return TIER_TOPICS[key]


def _reach(account: Account, tier: str, style: str) -> float:
    followers = account.followers
    if account.platform == "website" or followers <= 0:
        return WEBSITE_VISITS.get(tier, DEFAULT_WEBSITE_VISITS)
    scale = {"wechat_oa": 0.35, "weibo": 0.15, "toutiao": 0.3, "app": 0.25}.get(
        account.platform, 2.0 if style == VIDEO else 0.4
    )
    return scale * math.pow(followers, 0.8)


def build_profile(
    account: Account,
    ancestors: list[Unit],
    fallback_city: str,
    *,
    seed: int,
    start: datetime,
    end: datetime,
) -> Profile | None:
    """The account's publishing profile, or None when it publishes nothing in the window."""
    rng = random.Random(f"{seed}:posts:{account.platform}:{account.handle}")
    status = account.status
    first = max(start, account.created_at) if account.created_at else start
    if status == AccountStatus.PENDING:
        return None
    if status == AccountStatus.CLOSED:
        # A closed account publishes only if the registry already saw it posting after closure.
        closed, last = account.closed_at, account.last_post_at
        if closed is None or last is None or last <= closed:
            return None
        first = max(first, closed + timedelta(days=1))
    if first >= end - timedelta(days=1):
        return None
    tier = tier_of(ancestors[-1] if ancestors else None)
    style = STYLE.get(account.platform, ARTICLE)
    places = places_of(account, ancestors, fallback_city)
    weights = _topics(places.unit, tier)
    always_live = tier in ("city", "city_media", "county", "county_media")
    dormant = status == AccountStatus.DORMANT or (
        status == AccountStatus.ACTIVE and not always_live and rng.random() < DORMANT_SHARE
    )
    stop = end
    if dormant:
        # Some fall silent just over the 14-day line, the rest 15–40 days before the end.
        if rng.random() < 0.35:
            gap = timedelta(days=14, hours=rng.uniform(2, 22))
        else:
            gap = timedelta(days=rng.uniform(15, 40))
        stop = end - gap
    activity = math.exp(rng.gauss(0, 0.3))
    editors = (person_name(rng), person_name(rng))
    return Profile(
        account=account,
        rng=rng,
        tier=tier,
        style=style,
        places=places,
        topics=list(weights),
        weights=list(weights.values()),
        start=first,
        stop=stop,
        dormant=dormant,
        activity=activity,
        editors=editors,
        closing=rng.choice(material.CLOSINGS),
        reach=_reach(account, tier, style) * math.exp(rng.gauss(0, 0.3)),
    )
