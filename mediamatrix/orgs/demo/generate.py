"""Writing the planned demo set: bulk inserts in batches, one transaction, one audit event.

Rows are written with `bulk_create`, not through the services: the services validate and audit
one row at a time, which would take minutes for a province. The data is valid by construction and
the audit trail gets one `demo.generate` event that says where it came from.
"""

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from mediamatrix.core.audit import audit_record
from mediamatrix.orgs.choices import GroupPlatform, Role, UnitKind
from mediamatrix.orgs.demo import names
from mediamatrix.orgs.demo.accounts import HandleBook, masked_phone, person_name, plan_accounts
from mediamatrix.orgs.demo.tree import (
    CityPlan,
    Ids,
    PlannedUnit,
    city_names,
    plan_city,
    plan_province,
)
from mediamatrix.orgs.models import Account, GridGroup, Membership, Unit
from mediamatrix.users.models import User

DEMO_PASSWORD = "demo-2026"
# Every timestamp in the demo is relative to this instant, so a (scale, seed) pair always gives
# the same data.
BASE_TIME = datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
BATCH_SIZE = 2000
MAX_SCALE = 198  # two fictional province prefixes of 99 cities each

Progress = Callable[[str, int, int], None]

GROUPS_PER_COMMUNITY = (4, 8)
GROUPS_PER_VILLAGE = (2, 4)
GROUP_PLATFORMS = [
    (GroupPlatform.WECHAT.value, 80),
    (GroupPlatform.WECOM.value, 10),
    (GroupPlatform.DINGTALK.value, 6),
    (GroupPlatform.QQ.value, 4),
]

# (username, where the role is held, role, display name); "admin" is a superuser.
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("admin", "", "", "系统管理员"),
    ("province_admin", "province", Role.ADMIN, "省网信办 孙立群"),
    ("city_admin", "city", Role.ADMIN, "陈志远"),
    ("city_editor", "city", Role.EDITOR, "林晓燕"),
    ("city_reviewer", "city", Role.REVIEWER, "周文博"),
    ("city_operator", "city", Role.OPERATOR, "吴海涛"),
    ("city_viewer", "city", Role.VIEWER, "郑雅琴"),
    ("county_admin", "county", Role.ADMIN, "刘建华"),
    ("county_editor", "county", Role.EDITOR, "黄丽娟"),
    ("county_reviewer", "county", Role.REVIEWER, "杨志强"),
    ("county_operator", "county", Role.OPERATOR, "赵敏"),
    ("county_viewer", "county", Role.VIEWER, "马俊杰"),
    ("county2_admin", "county2", Role.ADMIN, "何永刚"),
    ("town_admin", "township", Role.ADMIN, "许文静"),
    ("town_editor", "township", Role.EDITOR, "郭鹏"),
    ("town_reviewer", "township", Role.REVIEWER, "罗晓梅"),
    ("town_operator", "township", Role.OPERATOR, "梁勇"),
    ("town_viewer", "township", Role.VIEWER, "宋玲"),
    ("village_operator", "village", Role.OPERATOR, "唐桂英"),
    ("village_viewer", "village", Role.VIEWER, "韩磊"),
]


class DemoError(RuntimeError):
    """The demo cannot be generated here (e.g. the registry already has units)."""


@dataclass(frozen=True)
class DemoSummary:
    scale: int
    seed: int
    cities: int
    counties: int
    townships: int
    villages: int
    departments: int
    units: int
    accounts: int
    grid_groups: int
    users: int
    memberships: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _no_progress(step: str, done: int, total: int) -> None:
    return None


def generate_demo(
    *,
    scale: int = 1,
    seed: int = 2026,
    progress: Progress | None = None,
    base_time: datetime = BASE_TIME,
) -> DemoSummary:
    """Generate the demo city (scale 1) or a province of `scale` cities, in one transaction.

    Scale 1 is one city, the root of its tree. Scale N > 1 adds a province unit (kind province,
    level 1) as the single root, with N cities (level 1) under it, so the province's subtree is
    the whole set; city 1 is the same 临江市 at every scale. Refuses to run if any unit exists.
    """
    if not 1 <= scale <= MAX_SCALE:
        raise DemoError(f"规模应在 1 到 {MAX_SCALE} 之间。")
    report = progress or _no_progress
    with transaction.atomic():
        if Unit.objects.exists():
            raise DemoError("数据库里已有单位，演示数据只能生成到空的登记库中。")
        ids = Ids((Unit.objects.aggregate(top=Max("id"))["top"] or 0) + 1)
        province = plan_province(ids) if scale > 1 else None
        cities = [
            plan_city(index, name, province, ids, seed)
            for index, name in enumerate(city_names(scale, seed))
        ]
        units = ([province] if province else []) + [u for city in cities for u in city.units]
        _write(Unit, (_unit_row(u, base_time) for u in units), len(units), "单位", report)
        handles = HandleBook()
        accounts = [a for city in cities for a in plan_accounts(city, seed, handles, base_time)]
        _write(Account, iter(accounts), len(accounts), "账号", report)
        groups = _write_grid_groups(cities, seed, base_time, report)
        anchors = dict(cities[0].anchors, city=cities[0].root)
        if province is not None:
            anchors["province"] = province
        users, memberships = _write_users(anchors, report)
        _reset_sequences()
        summary = DemoSummary(
            scale=scale,
            seed=seed,
            cities=len(cities),
            counties=_count(units, {UnitKind.DISTRICT, UnitKind.COUNTY, UnitKind.COUNTY_CITY}),
            townships=_count(units, {UnitKind.STREET, UnitKind.TOWN, UnitKind.TOWNSHIP}),
            villages=_count(units, {UnitKind.VILLAGE, UnitKind.COMMUNITY}),
            departments=_count(units, {UnitKind.DEPARTMENT, UnitKind.MEDIA}),
            units=len(units),
            accounts=len(accounts),
            grid_groups=groups,
            users=users,
            memberships=memberships,
        )
        root = Unit.objects.get(pk=(province or cities[0].root).id)
        audit_record(
            actor=None,
            verb="demo.generate",
            obj=root,
            after=summary.as_dict(),
            reason="演示数据（确定性生成）",
            unit_path=root.path,
        )
    return summary


def _count(units: Sequence[PlannedUnit], kinds: set[UnitKind]) -> int:
    values = {k.value for k in kinds}
    return sum(1 for u in units if u.kind in values)


def _unit_row(unit: PlannedUnit, base_time: datetime) -> Unit:
    return Unit(
        id=unit.id,
        parent_id=unit.parent_id,
        path=unit.path,
        name=unit.name,
        short_name=unit.short_name,
        level=unit.level,
        kind=unit.kind,
        division_code=unit.code,
        created_at=base_time - timedelta(days=365),
    )


def _batches[M: models.Model](rows: Iterator[M]) -> Iterator[list[M]]:
    batch: list[M] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _write[M: models.Model](
    model: type[M], rows: Iterator[M], total: int, step: str, report: Progress
) -> int:
    done = 0
    report(step, 0, total)
    for batch in _batches(rows):
        model._default_manager.bulk_create(batch, batch_size=BATCH_SIZE)
        done += len(batch)
        report(step, done, total)
    return done


def _group_counts(city: CityPlan, seed: int) -> list[int]:
    rng = random.Random(f"{seed}:grid-count:{city.index}")
    return [
        rng.randint(*(GROUPS_PER_COMMUNITY if v.kind == UnitKind.COMMUNITY else GROUPS_PER_VILLAGE))
        for v in city.villages
    ]


def _grid_groups(
    city: CityPlan, counts: list[int], seed: int, base_time: datetime
) -> Iterator[GridGroup]:
    rng = random.Random(f"{seed}:grid:{city.index}")
    platforms = [p for p, _ in GROUP_PLATFORMS]
    weights = [w for _, w in GROUP_PLATFORMS]
    for village, count in zip(city.villages, counts, strict=True):
        community = village.kind == UnitKind.COMMUNITY
        for number in range(1, count + 1):
            members = rng.triangular(80, 500, 260) if community else rng.triangular(50, 320, 140)
            yield GridGroup(
                name=f"{village.name}{number}网格居民群"
                if community
                else f"{village.name}{number}组村民群",
                platform=rng.choices(platforms, weights)[0],
                owner_id=village.id,
                owner_path=village.path,
                member_count=int(members),
                contact_name=person_name(rng),
                contact_phone=masked_phone(rng),
                is_active=rng.random() >= 0.03,
                created_at=base_time - timedelta(days=rng.randint(30, 1500)),
            )


def _write_grid_groups(
    cities: list[CityPlan], seed: int, base_time: datetime, report: Progress
) -> int:
    counts = [_group_counts(city, seed) for city in cities]
    total = sum(sum(c) for c in counts)

    def rows() -> Iterator[GridGroup]:
        for city, city_counts in zip(cities, counts, strict=True):
            yield from _grid_groups(city, city_counts, seed, base_time)

    return _write(GridGroup, rows(), total, "网格群", report)


def _write_users(anchors: dict[str, PlannedUnit], report: Progress) -> tuple[int, int]:
    """The demo logins (an existing user of the same name is kept as it is) and their roles."""
    wanted = [u for u in DEMO_USERS if not u[1] or u[1] in anchors]
    report("用户", 0, len(wanted))
    existing = set(
        User.objects.filter(username__in=[u[0] for u in wanted]).values_list("username", flat=True)
    )
    password = make_password(DEMO_PASSWORD)  # hashed once: the demo users share a password
    User.objects.bulk_create(
        User(
            username=username,
            display_name=display_name,
            password=password,
            is_superuser=not where,
            is_staff=not where,
        )
        for username, where, _, display_name in wanted
        if username not in existing
    )
    by_name = dict(
        User.objects.filter(username__in=[u[0] for u in wanted]).values_list("username", "id")
    )
    memberships = [
        Membership(user_id=by_name[username], unit_id=anchors[where].id, role=role)
        for username, where, role, _ in wanted
        if where
    ]
    Membership.objects.bulk_create(memberships)
    report("用户", len(wanted), len(wanted))
    return len(wanted), len(memberships)


def _reset_sequences() -> None:
    """Units were inserted with explicit ids; move PostgreSQL's sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Unit, Account, GridGroup])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def demo_logins(scale: int = 1) -> list[tuple[str, str]]:
    """(username, what it can do) for every demo user at this scale; password DEMO_PASSWORD."""
    places = {
        "province": ("省级", names.PROVINCE[0]),
        "city": ("市级", names.FIRST_CITY[0] + "市"),
        "county": ("区级", names.FIRST_COUNTIES[0][0]),
        "county2": ("县级", names.SECOND_ADMIN_COUNTY),
        "township": ("街道级", names.FIRST_STREET + "街道"),
        "village": ("社区级", names.FIRST_COMMUNITY),
    }
    logins = []
    for username, where, role, _ in DEMO_USERS:
        if not where:
            logins.append((username, "系统管理员（全部单位）"))
        elif where != "province" or scale > 1:
            level, unit = places[where]
            logins.append((username, f"{level}{Role(role).label}（{unit}）"))
    return logins
