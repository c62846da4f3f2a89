"""The registry's write path: validation, permissions, audit events and tree maintenance."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from mediamatrix.core.models import AuditEvent
from mediamatrix.core.tree import segment
from mediamatrix.orgs import services
from mediamatrix.orgs.choices import AccountStatus, UnitKind, UnitLevel
from mediamatrix.orgs.models import Account, GridGroup, Unit
from mediamatrix.orgs.selectors import account_list, registry_health, unit_list
from tests.factories import AccountFactory


def test_unit_create_builds_the_path_and_audits(world):
    admin = world.user(world.county_a, "admin")
    unit = services.unit_create(
        actor=admin,
        parent=world.town_a,
        name="新湖社区",
        level=UnitLevel.VILLAGE,
        kind=UnitKind.COMMUNITY,
        division_code="360102001002",
    )
    assert unit.path == world.town_a.path + segment(unit.pk)
    event = AuditEvent.objects.get(verb="unit.create", object_id=str(unit.pk))
    assert event.actor == admin and event.after["name"] == "新湖社区"
    assert event.unit_path == unit.path


def test_unit_create_rejects_level_above_parent_and_bad_code(world):
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            actor=None, parent=world.town_a, name="x", level=UnitLevel.COUNTY, kind="county"
        )
    assert "level" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            actor=None,
            parent=world.town_a,
            name="x",
            level=UnitLevel.VILLAGE,
            kind="village",
            division_code="12345",
        )
    assert "division_code" in error.value.message_dict


def test_only_admins_of_the_parent_create_units(world):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=world.user(world.county_a, "editor"),
            parent=world.town_a,
            name="x",
            level=4,
            kind="village",
        )
    with pytest.raises(Http404):
        services.unit_create(
            actor=world.user(world.county_a, "admin"),
            parent=world.town_b,
            name="x",
            level=4,
            kind="village",
        )


def test_unit_move_carries_the_subtree_and_owned_objects(world):
    services.unit_move(actor=None, unit=world.town_a, new_parent=world.county_b, reason="区划调整")
    world.town_a.refresh_from_db()
    village = Unit.objects.get(pk=world.village_a.pk)
    assert world.town_a.path.startswith(world.county_b.path)
    assert village.path == world.town_a.path + segment(village.pk)
    group = GridGroup.objects.get(pk=world.group_a.pk)
    assert group.owner_path == village.path
    # A county B user now sees the moved township and its village; a county A user does not.
    county_b_viewer = world.user(world.county_b, "viewer")
    assert village in unit_list(county_b_viewer)
    assert village not in unit_list(world.user(world.county_a, "viewer"))
    with pytest.raises(ValidationError):
        services.unit_move(actor=None, unit=world.county_b, new_parent=world.town_a, reason="环")


def test_account_create_validates_and_audits(world):
    editor = world.user(world.county_a, "editor")
    account = services.account_create(
        actor=editor,
        platform="douyin",
        handle="  donghu_dy ",
        name="东湖抖音",
        category="government",
        owner=world.town_a,
    )
    assert account.handle == "donghu_dy" and account.owner_path == world.town_a.path
    assert account.status == AccountStatus.PENDING
    with pytest.raises(ValidationError):
        services.account_create(
            actor=editor,
            platform="douyin",
            handle="donghu_dy",
            name="重复",
            category="government",
            owner=world.town_a,
        )
    assert Account.objects.filter(handle="donghu_dy").count() == 1
    assert AuditEvent.objects.filter(verb="account.create").count() == 1


def test_account_life_cycle(world):
    editor = world.user(world.county_a, "editor")
    account = AccountFactory(owner=world.county_a, status=AccountStatus.PENDING)
    with pytest.raises(ValidationError):
        services.account_file(actor=editor, account=account, filing_number="1", reason=" ")
    services.account_file(actor=editor, account=account, filing_number="LJ-1", reason="齐全")
    assert account.status == AccountStatus.ACTIVE and account.filed_at is not None
    with pytest.raises(ValidationError):
        services.account_file(actor=editor, account=account, filing_number="LJ-2", reason="再次")
    services.account_close(actor=editor, account=account, reason="撤并")
    assert account.status == AccountStatus.CLOSED
    verbs = list(
        AuditEvent.objects.filter(object_id=str(account.pk), object_type="orgs.account")
        .order_by("id")
        .values_list("verb", "reason")
    )
    assert verbs == [("account.file", "齐全"), ("account.close", "撤并")]


def test_account_change_records_before_and_after(world):
    editor = world.user(world.county_a, "editor")
    services.account_update(
        actor=editor, account=world.account_a, name="东湖发布（新）", reason="更名"
    )
    event = AuditEvent.objects.get(verb="account.change")
    assert event.before["name"] == "东湖发布" and event.after["name"] == "东湖发布（新）"
    assert event.reason == "更名"
    # Moving an account into another county's unit is out of the editor's scope.
    with pytest.raises(Http404):
        services.account_update(actor=editor, account=world.account_a, owner=world.county_b)


def test_grid_groups_belong_to_villages(world):
    operator = world.user(world.village_a, "operator")
    with pytest.raises(ValidationError):
        services.grid_group_create(actor=None, owner=world.town_a, name="错", platform="wechat")
    group = services.grid_group_create(
        actor=operator, owner=world.village_a, name="东湖社区2网格", platform="wechat"
    )
    assert group.owner_path == world.village_a.path
    services.grid_group_update(actor=operator, group=group, member_count=321)
    assert GridGroup.objects.get(pk=group.pk).member_count == 321
    with pytest.raises(PermissionDenied):
        services.account_update(actor=operator, account=AccountFactory(owner=world.village_a))


def test_audit_events_are_append_only(world):
    services.account_close(actor=None, account=world.account_a, reason="测试")
    event = AuditEvent.objects.get(verb="account.close")
    event.reason = "改写"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    with pytest.raises(RuntimeError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="改写")
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == "测试"


def test_registry_health(world):
    from datetime import timedelta

    from django.utils import timezone

    AccountFactory(owner=world.county_a, platform=world.account_a.platform, name="东湖第二号")
    orphan = AccountFactory(owner=None, name="无主号")
    closed = AccountFactory(
        owner=world.county_b,
        status=AccountStatus.CLOSED,
        closed_at=timezone.now() - timedelta(days=3),
        last_post_at=timezone.now(),
    )
    city_admin = world.user(world.city, "admin")
    health = registry_health(city_admin)
    assert [row.unit for row in health.duplicate_platforms] == [world.county_a]
    assert health.unowned_accounts == [orphan]
    assert health.closed_but_posting == [closed]
    # A county B viewer sees only county B's problems, and no unowned accounts.
    county_health = registry_health(world.user(world.county_b, "viewer"))
    assert county_health.duplicate_platforms == [] and county_health.unowned_accounts == []
    assert county_health.closed_but_posting == [closed]
    assert orphan not in account_list(world.user(world.county_a, "admin"))


def test_tree_roots_at_different_depths(client, world):
    """A user who holds roles in a county and in a village elsewhere sees both as tree roots."""
    from django.urls import reverse

    from tests.factories import MembershipFactory

    user = world.user(world.county_a, "viewer")
    MembershipFactory(user=user, unit=world.village_b, role="operator")
    client.force_login(user)
    html = client.get(reverse("orgs:units")).content.decode()
    assert world.county_a.name in html and world.village_b.name in html
    assert world.county_b.name not in html


def test_out_of_scope_transitions_answer_404_before_any_other_check(world):
    outsider = world.user(world.county_b, "admin")
    for call in (
        lambda: services.account_file(
            actor=outsider, account=world.account_a, filing_number="", reason=""
        ),
        lambda: services.account_close(actor=outsider, account=world.account_a, reason=""),
        lambda: services.account_set_dormant(
            actor=outsider, account=world.account_a, dormant=True, reason=""
        ),
    ):
        with pytest.raises(Http404):
            call()


def test_unit_level_cannot_pass_its_children_and_no_op_updates_are_not_audited(world):
    with pytest.raises(ValidationError):
        services.unit_update(actor=None, unit=world.county_a, level=UnitLevel.VILLAGE)
    before = AuditEvent.objects.count()
    services.unit_update(actor=None, unit=Unit.objects.get(pk=world.county_a.pk), name="东湖区")
    assert AuditEvent.objects.count() == before
