"""factory_boy factories that write through the ORM directly (tests of services call services)."""

import factory

from mediamatrix.core.tree import child_path
from mediamatrix.orgs.choices import AccountCategory, AccountStatus, Platform, UnitKind, UnitLevel
from mediamatrix.orgs.models import Account, GridGroup, Membership, Unit
from mediamatrix.users.models import User

KIND_FOR_LEVEL = {
    UnitLevel.CITY: UnitKind.CITY,
    UnitLevel.COUNTY: UnitKind.COUNTY,
    UnitLevel.TOWNSHIP: UnitKind.TOWN,
    UnitLevel.VILLAGE: UnitKind.VILLAGE,
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-12345")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    parent = None
    name = factory.Sequence(lambda n: f"单位{n}")
    level = factory.LazyAttribute(lambda o: (o.parent.level + 1) if o.parent else UnitLevel.CITY)
    kind = factory.LazyAttribute(lambda o: KIND_FOR_LEVEL.get(o.level, UnitKind.OTHER))
    path = "pending"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        unit = super()._create(model_class, *args, **kwargs)
        unit.path = child_path(unit.parent.path if unit.parent else "", unit.pk)
        unit.save(update_fields=["path"])
        return unit


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    platform = Platform.WECHAT_OA
    handle = factory.Sequence(lambda n: f"handle_{n}")
    name = factory.Sequence(lambda n: f"账号{n}")
    category = AccountCategory.GOVERNMENT
    owner = factory.SubFactory(UnitFactory)
    owner_path = factory.LazyAttribute(lambda o: o.owner.path if o.owner else "")
    status = AccountStatus.ACTIVE


class GridGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GridGroup

    name = factory.Sequence(lambda n: f"网格群{n}")
    platform = "wechat"
    owner = factory.SubFactory(UnitFactory, level=UnitLevel.VILLAGE)
    owner_path = factory.LazyAttribute(lambda o: o.owner.path)
    member_count = 120


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = "viewer"
