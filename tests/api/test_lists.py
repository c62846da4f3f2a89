"""Filters as on the pages, page-number pagination, and a constant number of queries per list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediamatrix.orgs.choices import AccountStatus, UnitLevel
from mediamatrix.orgs.models import Account
from tests.api.conftest import ids
from tests.factories import AccountFactory, GridGroupFactory, MembershipFactory, UnitFactory


@pytest.fixture
def city_viewer(api_as, world):
    return api_as(world.user(world.city, "viewer"))


def test_account_filters(city_viewer, world):
    douyin = AccountFactory(owner=world.town_a, platform="douyin", name="东湖抖音", category="news")
    closed = AccountFactory(owner=world.village_b, name="西山村号", status=AccountStatus.CLOSED)
    api = city_viewer
    assert ids(api.get("/accounts?platform=douyin")) == {douyin.pk}
    assert ids(api.get("/accounts?category=news")) == {douyin.pk}
    assert ids(api.get("/accounts?status=closed")) == {closed.pk}
    assert ids(api.get("/accounts?level=3")) == {douyin.pk}
    assert ids(api.get("/accounts?level=2")) == {world.account_a.pk, world.account_b.pk}
    assert ids(api.get(f"/accounts?unit={world.county_b.pk}")) == {world.account_b.pk, closed.pk}
    assert ids(api.get(f"/accounts?unit={world.town_a.pk}")) == {douyin.pk}
    assert ids(api.get("/accounts?q=东湖")) == {douyin.pk, world.account_a.pk}
    assert ids(api.get(f"/accounts?q={world.account_b.handle}")) == {world.account_b.pk}
    # Owner name matches too: the village's account is found by the village's name.
    assert ids(api.get("/accounts?q=西山村")) == {closed.pk}
    combined = f"/accounts?unit={world.county_a.pk}&platform=wechat_oa&status=active"
    assert ids(api.get(combined)) == {world.account_a.pk}
    # The page's "all" choice is an empty value: it filters nothing.
    assert api.get("/accounts?platform=&category=&status=&level=&unit=").json()["count"] == 4


def test_unit_filters(city_viewer, world):
    api = city_viewer
    assert ids(api.get(f"/units?parent={world.county_a.pk}")) == {world.town_a.pk}
    within = ids(api.get(f"/units?within={world.county_a.pk}"))
    assert within == {world.county_a.pk, world.town_a.pk, world.village_a.pk}
    assert ids(api.get(f"/units?level={UnitLevel.VILLAGE}")) == {
        world.village_a.pk,
        world.village_b.pk,
    }
    assert ids(api.get("/units?q=西山")) == {world.county_b.pk, world.town_b.pk, world.village_b.pk}
    assert ids(api.get(f"/units?within={world.county_b.pk}&level=3")) == {world.town_b.pk}


def test_unit_children_come_with_subtree_counts(city_viewer, world):
    AccountFactory(owner=world.village_a)
    AccountFactory(owner=world.village_a, status=AccountStatus.CLOSED)
    rows = city_viewer.get(f"/units/{world.city.pk}/children").json()
    assert [row["id"] for row in rows] == [world.county_a.pk, world.county_b.pk]
    # County A: two units below it, its own account plus the village's live one, one grid group.
    assert rows[0]["subtree"] == {"units": 2, "accounts": 2, "grid_groups": 1}
    assert rows[0]["level_label"] == "县（区）级"
    assert city_viewer.get(f"/units/{world.village_a.pk}/children").json() == []


def test_grid_group_filters(city_viewer, world):
    qq = GridGroupFactory(owner=world.village_a, platform="qq", name="东湖QQ群")
    api = city_viewer
    assert ids(api.get(f"/grid-groups?unit={world.county_a.pk}")) == {world.group_a.pk, qq.pk}
    assert ids(api.get("/grid-groups?platform=qq")) == {qq.pk}
    assert ids(api.get("/grid-groups?q=西山")) == {world.group_b.pk}
    assert api.get("/grid-groups?platform=telegram").status_code == 422


def test_membership_filter(api_as, world):
    api = api_as(world.user(world.county_a, "admin"))
    member = MembershipFactory(unit=world.town_a, role="editor")
    assert ids(api.get(f"/memberships?unit={world.town_a.pk}")) == {member.pk}


def test_pagination(city_viewer, world):
    for i in range(12):
        AccountFactory(owner=world.town_a, name=f"分页{i:02d}")
    api = city_viewer
    first = api.get("/accounts?q=分页&page_size=5").json()
    second = api.get("/accounts?q=分页&page_size=5&page=2").json()
    last = api.get("/accounts?q=分页&page_size=5&page=3").json()
    assert first["count"] == second["count"] == last["count"] == 12
    assert [len(p["items"]) for p in (first, second, last)] == [5, 5, 2]
    names = [a["name"] for p in (first, second, last) for a in p["items"]]
    assert names == sorted(names) and len(set(names)) == 12
    assert api.get("/accounts?q=分页&page=4").json() == {"items": [], "count": 12}
    assert len(api.get("/accounts").json()["items"]) == 14  # default page of 50


def test_page_size_is_capped_at_500(city_viewer, world):
    Account.objects.bulk_create(
        Account(
            platform="website",
            handle=f"site{i}.example.cn",
            name=f"网站{i}",
            category="government",
            owner=world.town_a,
            owner_path=world.town_a.path,
        )
        for i in range(510)
    )
    page = city_viewer.get("/accounts?page_size=1000").json()
    assert page["count"] == 512 and len(page["items"]) == 500
    assert len(city_viewer.get("/accounts").json()["items"]) == 50


@pytest.fixture
def crowded(world):
    """About 120 of each listed thing in county A."""
    for i in range(120):
        village = UnitFactory(parent=world.town_a, name=f"批量村{i}")
        AccountFactory(owner=world.town_a if i % 2 else world.county_a, name=f"批量账号{i}")
        GridGroupFactory(owner=village, name=f"批量网格{i}")
        MembershipFactory(unit=village, role="viewer")
    return world


@pytest.mark.parametrize("transport", ["session", "token"])
@pytest.mark.parametrize("path", ["/accounts", "/units", "/grid-groups", "/memberships"])
def test_lists_make_a_constant_number_of_queries(api_as, crowded, path, transport):
    api = api_as(crowded.user(crowded.county_a, "editor"), transport)
    counts = []
    for size in (5, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(f"{path}?page_size={size}")
        assert response.status_code == 200
        assert len(response.json()["items"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    # Authentication, the user's memberships, the count and the page.
    assert counts[0] <= 6, [q["sql"] for q in ctx.captured_queries]


def test_filtered_account_list_query_count_does_not_grow(api_as, crowded):
    api = api_as(crowded.user(crowded.county_a, "viewer"))
    counts = []
    for size in (5, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(f"/accounts?unit={crowded.county_a.pk}&q=批量&page_size={size}")
        assert len(response.json()["items"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
