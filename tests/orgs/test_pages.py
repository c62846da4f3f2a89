"""Every registry page, for every role held in county A: county B's objects answer 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mediamatrix.orgs.choices import AccountStatus
from mediamatrix.orgs.models import Account
from tests.conftest import ALL_ROLES
from tests.factories import AccountFactory


def detail_urls(world, side):
    """Read-only pages about the objects of one county ('a' or 'b')."""
    county = world.county_a if side == "a" else world.county_b
    village = world.village_a if side == "a" else world.village_b
    account = world.account_a if side == "a" else world.account_b
    group = world.group_a if side == "a" else world.group_b
    return [
        reverse("orgs:unit-detail", args=[county.pk]),
        reverse("orgs:unit-children", args=[county.pk]),
        reverse("orgs:unit-detail", args=[village.pk]),
        reverse("orgs:account-detail", args=[account.pk]),
        reverse("orgs:grid-group-detail", args=[group.pk]),
        reverse("orgs:history", args=["unit", county.pk]),
        reverse("orgs:history", args=["account", account.pk]),
        reverse("orgs:history", args=["grid-group", group.pk]),
        reverse("orgs:accounts") + f"?unit={county.pk}",
        reverse("orgs:grid-groups") + f"?unit={village.pk}",
    ]


def write_urls(world, side):
    county = world.county_a if side == "a" else world.county_b
    account = world.account_a if side == "a" else world.account_b
    group = world.group_a if side == "a" else world.group_b
    return [
        reverse("orgs:unit-edit", args=[county.pk]),
        reverse("orgs:unit-create", args=[county.pk]),
        reverse("orgs:account-edit", args=[account.pk]),
        reverse("orgs:account-file", args=[account.pk]),
        reverse("orgs:account-close", args=[account.pk]),
        reverse("orgs:grid-group-edit", args=[group.pk]),
        reverse("orgs:account-create") + f"?owner={county.pk}",
        reverse("orgs:grid-group-create") + f"?owner={group.owner.pk}",
    ]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_other_county_is_invisible_on_every_page(client, world, role):
    client.force_login(world.user(world.county_a, role))
    for url in detail_urls(world, "b") + write_urls(world, "b"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x", "name": "x"}).status_code == 404, url
    for url in detail_urls(world, "a"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ALL_ROLES)
def test_lists_show_only_own_county(client, world, role):
    client.force_login(world.user(world.county_a, role))
    accounts = client.get(reverse("orgs:accounts")).content.decode()
    assert world.account_a.name in accounts and world.account_b.name not in accounts
    groups = client.get(reverse("orgs:grid-groups")).content.decode()
    assert world.group_a.name in groups and world.group_b.name not in groups
    tree = client.get(reverse("orgs:units")).content.decode()
    assert world.county_a.name in tree and world.county_b.name not in tree


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", {"unit", "account", "group"}),
        ("editor", {"account", "group"}),
        ("operator", {"group"}),
        ("reviewer", set()),
        ("viewer", set()),
    ],
)
def test_write_pages_follow_the_role(client, world, role, allowed):
    client.force_login(world.user(world.county_a, role))
    pages = {
        "unit": reverse("orgs:unit-edit", args=[world.county_a.pk]),
        "account": reverse("orgs:account-edit", args=[world.account_a.pk]),
        "group": reverse("orgs:grid-group-edit", args=[world.group_a.pk]),
    }
    for kind, url in pages.items():
        expected = 200 if kind in allowed else 403
        assert client.get(url).status_code == expected, (kind, url)


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("orgs:accounts"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_account_life_cycle_through_pages(client, world):
    editor = world.user(world.county_a, "editor")
    client.force_login(editor)
    response = client.post(
        reverse("orgs:account-create"),
        {
            "platform": "weibo",
            "handle": "donghu_weibo",
            "name": "东湖微博",
            "category": "government",
            "owner": world.town_a.pk,
            "followers": 1200,
        },
    )
    account = Account.objects.get(handle="donghu_weibo")
    assert response.status_code == 302 and account.status == AccountStatus.PENDING
    client.post(
        reverse("orgs:account-file", args=[account.pk]),
        {"filing_number": "LJ-2026-001", "reason": "材料齐全"},
    )
    client.post(reverse("orgs:account-close", args=[account.pk]), {"reason": "机构撤并"})
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED and account.filing_number == "LJ-2026-001"
    history = client.get(reverse("orgs:history", args=["account", account.pk])).content.decode()
    assert "account.file" in history and "材料齐全" in history and "机构撤并" in history


def test_duplicate_handle_is_reported_on_the_form(client, world):
    client.force_login(world.user(world.county_a, "editor"))
    response = client.post(
        reverse("orgs:account-create"),
        {
            "platform": world.account_a.platform,
            "handle": world.account_a.handle,
            "name": "重复",
            "category": "government",
            "owner": world.county_a.pk,
            "followers": 0,
        },
    )
    assert response.status_code == 200
    assert Account.objects.filter(handle=world.account_a.handle).count() == 1
    assert "errorlist" in response.content.decode()


def test_account_filters(client, world):
    AccountFactory(owner=world.town_a, platform="douyin", name="东湖抖音", category="news")
    client.force_login(world.user(world.city, "viewer"))
    page = client.get(reverse("orgs:accounts"), {"platform": "douyin"}).content.decode()
    assert "东湖抖音" in page and world.account_a.name not in page
    page = client.get(reverse("orgs:accounts"), {"unit": world.county_b.pk}).content.decode()
    assert world.account_b.name in page and "东湖抖音" not in page
    page = client.get(reverse("orgs:accounts"), {"q": "东湖"}).content.decode()
    assert "东湖抖音" in page and world.account_a.name in page and world.account_b.name not in page
    page = client.get(reverse("orgs:accounts"), {"level": 3}).content.decode()
    assert "东湖抖音" in page and world.account_a.name not in page


@pytest.mark.parametrize("url_name", ["orgs:accounts", "orgs:grid-groups"])
def test_list_pages_make_a_constant_number_of_queries(client, world, url_name):
    from tests.factories import GridGroupFactory

    for i in range(120):
        AccountFactory(owner=world.town_a, name=f"批量账号{i}")
        GridGroupFactory(owner=world.village_a, name=f"批量网格{i}")
    client.force_login(world.user(world.county_a, "viewer"))
    counts = []
    for size in (20, 200):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(url_name), {"page_size": size})
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12


def test_unit_tree_children_counts(client, world):
    AccountFactory(owner=world.village_a)
    client.force_login(world.user(world.city, "viewer"))
    html = client.get(reverse("orgs:unit-children", args=[world.city.pk])).content.decode()
    # County A: 2 units below it, its own account plus the village's, one grid group.
    assert "下级 2 · 账号 2 · 网格群 1" in html


def test_membership_grant_and_revoke(client, world):
    from mediamatrix.orgs.models import Membership
    from tests.factories import UserFactory

    newcomer = UserFactory(username="newcomer")
    client.force_login(world.user(world.county_a, "admin"))
    client.post(
        reverse("orgs:membership-grant", args=[world.town_a.pk]),
        {"username": "newcomer", "role": "editor"},
    )
    membership = Membership.objects.get(user=newcomer)
    assert membership.unit == world.town_a and membership.role == "editor"
    client.post(reverse("orgs:membership-revoke", args=[membership.pk]))
    assert not Membership.objects.filter(user=newcomer).exists()
    # Not in county B.
    response = client.post(
        reverse("orgs:membership-grant", args=[world.town_b.pk]),
        {"username": "newcomer", "role": "editor"},
    )
    assert response.status_code == 404


def test_admin_creates_a_member_who_can_log_in(client, world):
    from mediamatrix.orgs.models import Membership

    client.force_login(world.user(world.county_a, "admin"))
    url = reverse("orgs:member-create", args=[world.village_a.pk])
    response = client.post(
        url,
        {
            "username": "village_op",
            "display_name": "王芳",
            "password": "s3cret-pass",
            "role": "operator",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="village_op")
    assert membership.unit == world.village_a and membership.role == "operator"
    client.logout()
    assert client.login(username="village_op", password="s3cret-pass")
    # Editors cannot create members; county B is out of sight.
    client.force_login(world.user(world.county_a, "editor"))
    assert client.get(url).status_code == 403
    client.force_login(world.user(world.county_a, "admin"))
    assert client.get(reverse("orgs:member-create", args=[world.village_b.pk])).status_code == 404


@pytest.mark.parametrize("role", ALL_ROLES)
def test_health_page_and_exports_are_scoped_for_every_role(client, world, role):
    from datetime import timedelta

    from django.utils import timezone

    closed_b = AccountFactory(
        owner=world.county_b,
        name="西山旧号",
        status=AccountStatus.CLOSED,
        closed_at=timezone.now() - timedelta(days=2),
        last_post_at=timezone.now(),
    )
    closed_a = AccountFactory(
        owner=world.county_a,
        name="东湖旧号",
        status=AccountStatus.CLOSED,
        closed_at=timezone.now() - timedelta(days=2),
        last_post_at=timezone.now(),
    )
    client.force_login(world.user(world.county_a, role))
    health = client.get(reverse("orgs:registry-health")).content.decode()
    assert closed_a.name in health and closed_b.name not in health
    for kind, own, other in (
        ("accounts", world.account_a.handle, world.account_b.handle),
        ("grid_groups", world.group_a.name, world.group_b.name),
        ("units", world.town_a.name, world.town_b.name),
    ):
        response = client.get(reverse("orgs:export", args=[kind, "csv"]))
        assert response.status_code == 200, kind
        body = b"".join(response.streaming_content if response.streaming else [response.content])
        text = body.decode("utf-8-sig")
        assert own in text and other not in text, kind
