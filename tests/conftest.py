"""Shared fixtures: a small two-county world to test scoping, and users holding each role."""

from dataclasses import dataclass

import pytest

from mediamatrix.orgs.choices import Role, UnitLevel
from mediamatrix.orgs.models import Account, GridGroup, Unit
from mediamatrix.users.models import User
from tests.factories import (
    AccountFactory,
    GridGroupFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
)


@dataclass
class World:
    city: Unit
    county_a: Unit
    county_b: Unit
    town_a: Unit
    village_a: Unit
    town_b: Unit
    village_b: Unit
    account_a: Account
    account_b: Account
    group_a: GridGroup
    group_b: GridGroup

    def user(self, unit: Unit, role: str) -> User:
        membership = MembershipFactory(unit=unit, role=role)
        return membership.user


@pytest.fixture
def world(db) -> World:
    city = UnitFactory(name="临江市", level=UnitLevel.CITY)
    county_a = UnitFactory(name="东湖区", parent=city)
    county_b = UnitFactory(name="西山县", parent=city)
    town_a = UnitFactory(name="东湖街道", parent=county_a)
    town_b = UnitFactory(name="西山镇", parent=county_b)
    village_a = UnitFactory(name="东湖社区", parent=town_a)
    village_b = UnitFactory(name="西山村", parent=town_b)
    return World(
        city=city,
        county_a=county_a,
        county_b=county_b,
        town_a=town_a,
        village_a=village_a,
        town_b=town_b,
        village_b=village_b,
        account_a=AccountFactory(owner=county_a, name="东湖发布"),
        account_b=AccountFactory(owner=county_b, name="西山发布"),
        group_a=GridGroupFactory(owner=village_a, name="东湖社区1网格"),
        group_b=GridGroupFactory(owner=village_b, name="西山村1网格"),
    )


@pytest.fixture
def superuser(db) -> User:
    return UserFactory(username="root", is_superuser=True, is_staff=True)


ALL_ROLES = [role.value for role in Role]
