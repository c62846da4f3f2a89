"""Every endpoint, every role held in county A, session and token: county B answers 404.

The same calls aimed at county A succeed for a role allowed to make them and answer 403 for the
others, and a superuser can make every call aimed at county B: the 404s are about scope, not about
malformed requests.
"""

import pytest

from mediamatrix.core.models import AuditEvent
from mediamatrix.orgs.choices import AccountStatus
from mediamatrix.orgs.models import Account, Membership, Unit
from tests.api.conftest import ApiClient, ids
from tests.conftest import ALL_ROLES
from tests.factories import AccountFactory, MembershipFactory, UserFactory

ALLOWED = {
    "admin": {"unit", "account", "group", "member"},
    "editor": {"account", "group"},
    "operator": {"group"},
    "reviewer": set(),
    "viewer": set(),
}


@pytest.fixture
def sides(world):
    """Objects of each county that the calls below read and change."""
    Account.objects.filter(pk__in=[world.account_a.pk, world.account_b.pk]).update(
        status=AccountStatus.PENDING
    )
    UserFactory(username="newcomer")
    return {
        "a": {
            "county": world.county_a,
            "village": world.village_a,
            "account": world.account_a,
            "group": world.group_a,
            "membership": MembershipFactory(unit=world.town_a, role="viewer"),
        },
        "b": {
            "county": world.county_b,
            "village": world.village_b,
            "account": world.account_b,
            "group": world.group_b,
            "membership": MembershipFactory(unit=world.town_b, role="viewer"),
        },
    }


def reads(side):
    county, village = side["county"].pk, side["village"].pk
    account, group = side["account"].pk, side["group"].pk
    return [
        f"/units/{county}",
        f"/units/{village}",
        f"/units/{county}/children",
        f"/units/{county}/history",
        f"/units?within={county}",
        f"/units?parent={county}",
        f"/accounts/{account}",
        f"/accounts/{account}/history",
        f"/accounts?unit={county}",
        f"/grid-groups/{group}",
        f"/grid-groups/{group}/history",
        f"/grid-groups?unit={village}",
        f"/memberships?unit={county}",
    ]


def writes(side, tag):
    """(permission needed, method, path, body) in an order that is valid from a fresh world."""
    county, village = side["county"].pk, side["village"].pk
    account, group = side["account"].pk, side["group"].pk
    return [
        (
            "unit",
            "POST",
            "/units",
            {"parent_id": county, "name": f"新街道{tag}", "level": 3, "kind": "street"},
        ),
        ("unit", "PATCH", f"/units/{county}", {"short_name": f"简称{tag}", "reason": "规范简称"}),
        (
            "account",
            "POST",
            "/accounts",
            {
                "platform": "douyin",
                "handle": f"new_{tag}",
                "name": f"新抖音号{tag}",
                "category": "government",
                "owner_id": county,
            },
        ),
        ("account", "PATCH", f"/accounts/{account}", {"followers": 10, "reason": "核对粉丝数"}),
        (
            "account",
            "POST",
            f"/accounts/{account}/file",
            {"filing_number": f"LJ-{tag}", "reason": "材料齐全"},
        ),
        ("account", "POST", f"/accounts/{account}/close", {"reason": "机构撤并"}),
        (
            "group",
            "POST",
            "/grid-groups",
            {"owner_id": village, "name": f"新网格{tag}", "platform": "wechat"},
        ),
        ("group", "PATCH", f"/grid-groups/{group}", {"member_count": 300, "reason": "核对人数"}),
        (
            "member",
            "POST",
            "/memberships",
            {"username": "newcomer", "unit_id": county, "role": "viewer"},
        ),
        ("member", "DELETE", f"/memberships/{side['membership'].pk}", None),
    ]


def perform(api: ApiClient, method, path, body):
    if method == "DELETE":
        return api.delete(path)
    return api.call(method, path, body)


def audit_count():
    return AuditEvent.objects.count()


@pytest.mark.parametrize("transport", ["session", "token"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_other_county_answers_404_on_every_endpoint(api_as, world, sides, role, transport):
    api = api_as(world.user(world.county_a, role), transport)
    b = sides["b"]
    before = audit_count()
    for path in reads(b):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "未找到。", "errors": {}}
    for _needs, method, path, body in writes(b, "b"):
        assert perform(api, method, path, body).status_code == 404, (method, path)
    # Nothing in county B changed and nothing was recorded.
    assert audit_count() == before
    b["account"].refresh_from_db()
    assert b["account"].status == AccountStatus.PENDING and b["account"].followers == 0
    assert Membership.objects.filter(pk=b["membership"].pk).exists()
    assert not Unit.objects.filter(name="新街道b").exists()
    # Own county: every read answers.
    for path in reads(sides["a"]):
        assert api.get(path).status_code == 200, path


@pytest.mark.parametrize("transport", ["session", "token"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_lists_hold_only_own_county(api_as, world, sides, role, transport):
    # A second live WeChat account per county makes both show up in the health check.
    AccountFactory(owner=world.county_a, platform="wechat_oa", name="东湖发布2")
    AccountFactory(owner=world.county_b, platform="wechat_oa", name="西山发布2")
    unowned = AccountFactory(owner=None, name="无主账号")
    api = api_as(world.user(world.county_a, role), transport)

    units = ids(api.get("/units?page_size=500"))
    assert world.county_a.pk in units and world.village_a.pk in units
    assert not units & {world.city.pk, world.county_b.pk, world.town_b.pk, world.village_b.pk}

    accounts = ids(api.get("/accounts"))
    assert world.account_a.pk in accounts
    assert world.account_b.pk not in accounts and unowned.pk not in accounts
    assert api.get(f"/accounts/{unowned.pk}").status_code == 404

    groups = ids(api.get("/grid-groups"))
    assert groups == {world.group_a.pk}

    memberships = api.get("/memberships").json()["items"]
    assert {m["unit_id"] for m in memberships} <= {world.county_a.pk, world.town_a.pk}
    assert sides["a"]["membership"].pk in {m["id"] for m in memberships}

    health = api.get("/registry/health").json()
    assert [row["unit"]["id"] for row in health["duplicate_platforms"]] == [world.county_a.pk]
    assert health["unowned_accounts"] == [] and health["total"] == 1

    me = api.get("/me").json()
    assert [m["unit_id"] for m in me["memberships"]] == [world.county_a.pk]
    assert me["scopes"]["view"] == [world.county_a.pk]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_own_county_writes_follow_the_role(api_as, world, sides, role):
    api = api_as(world.user(world.county_a, role))
    for needs, method, path, body in writes(sides["a"], "a"):
        before = audit_count()
        response = perform(api, method, path, body)
        if needs in ALLOWED[role]:
            assert response.status_code in {200, 201, 204}, (method, path, response.content)
            assert audit_count() == before + 1, (method, path)
        else:
            assert response.status_code == 403, (method, path, response.content)
            assert response.json()["detail"]
            assert audit_count() == before, (method, path)


def test_operator_changes_grid_groups_but_not_accounts(api_as, world):
    api = api_as(world.user(world.county_a, "operator"))
    response = api.patch(f"/grid-groups/{world.group_a.pk}", {"contact_name": "王网格员"})
    assert response.status_code == 200 and response.json()["contact_name"] == "王网格员"
    response = api.patch(f"/accounts/{world.account_a.pk}", {"name": "改名"})
    assert response.status_code == 403
    world.account_a.refresh_from_db()
    assert world.account_a.name == "东湖发布"


def test_a_role_low_in_the_tree_sees_only_its_subtree(api_as, world):
    api = api_as(world.user(world.town_a, "editor"))
    assert api.get(f"/units/{world.county_a.pk}").status_code == 404
    assert api.get(f"/accounts/{world.account_a.pk}").status_code == 404
    assert ids(api.get("/units")) == {world.town_a.pk, world.village_a.pk}
    response = api.patch(f"/grid-groups/{world.group_a.pk}", {"member_count": 99})
    assert response.status_code == 200


def test_changing_an_owner_to_another_county_answers_404(api_as, world):
    api = api_as(world.user(world.county_a, "admin"))
    response = api.patch(f"/accounts/{world.account_a.pk}", {"owner_id": world.county_b.pk})
    assert response.status_code == 404
    response = api.patch(f"/grid-groups/{world.group_a.pk}", {"owner_id": world.village_b.pk})
    assert response.status_code == 404
    world.account_a.refresh_from_db()
    assert world.account_a.owner == world.county_a


def test_superuser_can_make_every_call_aimed_at_county_b(api_as, world, sides, superuser):
    api = api_as(superuser, "token")
    for path in reads(sides["b"]):
        assert api.get(path).status_code == 200, path
    for _needs, method, path, body in writes(sides["b"], "b"):
        response = perform(api, method, path, body)
        assert response.status_code in {200, 201, 204}, (method, path, response.content)
