"""Planning the unit tree in memory: ids, paths, names and division codes, before any insert.

Ids are handed out depth-first (a unit before its children), so every unit's path is known
before it is written, and sorting by path lists the tree in reading order: a city, then each
county with its townships and villages, then its departments.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from mediamatrix.core.tree import child_path
from mediamatrix.orgs.choices import UnitKind, UnitLevel
from mediamatrix.orgs.demo import names
from mediamatrix.orgs.demo.names import Department

PROVINCE_DIGITS = 90  # fictional: no real province code starts with 9
CITIES_PER_PROVINCE_CODE = 99  # city digits 01–99; more cities roll over to the next prefix

# Townships per county by kind: (streets, towns, townships) as inclusive ranges.
TOWNSHIP_MIX = {
    UnitKind.DISTRICT: ((8, 10), (0, 2), (0, 0)),
    UnitKind.COUNTY: ((1, 2), (10, 12), (3, 5)),
    UnitKind.COUNTY_CITY: ((3, 4), (9, 11), (0, 0)),
}
COMMUNITIES_PER_STREET = (8, 13)
VILLAGES_PER_TOWN = (9, 13)
VILLAGES_PER_TOWNSHIP = (7, 11)
# The first digit of a township's and a village's code says what it is (统计用区划代码).
TOWNSHIP_CODE_START = {UnitKind.STREET: 1, UnitKind.TOWN: 101, UnitKind.TOWNSHIP: 201}
COUNTY_CODE_START = {UnitKind.DISTRICT: 2, UnitKind.COUNTY: 21, UnitKind.COUNTY_CITY: 81}
SUFFIX = {
    UnitKind.DISTRICT: "区",
    UnitKind.COUNTY: "县",
    UnitKind.COUNTY_CITY: "市",
    UnitKind.STREET: "街道",
    UnitKind.TOWN: "镇",
    UnitKind.TOWNSHIP: "乡",
}


@dataclass(slots=True)
class PlannedUnit:
    id: int
    parent_id: int | None
    path: str
    name: str
    level: int
    kind: str
    code: str | None = None
    short_name: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    """A city or county as account names and domains see it."""

    name: str  # 东湖区
    short: str  # 东湖
    slug: str  # donghu, or donghu.linjiang for a county


@dataclass(slots=True)
class Owner:
    """A unit that may run accounts, with what the account planner needs to name them."""

    unit: PlannedUnit
    tier: str  # city, city_media, city_dept, county, county_media, county_dept, township, village
    place: Place  # the city or county it belongs to
    city: Place
    short: str  # the unit's own short name: 东湖街道 → 东湖
    dept: Department | None = None
    first: bool = False  # the first county / township of the city: planted findings go here


@dataclass
class CityPlan:
    index: int
    city: Place
    root: PlannedUnit
    units: list[PlannedUnit] = field(default_factory=list)
    owners: list[Owner] = field(default_factory=list)
    villages: list[PlannedUnit] = field(default_factory=list)
    # Where the demo users hold their roles (first city only).
    anchors: dict[str, PlannedUnit] = field(default_factory=dict)


class Ids:
    def __init__(self, start: int) -> None:
        self.next = start

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


def city_names(count: int, seed: int) -> list[tuple[str, str]]:
    """`count` city names (name without 市, pinyin); the first is always 临江."""
    combos = [
        (a + b, pa + pb)
        for a, pa in names.PLACE_FIRST
        for b, pb in names.PLACE_SECOND
        if a != b and a + b != names.FIRST_CITY[0]
    ]
    random.Random(f"{seed}:cities").shuffle(combos)
    chosen = [names.FIRST_CITY]
    slugs = {names.FIRST_CITY[1]}
    for name, slug in combos:
        if len(chosen) == count:
            break
        if slug not in slugs:
            chosen.append((name, slug))
            slugs.add(slug)
    if len(chosen) < count:
        raise ValueError(f"at most {len(chosen)} demo cities can be named")
    return chosen


def city_code(index: int) -> str:
    province = PROVINCE_DIGITS + index // CITIES_PER_PROVINCE_CODE
    return f"{province}{index % CITIES_PER_PROVINCE_CODE + 1:02d}"


def plan_province(ids: Ids) -> PlannedUnit:
    unit_id = ids.take()
    return PlannedUnit(
        id=unit_id,
        parent_id=None,
        path=child_path("", unit_id),
        name=names.PROVINCE[0],
        level=UnitLevel.CITY,
        kind=UnitKind.PROVINCE,
        code=f"{PROVINCE_DIGITS}0000000000",
    )


class _CityPlanner:
    def __init__(
        self, index: int, name: tuple[str, str], parent: PlannedUnit | None, ids: Ids, seed: int
    ) -> None:
        self.rng = random.Random(f"{seed}:tree:{index}")
        self.ids = ids
        self.index = index
        self.units: list[PlannedUnit] = []
        self.city = Place(name[0] + "市", name[0], name[1])
        self.root = self._unit(
            parent, self.city.name, UnitLevel.CITY, UnitKind.CITY, city_code(index) + "0" * 8
        )
        self.plan = CityPlan(index, self.city, self.root, units=self.units)
        self.plan.owners.append(Owner(self.root, "city", self.city, self.city, self.city.short))
        self.county_numbers = dict(COUNTY_CODE_START)

    def _unit(
        self,
        parent: PlannedUnit | None,
        name: str,
        level: int,
        kind: str,
        code: str | None = None,
        short_name: str = "",
    ) -> PlannedUnit:
        unit_id = self.ids.take()
        unit = PlannedUnit(
            id=unit_id,
            parent_id=parent.id if parent else None,
            path=child_path(parent.path if parent else "", unit_id),
            name=name,
            level=level,
            kind=kind,
            code=code,
            short_name=short_name,
        )
        self.units.append(unit)
        return unit

    def run(self) -> CityPlan:
        for number, (name, slug, kind) in enumerate(self._counties()):
            self._county(number, name, slug, UnitKind(kind))
        self._department(self.root, self.city, names.CITY_MEDIA, "city_media", "市", "")
        for dept in names.CITY_DEPARTMENTS:
            self._department(self.root, self.city, dept, "city_dept", "市", "")
        return self.plan

    def _counties(self) -> list[tuple[str, str, str]]:
        if self.index == 0:
            return names.FIRST_COUNTIES
        districts = self.rng.sample(names.DISTRICT_NAMES, 3)
        combos = [
            (a + b, pa + pb)
            for a, pa in names.PLACE_FIRST
            for b, pb in names.PLACE_SECOND
            if a != b and a + b != self.city.short
        ]
        taken = {slug for _, slug in districts}
        others = [c for c in self.rng.sample(combos, 12) if c[1] not in taken][:5]
        return [
            *[(n + "区", s, UnitKind.DISTRICT.value) for n, s in districts],
            *[(n + "县", s, UnitKind.COUNTY.value) for n, s in others[:4]],
            (others[4][0] + "市", others[4][1], UnitKind.COUNTY_CITY.value),
        ]

    def _county(self, number: int, name: str, slug: str, kind: UnitKind) -> None:
        code = city_code(self.index) + f"{self.county_numbers[kind]:02d}"
        self.county_numbers[kind] += 1
        county = self._unit(self.root, name, UnitLevel.COUNTY, kind, code + "0" * 6)
        place = Place(name, name[:-1], f"{slug}.{self.city.slug}")
        first = number == 0
        self.plan.owners.append(Owner(county, "county", place, self.city, place.short, first=first))
        if self.index == 0 and name == names.SECOND_ADMIN_COUNTY:
            self.plan.anchors["county2"] = county
        if first:
            self.plan.anchors["county"] = county
        self._townships(county, place, code, kind, first)
        x = SUFFIX[kind][0]
        police = "分局" if kind == UnitKind.DISTRICT else "局"
        self._department(county, place, names.COUNTY_MEDIA, "county_media", x, police)
        depts = self.rng.sample(names.COUNTY_DEPARTMENTS, self.rng.randint(2, 4))
        if first:
            depts.append(names.COUNTY_URBAN_MANAGEMENT)
        for dept in depts:
            self._department(county, place, dept, "county_dept", x, police, first=first)

    def _department(
        self,
        parent: PlannedUnit,
        place: Place,
        dept: Department,
        tier: str,
        x: str,
        police: str,
        first: bool = False,
    ) -> None:
        unit = self._unit(
            parent,
            dept.name.format(place=place.name, police=police),
            parent.level,
            dept.kind,
            short_name=dept.short.format(x=x, police=police),
        )
        self.plan.owners.append(Owner(unit, tier, place, self.city, place.short, dept, first))

    def _townships(
        self, county: PlannedUnit, place: Place, code: str, kind: UnitKind, first: bool
    ) -> None:
        (s_lo, s_hi), (t_lo, t_hi), (x_lo, x_hi) = TOWNSHIP_MIX[kind]
        # A county's seat is its 城关 street; the demo's first district has 东湖 street.
        seat = names.COUNTY_SEAT_STREET if kind != UnitKind.DISTRICT else None
        if first and self.index == 0:
            seat = names.FIRST_STREET
        pool = [s for s in names.STREET_NAMES if s != seat]
        n_streets = self.rng.randint(s_lo, s_hi)
        streets = ([seat] if seat else []) + self.rng.sample(pool, n_streets - (1 if seat else 0))
        n_towns = self.rng.randint(t_lo, t_hi)
        rural = self._two_char_names(n_towns + self.rng.randint(x_lo, x_hi))
        plan: list[tuple[str, UnitKind]] = [(s, UnitKind.STREET) for s in streets]
        plan += [(n, UnitKind.TOWN) for n in rural[:n_towns]]
        plan += [(n, UnitKind.TOWNSHIP) for n in rural[n_towns:]]
        counters = dict(TOWNSHIP_CODE_START)
        for number, (short, township_kind) in enumerate(plan):
            township_code = f"{code}{counters[township_kind]:03d}"
            counters[township_kind] += 1
            township = self._unit(
                county,
                short + SUFFIX[township_kind],
                UnitLevel.TOWNSHIP,
                township_kind,
                township_code + "000",
            )
            is_first = first and number == 0
            self.plan.owners.append(
                Owner(township, "township", place, self.city, short, first=is_first)
            )
            if is_first and self.index == 0:
                self.plan.anchors["township"] = township
            self._villages(township, township_code, township_kind, short, place, is_first)

    def _villages(
        self,
        township: PlannedUnit,
        code: str,
        kind: UnitKind,
        short: str,
        place: Place,
        first: bool,
    ) -> None:
        plan: list[tuple[str, UnitKind]] = []
        if kind == UnitKind.STREET:
            count = self.rng.randint(*COMMUNITIES_PER_STREET)
            plan = [(n, UnitKind.COMMUNITY) for n in self._community_names(count)]
            if first and self.index == 0:
                plan[0] = (names.FIRST_COMMUNITY, UnitKind.COMMUNITY)
        else:
            # The town seat is a community named after the town; the rest are villages.
            span = VILLAGES_PER_TOWN if kind == UnitKind.TOWN else VILLAGES_PER_TOWNSHIP
            plan = [(short + "社区", UnitKind.COMMUNITY)]
            plan += [(n, UnitKind.VILLAGE) for n in self._village_names(self.rng.randint(*span))]
        counters = {UnitKind.COMMUNITY: 1, UnitKind.VILLAGE: 201}
        for name, village_kind in plan:
            village_code = f"{code}{counters[village_kind]:03d}"
            counters[village_kind] += 1
            village = self._unit(township, name, UnitLevel.VILLAGE, village_kind, village_code)
            self.plan.villages.append(village)
            suffix = 2 if village_kind == UnitKind.COMMUNITY else 1
            self.plan.owners.append(Owner(village, "village", place, self.city, name[:-suffix]))
            if first and "village" not in self.plan.anchors and self.index == 0:
                self.plan.anchors["village"] = village

    def _unique(self, count: int, make: Iterator[str]) -> list[str]:
        """The first `count` distinct names that `make` draws (the pools hold hundreds)."""
        chosen: list[str] = []
        seen: set[str] = set()
        for _, candidate in zip(range(count * 50), make, strict=False):
            if len(chosen) == count:
                break
            if candidate not in seen:
                seen.add(candidate)
                chosen.append(candidate)
        if len(chosen) < count:
            raise ValueError("name pool exhausted")
        return chosen

    def _two_char_names(self, count: int) -> list[str]:
        rng = self.rng

        def make() -> Iterator[str]:
            while True:
                yield rng.choice(names.TOWN_FIRST) + rng.choice(names.TOWN_SECOND)

        return self._unique(count, make())

    def _village_names(self, count: int) -> list[str]:
        rng = self.rng

        def make() -> Iterator[str]:
            while True:
                roll = rng.random()
                if roll < 0.6:
                    yield rng.choice(names.TOWN_FIRST) + rng.choice(names.TOWN_SECOND) + "村"
                elif roll < 0.85:
                    surname = rng.choice(names.SURNAMES)
                    yield surname + "家" + rng.choice(names.VILLAGE_SURNAME_SUFFIX) + "村"
                else:
                    yield (
                        rng.choice(names.SURNAMES) + rng.choice(names.VILLAGE_SURNAME_SUFFIX) + "村"
                    )

        return self._unique(count, make())

    def _community_names(self, count: int) -> list[str]:
        rng = self.rng

        def make() -> Iterator[str]:
            while True:
                first = rng.choice(names.COMMUNITY_FIRST)
                yield first + rng.choice(names.COMMUNITY_SECOND) + "社区"

        return self._unique(count, make())


def plan_city(
    index: int, name: tuple[str, str], parent: PlannedUnit | None, ids: Ids, seed: int
) -> CityPlan:
    """One city's whole tree; cities are planned independently, so city 0 is the same at any scale."""
    return _CityPlanner(index, name, parent, ids, seed).run()
