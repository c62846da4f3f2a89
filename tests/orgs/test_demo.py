"""The demo generator: sizes, a consistent tree, determinism, working logins and planted findings.

The scale-1 city is generated once for the module inside a transaction that is rolled back at
the end; each test runs in a savepoint inside it, so tests that wipe and regenerate leave the
module's data as it was.
"""

import hashlib
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from mediamatrix.core.models import AuditEvent
from mediamatrix.core.tree import child_path, subtree_q
from mediamatrix.orgs.choices import AccountStatus, Platform, UnitKind, UnitLevel
from mediamatrix.orgs.demo import DEMO_PASSWORD, DemoError, demo_logins, generate_demo
from mediamatrix.orgs.models import Account, GridGroup, Membership, Unit
from mediamatrix.orgs.selectors import account_list, registry_health
from mediamatrix.orgs.services import unit_create
from mediamatrix.users.models import User

GEOGRAPHIC = {
    UnitKind.CITY,
    UnitKind.DISTRICT,
    UnitKind.COUNTY,
    UnitKind.COUNTY_CITY,
    UnitKind.STREET,
    UnitKind.TOWN,
    UnitKind.TOWNSHIP,
    UnitKind.COMMUNITY,
    UnitKind.VILLAGE,
}


def fingerprint() -> str:
    """A hash of everything generated, independent of row order and insert-time clocks."""
    rows = sorted(
        map(
            repr,
            Unit.objects.values_list(
                "path", "name", "short_name", "level", "kind", "division_code"
            ),
        )
    )
    rows += sorted(
        map(
            repr,
            Account.objects.values_list(
                "platform",
                "handle",
                "name",
                "category",
                "owner_path",
                "followers",
                "status",
                "filing_number",
                "filed_at",
                "closed_at",
                "last_post_at",
                "created_at",
            ),
        )
    )
    rows += sorted(
        map(
            repr,
            GridGroup.objects.values_list(
                "owner_path", "name", "platform", "member_count", "contact_name", "is_active"
            ),
        )
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def city_names(city: Unit) -> list[tuple[str, str | None]]:
    return sorted(
        Unit.objects.filter(subtree_q("path", [city.path])).values_list("name", "division_code")
    )


def wipe() -> None:
    GridGroup.objects.all().delete()
    Account.objects.all().delete()
    Membership.objects.all().delete()
    Unit.objects.all()._raw_delete(Unit.objects.db)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    steps: list[tuple[str, int, int]] = []
    with django_db_blocker.unblock(), transaction.atomic():
        summary = generate_demo(progress=lambda *step: steps.append(step))
        city = Unit.objects.get(parent=None)
        yield {
            "summary": summary,
            "steps": steps,
            "fingerprint": fingerprint(),
            "city_names": city_names(city),
        }
        transaction.set_rollback(True)


@pytest.fixture
def city(demo, db) -> Unit:
    return Unit.objects.get(parent=None)


def first_county(city: Unit) -> Unit:
    return Unit.objects.get(parent=city, name="东湖区")


def test_scale_one_is_a_city_of_the_stated_size(demo, city):
    summary = demo["summary"]
    assert city.name == "临江市" and city.kind == UnitKind.CITY and city.level == UnitLevel.CITY
    counties = Unit.objects.filter(parent=city, level=UnitLevel.COUNTY).exclude(
        kind__in=[UnitKind.DEPARTMENT, UnitKind.MEDIA]
    )
    assert counties.count() == summary.counties == 8
    assert {c.kind for c in counties} == {"district", "county", "county_city"}
    assert 100 <= Unit.objects.filter(level=UnitLevel.TOWNSHIP).count() == summary.townships <= 120
    assert 1100 <= Unit.objects.filter(level=UnitLevel.VILLAGE).count() == summary.villages <= 1300
    assert 4500 <= GridGroup.objects.count() == summary.grid_groups <= 5500
    assert 200 <= Account.objects.count() == summary.accounts <= 260
    assert Unit.objects.count() == summary.units
    names = set(Unit.objects.filter(parent=city).values_list("name", flat=True))
    assert {"临江市公安局", "临江市教育局", "临江市文化广电旅游局", "临江市融媒体中心"} <= names
    assert Unit.objects.get(name="临江市融媒体中心").kind == UnitKind.MEDIA
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT, level=UnitLevel.COUNTY).exists()


def test_progress_reaches_every_total(demo):
    finals = {step: (done, total) for step, done, total in demo["steps"]}
    assert set(finals) == {"单位", "账号", "网格群", "用户"}
    assert all(done == total for done, total in finals.values())


def test_the_tree_is_consistent(city):
    units = {u.pk: u for u in Unit.objects.all()}
    for unit in units.values():
        parent = units.get(unit.parent_id) if unit.parent_id else None
        assert unit.path == child_path(parent.path if parent else "", unit.pk)
        if parent is not None:
            assert unit.level >= parent.level
        if unit.kind in GEOGRAPHIC:
            assert unit.division_code and len(unit.division_code) == 12
            assert unit.division_code.isdigit()
            if parent is not None:
                kept = {2: 4, 3: 6, 4: 9}[unit.level]
                assert unit.division_code[:kept] == parent.division_code[:kept]
        else:
            assert unit.division_code is None
    # Streets hold communities, towns and townships mostly villages.
    street = Unit.objects.filter(kind=UnitKind.STREET).first()
    assert set(street.children.values_list("kind", flat=True)) == {UnitKind.COMMUNITY}
    town = Unit.objects.filter(kind=UnitKind.TOWN).first()
    assert UnitKind.VILLAGE in set(town.children.values_list("kind", flat=True))


def test_grid_groups_belong_to_villages_and_communities(city):
    assert not GridGroup.objects.exclude(owner__level=UnitLevel.VILLAGE).exists()
    mismatched = [
        g for g in GridGroup.objects.select_related("owner") if g.owner_path != g.owner.path
    ]
    assert mismatched == []
    counts = GridGroup.objects.values_list("member_count", flat=True)
    assert min(counts) >= 50 and max(counts) <= 500
    platforms = Counter(GridGroup.objects.values_list("platform", flat=True))
    assert platforms.most_common(1)[0][0] == "wechat" and len(platforms) == 4
    assert GridGroup.objects.filter(name="东湖社区3网格居民群", owner__name="东湖社区").exists()


def test_accounts_look_like_a_city_matrix(city):
    accounts = list(Account.objects.select_related("owner"))
    handles = Counter((a.platform, a.handle) for a in accounts)
    assert max(handles.values()) == 1
    assert all(a.owner_path == (a.owner.path if a.owner else "") for a in accounts)
    platforms = Counter(a.platform for a in accounts)
    assert platforms.most_common(1)[0][0] == Platform.WECHAT_OA
    assert 0.35 <= platforms[Platform.WECHAT_OA] / len(accounts) <= 0.55
    categories = Counter(a.category for a in accounts)
    assert categories.most_common(1)[0][0] == "government"
    assert categories["news"] and categories["service"] and categories["self_media"]
    statuses = Counter(a.status for a in accounts)
    assert statuses[AccountStatus.ACTIVE] / len(accounts) > 0.8
    assert all(statuses[s] for s in AccountStatus.values)
    levels = Counter(a.owner.level for a in accounts if a.owner)
    assert levels[UnitLevel.VILLAGE] < levels[UnitLevel.TOWNSHIP] < levels[UnitLevel.COUNTY]
    expected = {"临江发布", "平安临江", "临江教育", "东湖发布", "东湖区融媒"}
    assert expected <= {a.name for a in accounts}
    followers = sorted(a.followers for a in accounts if a.platform != Platform.WEBSITE)
    assert followers[-1] > 20 * followers[len(followers) // 2]  # a long tail


def test_demo_users_log_in_and_see_only_their_scope(city, client):
    for username, _ in demo_logins():
        assert client.login(username=username, password=DEMO_PASSWORD), username
        client.logout()
    county = first_county(city)
    in_county = Account.objects.filter(subtree_q("owner_path", [county.path]))
    county_admin = User.objects.get(username="county_admin")
    seen = account_list(county_admin)
    assert in_county.count() > 10
    assert set(seen.values_list("pk", flat=True)) == set(in_county.values_list("pk", flat=True))
    other = User.objects.get(username="county2_admin")
    assert not account_list(other).filter(pk__in=in_county.values("pk")).exists()
    assert account_list(User.objects.get(username="city_viewer")).count() == Account.objects.count()
    client.login(username="county_admin", password=DEMO_PASSWORD)
    response = client.get(reverse("orgs:accounts"))
    assert response.status_code == 200
    outside = Account.objects.exclude(pk__in=in_county.values("pk")).exclude(owner=None).first()
    assert client.get(outside.get_absolute_url()).status_code == 404


def test_registry_health_shows_the_planted_problems(city):
    health = registry_health(User.objects.get(username="admin"))
    assert [(d.unit.name, d.platform) for d in health.duplicate_platforms] == [
        ("东湖街道", Platform.WECHAT_OA)
    ]
    assert [a.name for a in health.unowned_accounts] == ["临江旅游"]
    assert [(a.name, a.platform) for a in health.closed_but_posting] == [("东湖城管", "weibo")]
    county = registry_health(User.objects.get(username="county_admin"))
    assert (len(county.duplicate_platforms), len(county.unowned_accounts)) == (1, 0)
    assert len(county.closed_but_posting) == 1
    assert registry_health(User.objects.get(username="county2_admin")).total == 0


def test_one_audit_event_records_the_generation(demo, city):
    events = AuditEvent.objects.filter(verb="demo.generate")
    assert events.count() == 1
    event = events.get()
    assert event.object_id == str(city.pk) and event.actor is None
    assert event.after == demo["summary"].as_dict()


def test_units_can_be_created_after_generation(city):
    """Units were inserted with explicit ids: PostgreSQL's sequence must have moved past them."""
    top = Unit.objects.order_by("-pk").values_list("pk", flat=True).first()
    unit = unit_create(actor=None, parent=city, name="临江市新设部门", level=1, kind="department")
    assert unit.pk > top


def test_refuses_to_generate_over_existing_units(city):
    with pytest.raises(DemoError):
        generate_demo()
    with pytest.raises(CommandError):
        call_command("generate_demo", "--no-progress")


def test_generation_is_deterministic(demo, city):
    wipe()
    generate_demo()
    assert fingerprint() == demo["fingerprint"]
    wipe()
    generate_demo(seed=7)
    assert fingerprint() != demo["fingerprint"]


def test_scale_two_is_a_province_with_the_same_first_city(demo, city):
    wipe()
    summary = generate_demo(scale=2)
    province = Unit.objects.get(parent=None)
    assert province.kind == UnitKind.PROVINCE and province.level == 1
    cities = list(Unit.objects.filter(parent=province, kind=UnitKind.CITY))
    assert len(cities) == summary.cities == 2 and cities[0].name == "临江市"
    assert all(c.level == UnitLevel.CITY for c in cities)
    assert city_names(cities[0]) == demo["city_names"]
    assert summary.accounts == Account.objects.count() > 400
    admin = User.objects.get(username="province_admin")
    assert account_list(admin).count() == Account.objects.count()
    assert "province_admin" in dict(demo_logins(scale=2))
    assert "province_admin" not in dict(demo_logins())
