"""notify: the notice, one delivery per channel that wants it, idempotence, sending on commit."""

import pytest

from mediamatrix.core.models import AuditEvent
from mediamatrix.notices.models import Delivery, Notice
from mediamatrix.notices.services import notify
from mediamatrix.orgs.services import unit_move
from tests.notices.conftest import channel

pytestmark = pytest.mark.django_db


def test_notify_stores_the_notice_and_a_delivery_per_enabled_channel(world):
    wecom = channel(world.village_a, "wecom", "http://127.0.0.1:9/hook")
    mail = channel(world.village_a, "email", "cun@example.org")
    channel(world.village_a, "email", "old@example.org", enabled=False)
    channel(world.village_b, "email", "other@example.org")

    notice = notify(
        unit=world.village_a,
        subject="【测试】防汛\n通知",
        body="  请各网格员转发。 ",
        link="/units/",
        verb="test.sent",
        obj=world.account_a,
    )

    assert notice.unit == world.village_a and notice.unit_path == world.village_a.path
    assert notice.subject == "【测试】防汛 通知"  # one line: it becomes a mail header
    assert notice.body == "请各网格员转发。"
    assert (notice.object_type, notice.object_id) == ("orgs.account", str(world.account_a.pk))
    deliveries = list(notice.deliveries.order_by("pk"))
    assert [(d.config, d.channel, d.status, d.attempts) for d in deliveries] == [
        (wecom, "wecom", "pending", 0),
        (mail, "email", "pending", 0),
    ]
    event = AuditEvent.objects.get(verb="notice.create")
    assert event.object_id == str(notice.pk) and event.unit_path == world.village_a.path
    assert event.after["deliveries"] == [d.pk for d in deliveries]


def test_ancestors_channels_subscribed_to_their_subtree_also_get_it(world):
    county = channel(world.county_a, "email", "qu@example.org", include_subtree=True)
    channel(world.town_a, "email", "town@example.org")  # not subscribed to the subtree
    city = channel(world.city, "email", "shi@example.org", include_subtree=True)
    channel(world.county_b, "email", "xi@example.org", include_subtree=True)  # another branch

    notice = notify(unit=world.village_a, subject="通知", body="", verb="test.sent")

    assert set(notice.deliveries.values_list("config", flat=True)) == {county.pk, city.pk}


def test_the_same_dedupe_key_makes_one_notice_and_one_set_of_deliveries(world):
    channel(world.village_a, "email", "cun@example.org")
    first = notify(unit=world.village_a, subject="一", body="", verb="t", dedupe_key="t:1")
    again = notify(unit=world.village_a, subject="二", body="", verb="t", dedupe_key="t:1")
    other = notify(unit=world.village_a, subject="三", body="", verb="t", dedupe_key="t:2")

    assert again.pk == first.pk and again.subject == "一"
    assert other.pk != first.pk
    assert Notice.objects.count() == 2
    assert Delivery.objects.count() == 2
    assert AuditEvent.objects.filter(verb="notice.create").count() == 2


def test_notices_without_a_key_are_never_merged(world):
    notify(unit=world.village_a, subject="一", body="", verb="t")
    notify(unit=world.village_a, subject="一", body="", verb="t")
    assert Notice.objects.count() == 2


def test_deliveries_are_sent_once_the_callers_transaction_commits(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    channel(world.village_a, "email", "cun@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = notify(unit=world.village_a, subject="防汛通知", body="内容", verb="t")
    assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()  # the commit: the immediate task backend sends now
    assert [m.subject for m in mailoutbox] == ["防汛通知"]
    delivery = notice.deliveries.get()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert delivery.sent_at is not None and delivery.next_attempt_at is None


def test_a_unit_move_carries_its_notices_and_channels_along(world, superuser):
    notice = notify(unit=world.village_a, subject="通知", body="", verb="t")
    config = channel(world.village_a, "email", "cun@example.org")

    unit_move(actor=superuser, unit=world.town_a, new_parent=world.county_b, reason="区划调整")

    world.village_a.refresh_from_db()
    notice.refresh_from_db()
    config.refresh_from_db()
    assert notice.unit_path == world.village_a.path == config.unit_path
    assert notice.unit_path.startswith(world.county_b.path)
