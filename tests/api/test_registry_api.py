"""Journeys through the API: account life-cycle with its history, units, groups, members, health."""

from mediamatrix.orgs.choices import AccountStatus
from mediamatrix.orgs.models import Account, Membership
from tests.factories import AccountFactory, UserFactory


def test_account_life_cycle_and_history(api_as, world):
    editor = world.user(world.county_a, "editor")
    api = api_as(editor, "token")
    created = api.post(
        "/accounts",
        {
            "platform": "weibo",
            "handle": "donghu_weibo",
            "name": "东湖微博",
            "category": "government",
            "owner_id": world.town_a.pk,
            "followers": 1200,
            "reason": "新开通",
        },
    )
    assert created.status_code == 201
    account = created.json()
    assert account["status"] == "pending" and account["status_label"] == "待备案"
    assert account["owner_name"] == world.town_a.name and account["platform_label"] == "微博"
    path = f"/accounts/{account['id']}"

    changed = api.patch(path, {"operator_name": "李四", "reason": "运维人员调整"})
    assert changed.status_code == 200 and changed.json()["operator_name"] == "李四"

    filed = api.post(f"{path}/file", {"filing_number": "LJ-2026-001", "reason": "材料齐全"})
    assert filed.status_code == 200
    assert filed.json()["status"] == "active" and filed.json()["filing_number"] == "LJ-2026-001"
    assert filed.json()["filed_at"]

    closed = api.post(f"{path}/close", {"reason": "机构撤并"})
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]
    assert api.post(f"{path}/close", {"reason": "再次注销"}).status_code == 422
    assert api.post(f"{path}/file", {"filing_number": "X", "reason": "重新备案"}).status_code == 422

    history = api.get(f"{path}/history").json()
    assert history["count"] == 4
    events = history["items"]
    assert [e["verb"] for e in events] == [
        "account.close",
        "account.file",
        "account.change",
        "account.create",
    ]
    assert [e["reason"] for e in events] == ["机构撤并", "材料齐全", "运维人员调整", "新开通"]
    assert events[0]["before"]["status"] == "active" and events[0]["after"]["status"] == "closed"
    assert events[1]["after"]["filing_number"] == "LJ-2026-001"
    assert {e["actor_label"] for e in events} == {editor.username}
    assert Account.objects.get(pk=account["id"]).status == AccountStatus.CLOSED


def test_history_carries_the_request_id(api_as, world):
    api = api_as(world.user(world.county_a, "admin"))
    response = api.patch(
        f"/units/{world.town_a.pk}",
        {"short_name": "东湖街"},
        HTTP_X_REQUEST_ID="req-12345678",
    )
    assert response.status_code == 200 and response["X-Request-ID"] == "req-12345678"
    event = api.get(f"/units/{world.town_a.pk}/history").json()["items"][0]
    assert event["verb"] == "unit.update" and event["request_id"] == "req-12345678"
    assert event["before"]["short_name"] == "" and event["after"]["short_name"] == "东湖街"


def test_units_are_created_and_changed(api_as, world):
    api = api_as(world.user(world.county_a, "admin"))
    created = api.post(
        "/units",
        {
            "parent_id": world.town_a.pk,
            "name": "东湖新村",
            "level": 4,
            "kind": "village",
            "division_code": "420102001001",
        },
    )
    assert created.status_code == 201
    unit = created.json()
    assert unit["parent_id"] == world.town_a.pk and unit["kind_label"] == "村"
    assert "path" not in unit
    response = api.patch(f"/units/{unit['id']}", {"name": "东湖新社区", "kind": "community"})
    assert response.json()["name"] == "东湖新社区" and response.json()["kind"] == "community"
    assert api.get(f"/units/{unit['id']}").json()["name"] == "东湖新社区"
    # Only a superuser creates a top-level unit.
    top = {"name": "邻市", "level": 1, "kind": "city"}
    assert api.post("/units", top).status_code == 403


def test_superuser_creates_a_top_level_unit(api_as, superuser):
    api = api_as(superuser)
    response = api.post("/units", {"name": "邻市", "level": 1, "kind": "city"})
    assert response.status_code == 201 and response.json()["parent_id"] is None


def test_grid_groups_are_registered_and_changed(api_as, world):
    api = api_as(world.user(world.town_a, "operator"))
    created = api.post(
        "/grid-groups",
        {
            "owner_id": world.village_a.pk,
            "name": "东湖社区2网格",
            "platform": "wecom",
            "member_count": 210,
            "contact_name": "张网格员",
        },
    )
    assert created.status_code == 201
    group = created.json()
    assert group["platform_label"] == "企业微信群" and group["owner_name"] == world.village_a.name
    changed = api.patch(f"/grid-groups/{group['id']}", {"is_active": False, "reason": "群已解散"})
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    events = api.get(f"/grid-groups/{group['id']}/history").json()["items"]
    assert [e["verb"] for e in events] == ["grid_group.change", "grid_group.create"]
    assert events[0]["reason"] == "群已解散"


def test_memberships_are_granted_and_revoked(api_as, world):
    newcomer = UserFactory(username="newcomer")
    api = api_as(world.user(world.county_a, "admin"))
    response = api.post(
        "/memberships", {"username": "newcomer", "unit_id": world.town_a.pk, "role": "editor"}
    )
    assert response.status_code == 201
    membership = response.json()
    assert membership["username"] == "newcomer" and membership["unit_name"] == world.town_a.name
    assert membership["role_label"] == "编辑"
    # The new member now sees the township and nothing above it.
    member_api = api_as(newcomer, "token")
    assert member_api.get(f"/units/{world.town_a.pk}").status_code == 200
    assert member_api.get(f"/units/{world.county_a.pk}").status_code == 404
    me = member_api.get("/me").json()
    assert me["memberships"][0]["actions"] == [
        "edit_account",
        "edit_grid_group",
        "import",
        "respond",
        "view",
    ]
    assert me["scopes"]["edit_unit"] == [] and me["scopes"]["edit_account"] == [world.town_a.pk]

    assert api.delete(f"/memberships/{membership['id']}").status_code == 204
    assert not Membership.objects.filter(user=newcomer).exists()
    assert member_api.get(f"/units/{world.town_a.pk}").status_code == 404
    assert api.delete(f"/memberships/{membership['id']}").status_code == 404


def test_me_for_a_superuser(api_as, superuser):
    me = api_as(superuser).get("/me").json()
    assert me["is_superuser"] is True and me["memberships"] == [] and me["scopes"] == {}


def test_registry_health(api_as, world):
    AccountFactory(owner=world.county_a, platform="wechat_oa", name="东湖发布（旧）")
    unowned = AccountFactory(owner=None, name="无主号")
    city = api_as(world.user(world.city, "viewer")).get("/registry/health").json()
    assert city["total"] == 2
    duplicate = city["duplicate_platforms"][0]
    assert duplicate["unit"] == {"id": world.county_a.pk, "name": world.county_a.name}
    assert duplicate["platform_label"] == "微信公众号" and len(duplicate["accounts"]) == 2
    assert [a["id"] for a in city["unowned_accounts"]] == [unowned.pk]
