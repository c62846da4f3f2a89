"""Invalid input answers 422 with messages per field, from the services and from request parsing."""

import json

import pytest

from mediamatrix.orgs.models import Account, GridGroup, Unit


@pytest.fixture
def admin_api(api_as, world):
    return api_as(world.user(world.county_a, "admin"))


def assert_422(response, *fields):
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["detail"]
    for field in fields:
        assert data["errors"].get(field), (field, data)
    return data


def test_duplicate_platform_and_handle(admin_api, world):
    body = {
        "platform": world.account_a.platform,
        "handle": world.account_a.handle,
        "name": "重复登记",
        "category": "government",
        "owner_id": world.county_a.pk,
    }
    data = assert_422(admin_api.post("/accounts", body), "__all__")
    assert "已经存在" in data["errors"]["__all__"][0]
    assert Account.objects.filter(handle=world.account_a.handle).count() == 1
    # The same handle on another platform is another account.
    assert admin_api.post("/accounts", body | {"platform": "weibo"}).status_code == 201


def test_duplicate_handle_on_change(admin_api, world):
    other = admin_api.post(
        "/accounts",
        {
            "platform": "wechat_oa",
            "handle": "other",
            "name": "另一个",
            "category": "news",
            "owner_id": world.town_a.pk,
        },
    ).json()
    response = admin_api.patch(f"/accounts/{other['id']}", {"handle": world.account_a.handle})
    assert_422(response, "__all__")


def test_grid_group_must_belong_to_a_village(admin_api, world):
    body = {"owner_id": world.town_a.pk, "name": "街道群", "platform": "wechat"}
    data = assert_422(admin_api.post("/grid-groups", body), "owner_id")
    assert "村（社区）" in data["errors"]["owner_id"][0]
    response = admin_api.patch(f"/grid-groups/{world.group_a.pk}", {"owner_id": world.town_a.pk})
    assert_422(response, "owner_id")
    assert not GridGroup.objects.filter(name="街道群").exists()


def test_unit_level_cannot_be_above_its_parent(admin_api, world):
    body = {"parent_id": world.county_a.pk, "name": "越级单位", "level": 1, "kind": "city"}
    assert_422(admin_api.post("/units", body), "level")
    assert_422(admin_api.patch(f"/units/{world.town_a.pk}", {"level": 1}), "level")
    assert not Unit.objects.filter(name="越级单位").exists()


def test_division_code_is_checked(admin_api, world):
    assert_422(
        admin_api.patch(f"/units/{world.town_a.pk}", {"division_code": "12ab"}), "division_code"
    )
    response = admin_api.patch(f"/units/{world.town_a.pk}", {"division_code": "420102001000"})
    assert response.status_code == 200 and response.json()["division_code"] == "420102001000"
    response = admin_api.patch(f"/units/{world.town_a.pk}", {"division_code": None})
    assert response.status_code == 200 and response.json()["division_code"] is None


def test_request_parsing_errors_share_the_error_shape(admin_api, world):
    data = assert_422(
        admin_api.post("/accounts", {"platform": "myspace", "name": "x", "category": "news"}),
        "platform",
        "handle",
    )
    assert data["detail"] == "请求数据有误。"
    assert_422(admin_api.post("/accounts", {**_valid_account(world), "status": "active"}), "status")
    assert_422(admin_api.post("/accounts", {**_valid_account(world), "followers": -1}), "followers")
    assert_422(admin_api.patch(f"/accounts/{world.account_a.pk}", {"name": None}), "name")
    assert_422(admin_api.get("/accounts?level=9"), "level")
    assert_422(admin_api.get("/accounts?page=0"), "page")
    assert_422(admin_api.get("/units/abc"), "unit_id")


def _valid_account(world):
    return {
        "platform": "douyin",
        "handle": "dh",
        "name": "东湖抖音",
        "category": "news",
        "owner_id": world.county_a.pk,
    }


def test_blank_names_are_refused(admin_api, world):
    assert_422(admin_api.post("/accounts", {**_valid_account(world), "name": "   "}), "name")
    assert_422(admin_api.patch(f"/grid-groups/{world.group_a.pk}", {"name": ""}), "name")


def test_life_cycle_needs_reasons_and_the_right_status(admin_api, world):
    account = world.account_a  # active already
    assert_422(admin_api.post(f"/accounts/{account.pk}/file", {"filing_number": "X"}), "reason")
    assert_422(admin_api.post(f"/accounts/{account.pk}/close", {"reason": ""}), "reason")
    data = assert_422(
        admin_api.post(
            f"/accounts/{account.pk}/file", {"filing_number": "X", "reason": "再次备案"}
        ),
        "__all__",
    )
    assert "已备案" in data["detail"]


def test_memberships_need_a_known_user_and_role(admin_api, world):
    body = {"username": "nobody", "unit_id": world.county_a.pk, "role": "viewer"}
    assert_422(admin_api.post("/memberships", body), "username")
    assert_422(admin_api.post("/memberships", body | {"role": "king"}), "role")


def test_a_body_that_is_not_an_object(admin_api, world):
    for body in ([], None):
        response = admin_api.client.post(
            "/api/v1/accounts", data=json.dumps(body), content_type="application/json"
        )
        assert_422(response, "__all__")
    response = admin_api.client.post(
        "/api/v1/accounts", data="{bad", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["errors"] == {}
