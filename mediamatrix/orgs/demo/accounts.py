"""Planning a city's accounts: who runs which platforms, names, handles, followers, life-cycle.

The mix follows what a prefecture-level city's registry typically looks like: every publishing
unit has a WeChat official account, the city and the counties are on most platforms, departments
on a few, a quarter of the townships and a handful of villages have an account at all. Followers are
log-normal (a long tail). Three registry-health problems are planted in each city on purpose.
"""

import math
import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from mediamatrix.orgs.choices import AccountCategory, AccountStatus, Platform, UnitKind
from mediamatrix.orgs.demo import names
from mediamatrix.orgs.demo.tree import CityPlan, Owner
from mediamatrix.orgs.models import Account

OA = Platform.WECHAT_OA.value

# Beyond the WeChat official account every owner has: platform → chance of being on it.
PORTFOLIOS: dict[str, dict[str, float]] = {
    "city": {
        "weibo": 1,
        "douyin": 1,
        "toutiao": 1,
        "wechat_channels": 1,
        "kuaishou": 1,
        "website": 1,
    },
    "all": {
        "weibo": 1,
        "douyin": 1,
        "toutiao": 1,
        "wechat_channels": 1,
        "kuaishou": 1,
        "bilibili": 1,
        "app": 1,
        "website": 1,
    },
    "county": {
        "weibo": 0.8,
        "douyin": 0.8,
        "toutiao": 0.6,
        "wechat_channels": 0.5,
        "website": 0.7,
    },
    "media": {"douyin": 0.9, "wechat_channels": 0.4, "kuaishou": 0.3, "app": 0.4, "toutiao": 0.3},
    "high": {
        "weibo": 0.9,
        "douyin": 0.7,
        "toutiao": 0.5,
        "wechat_channels": 0.5,
        "kuaishou": 0.2,
        "bilibili": 0.15,
        "website": 0.3,
    },
    "mid": {"weibo": 0.6, "douyin": 0.25, "toutiao": 0.2, "wechat_channels": 0.2, "website": 0.1},
    "low": {"weibo": 0.3, "douyin": 0.1, "toutiao": 0.1, "wechat_channels": 0.05},
    "township": {"douyin": 0.2, "wechat_channels": 0.1, "weibo": 0.1},
    "village": {"douyin": 0.5},
}
TOWNSHIP_SHARE = 0.25  # of townships that run any account
VILLAGE_SHARE = 0.004

# Median followers by tier, times a platform factor; spread is log-normal.
FOLLOWER_MEDIAN = {
    "city": 300_000,
    "city_media": 450_000,
    "city_dept": 30_000,
    "county": 50_000,
    "county_media": 60_000,
    "county_dept": 6_000,
    "township": 2_500,
    "village": 600,
}
PLATFORM_FACTOR = {
    "wechat_oa": 1.0,
    "weibo": 1.4,
    "douyin": 2.0,
    "toutiao": 0.7,
    "wechat_channels": 0.5,
    "kuaishou": 1.0,
    "bilibili": 0.3,
    "app": 0.6,
    "website": 0.0,
}
FOLLOWER_SIGMA = 0.9
# Accounts of the city and county governments and media are all filed and live.
ALWAYS_ACTIVE = {"city", "city_media", "county", "county_media"}


@dataclass(frozen=True)
class Draft:
    owner: Owner | None
    platform: str
    name: str
    category: str
    tier: str
    status: str | None = None  # None: drawn at random
    closed_but_posting: bool = False


class HandleBook:
    """Handles already given out, per platform, across all cities (unique per platform)."""

    def __init__(self) -> None:
        self.taken: dict[str, set[str]] = {}

    def claim(self, platform: str, wanted: str) -> str:
        taken = self.taken.setdefault(platform, set())
        handle, n = wanted, 1
        while handle in taken:
            n += 1
            handle = f"{wanted}{n}"
        taken.add(handle)
        return handle

    def random(self, platform: str, rng: random.Random) -> str:
        taken = self.taken.setdefault(platform, set())
        while True:
            handle = _random_handle(platform, rng)
            if handle not in taken:
                taken.add(handle)
                return handle


def _random_handle(platform: str, rng: random.Random) -> str:
    if platform == "wechat_oa":
        return "gh_" + "".join(rng.choice("0123456789abcdef") for _ in range(12))
    if platform == "wechat_channels":
        return "sph" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(10))
    if platform == "kuaishou":
        return "ks" + str(rng.randint(10**8, 10**9 - 1))
    return str(rng.randint(10**9, 10**10 - 1))  # weibo, douyin, toutiao, bilibili: numeric ids


def _domain_handle(draft: Draft) -> str:
    owner = draft.owner
    assert owner is not None
    if draft.platform == "app":
        return f"cn.example.{owner.place.slug.replace('.', '_')}.{'news' if owner.dept else 'gov'}"
    if owner.tier == "city":
        return f"www.{owner.city.slug}.gov.example"
    if owner.tier == "county":
        return f"www.{owner.place.slug}.gov.example"
    assert owner.dept is not None
    if owner.dept.kind == "media":
        return f"{owner.dept.abbr}.{owner.place.slug}.example"
    return f"{owner.dept.abbr}.{owner.place.slug}.gov.example"


def _owner_drafts(owner: Owner, rng: random.Random) -> list[Draft]:
    """What one unit runs; owners that run nothing give an empty list."""
    tier, dept = owner.tier, owner.dept
    if tier == "township" and not owner.first and rng.random() >= TOWNSHIP_SHARE:
        return []
    if tier == "village" and rng.random() >= VILLAGE_SHARE:
        return []
    if tier in ("city_dept", "county_dept"):
        assert dept is not None
        key = dept.reach
    else:
        key = {"city_media": "all", "county_media": "media"}.get(tier, tier)
    platforms = [OA] + [p for p, chance in PORTFOLIOS[key].items() if rng.random() < chance]
    if tier == "county_dept" and dept is names.COUNTY_URBAN_MANAGEMENT and owner.first:
        platforms = [p for p in platforms if p != "weibo"]
    template = _name_template(owner, rng)
    drafts = []
    for platform in platforms:
        name, category = _name_and_category(owner, platform, template, rng)
        drafts.append(Draft(owner, platform, name, category, tier))
    return drafts


def _name_template(owner: Owner, rng: random.Random) -> str:
    if owner.tier == "township":
        # The first township's second WeChat account (planted) is called 幸福…
        return (
            names.TOWNSHIP_ACCOUNT_NAMES[0]
            if owner.first
            else rng.choice(names.TOWNSHIP_ACCOUNT_NAMES)
        )
    if owner.tier == "village":
        village = owner.unit.kind == UnitKind.VILLAGE
        return rng.choice(names.VILLAGE_ACCOUNT_NAMES[: 3 if village else 2])
    return ""


def _name_and_category(
    owner: Owner, platform: str, template: str, rng: random.Random
) -> tuple[str, str]:
    s, unit = owner.place.short, owner.unit
    government = AccountCategory.GOVERNMENT.value
    if owner.tier in ("city", "county"):
        if platform == "website":
            return f"{unit.name}人民政府", government
        return f"{s}发布", government
    if owner.tier == "city_media":
        return names.MEDIA_PLATFORM_NAMES.get(platform, "{s}融媒").format(s=s), "news"
    if owner.tier == "county_media":
        if platform == "app":
            return f"掌上{s}", "news"
        return f"{owner.place.name}融媒", "news"
    if owner.dept is not None:
        if platform == "website":
            return unit.name, owner.dept.category
        category = owner.dept.category if platform == OA else government
        return owner.dept.brand.format(s=s), category
    name = template.format(name=unit.name, short=owner.short)
    if owner.tier == "village" and platform != OA and rng.random() < 0.5:
        return f"{unit.name}的日常", AccountCategory.SELF_MEDIA.value
    return name, government


def _planted(plan: CityPlan) -> list[Draft]:
    """One unit with two WeChat accounts, one account without an owner, one closed account that
    still publishes: the registry-health page's examples."""
    city = plan.city
    first_township = next(o for o in plan.owners if o.tier == "township" and o.first)
    urban = next(o for o in plan.owners if o.dept is names.COUNTY_URBAN_MANAGEMENT and o.first)
    assert urban.dept is not None
    gov = AccountCategory.GOVERNMENT.value
    urban_name = urban.dept.brand.format(s=urban.place.short)
    return [
        Draft(first_township, OA, f"幸福{first_township.short}", gov, "township", "active"),
        Draft(None, OA, names.ORPHAN_ACCOUNT.format(s=city.short), gov, "city_dept", "active"),
        Draft(urban, "weibo", urban_name, gov, "county_dept", "closed", closed_but_posting=True),
    ]


class _Lifecycle:
    def __init__(self, plan: CityPlan, rng: random.Random, base: datetime) -> None:
        self.rng = rng
        self.base = base
        self.prefix = plan.city.short
        self.filings: dict[int, int] = {}

    def ago(self, days_lo: int, days_hi: int) -> datetime:
        return self.base - timedelta(seconds=self.rng.randint(days_lo * 86400, days_hi * 86400))

    def status(self, draft: Draft) -> str:
        if draft.status is not None:
            return draft.status
        if draft.tier in ALWAYS_ACTIVE:
            return AccountStatus.ACTIVE.value
        roll = self.rng.random()
        if roll < 0.04:
            return AccountStatus.PENDING.value
        if roll < 0.085:
            return AccountStatus.DORMANT.value
        if roll < 0.115:
            return AccountStatus.CLOSED.value
        return AccountStatus.ACTIVE.value

    def apply(self, account: Account, draft: Draft) -> None:
        status = self.status(draft)
        account.status = status
        if status == AccountStatus.PENDING:
            account.created_at = self.ago(1, 60)
            account.last_post_at = self.ago(0, 10) if self.rng.random() < 0.5 else None
            return
        filed = self.ago(120, 3300)
        account.filed_at = filed
        account.created_at = filed - timedelta(days=self.rng.randint(0, 30))
        self.filings[filed.year] = self.filings.get(filed.year, 0) + 1
        account.filing_number = f"{self.prefix}网信备〔{filed.year}〕{self.filings[filed.year]}号"
        if status == AccountStatus.ACTIVE:
            account.last_post_at = self.ago(0, 6)
        elif status == AccountStatus.DORMANT:
            account.last_post_at = self.ago(20, 400)
        else:
            closed = self.ago(30, min(700, (self.base - filed).days - 1))
            account.closed_at = closed
            if draft.closed_but_posting:
                account.last_post_at = self.ago(1, 5)
            else:
                account.last_post_at = closed - timedelta(minutes=self.rng.randint(60, 90 * 1440))


def person_name(rng: random.Random) -> str:
    given = rng.choice(names.GIVEN_CHARS)
    if rng.random() < 0.7:
        given += rng.choice(names.GIVEN_CHARS)
    return rng.choice(names.SURNAMES) + given


def masked_phone(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"


def plan_accounts(plan: CityPlan, seed: int, handles: HandleBook, base: datetime) -> list[Account]:
    """Unsaved Account rows for one city, in a fixed order."""
    rng = random.Random(f"{seed}:accounts:{plan.index}")
    drafts = [d for owner in plan.owners for d in _owner_drafts(owner, rng)] + _planted(plan)
    life = _Lifecycle(plan, rng, base)
    accounts = []
    for draft in drafts:
        owner = draft.owner
        if draft.platform in ("website", "app"):
            handle = handles.claim(draft.platform, _domain_handle(draft))
        else:
            handle = handles.random(draft.platform, rng)
        median = FOLLOWER_MEDIAN[draft.tier] * PLATFORM_FACTOR[draft.platform]
        account = Account(
            platform=draft.platform,
            handle=handle,
            name=draft.name,
            category=draft.category,
            owner_id=owner.unit.id if owner else None,
            owner_path=owner.unit.path if owner else "",
            operator_name=person_name(rng),
            operator_phone=masked_phone(rng),
            followers=int(median * math.exp(rng.gauss(0, FOLLOWER_SIGMA))),
        )
        life.apply(account, draft)
        accounts.append(account)
    return accounts
