"""Backoff after failures, giving up, and the claim that keeps two senders from sending twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mediamatrix.notices.channels import Channel, register_channel, unregister_channel
from mediamatrix.notices.services import (
    CLAIM_LEASE,
    deliveries_retry_due,
    deliveries_send,
    notify,
    retry_delay,
)
from mediamatrix.notices.tasks import deliveries_retry_due_task
from tests.notices.conftest import channel

pytestmark = pytest.mark.django_db

BUSY = {"errcode": -1, "errmsg": "system error"}


def one_delivery(world, config):
    notice = notify(unit=world.village_a, subject="防汛通知", body="请转发。", verb="t")
    return notice.deliveries.get(config=config)


def test_retry_delays_grow_from_the_settings(settings):
    settings.MEDIAMATRIX_NOTICE_RETRY_MINUTES = 1
    settings.MEDIAMATRIX_NOTICE_RETRY_FACTOR = 5
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=25),
        timedelta(minutes=125),
    ]


def test_a_failure_is_retried_with_backoff_until_it_succeeds(world, bot):
    wecom = bot("wecom")
    wecom.fail(times=2, answer=BUSY)
    config = channel(world.village_a, "wecom", wecom.url)
    delivery = one_delivery(world, config)
    t0 = timezone.now()

    assert deliveries_send([delivery.pk], now=t0) == {"failed": 1}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.next_attempt_at == t0 + timedelta(minutes=1)
    assert delivery.last_error == "机器人返回错误 -1：system error"

    assert deliveries_retry_due(now=t0 + timedelta(seconds=59)) == {}  # not yet due
    t1 = t0 + timedelta(minutes=1)
    assert deliveries_retry_due(now=t1) == {"failed": 1}
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at == t1 + timedelta(minutes=5)

    assert deliveries_retry_due(now=t1 + timedelta(minutes=4)) == {}
    t2 = t1 + timedelta(minutes=5)
    assert deliveries_retry_due(now=t2) == {"sent": 1}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == ("sent", 3, t2)
    assert delivery.next_attempt_at is None and delivery.last_error == ""
    assert len(wecom.requests) == 3
    config.refresh_from_db()
    assert config.last_ok_at == t2


def test_it_gives_up_after_the_last_attempt(world, bot, settings):
    settings.MEDIAMATRIX_NOTICE_MAX_ATTEMPTS = 3
    wecom = bot("wecom")
    wecom.fail(times=10, answer=BUSY)
    delivery = one_delivery(world, channel(world.village_a, "wecom", wecom.url))
    now = timezone.now()

    outcomes = []
    for _ in range(5):  # passes far apart: every wait has passed
        outcomes.append(deliveries_send([delivery.pk], now=now))
        now += timedelta(days=1)

    assert outcomes == [
        {"failed": 1},
        {"failed": 1},
        {"gave_up": 1},
        {"skipped": 1},
        {"skipped": 1},
    ]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("gave_up", 3, None)
    assert "system error" in delivery.last_error
    assert len(wecom.requests) == 3


class Reentrant(Channel):
    """Runs a second sender's pass while its own send is in flight."""

    label = "reentrant"
    sends: list[int] = []
    competing: list[dict[str, int]] = []
    seen_by_other: list[int] = []

    def clean_target(self, target):
        return target

    def send(self, notice, config):
        type(self).sends.append(notice.pk)
        if len(type(self).sends) == 1:
            type(self).competing.append(deliveries_send(type(self).seen_by_other))


@pytest.fixture
def reentrant():
    register_channel("reentrant")(Reentrant)
    Reentrant.sends, Reentrant.competing, Reentrant.seen_by_other = [], [], []
    yield Reentrant
    unregister_channel("reentrant")


def test_two_senders_never_send_one_delivery_twice(world, reentrant):
    delivery = one_delivery(world, channel(world.village_a, "reentrant", "x"))
    # Both workers listed the due deliveries before either claimed one.
    reentrant.seen_by_other.append(delivery.pk)

    assert deliveries_retry_due() == {"sent": 1}

    assert reentrant.sends == [delivery.notice_id]
    assert reentrant.competing == [{"skipped": 1}]  # the other's conditional update matched nothing
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_a_claim_left_by_a_crashed_sender_is_retried_after_the_lease(world, mailoutbox):
    delivery = one_delivery(world, channel(world.village_a, "email", "cun@example.org"))
    now = timezone.now()
    # A sender claimed it and died before recording anything.
    type(delivery).objects.filter(pk=delivery.pk).update(
        attempts=1, next_attempt_at=now + CLAIM_LEASE
    )

    assert deliveries_retry_due(now=now + CLAIM_LEASE - timedelta(seconds=1)) == {}
    assert deliveries_retry_due(now=now + CLAIM_LEASE) == {"sent": 1}
    assert len(mailoutbox) == 1


def test_the_periodic_job_retries_what_is_due(world, mailoutbox):
    delivery = one_delivery(world, channel(world.village_a, "email", "cun@example.org"))
    result = deliveries_retry_due_task.call()
    assert result == {"sent": 1}
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(mailoutbox) == 1


def test_a_disabled_channel_gives_up_its_waiting_deliveries(world, mailoutbox):
    config = channel(world.village_a, "email", "cun@example.org")
    delivery = one_delivery(world, config)
    type(config).objects.filter(pk=config.pk).update(enabled=False)

    assert deliveries_retry_due() == {"gave_up": 1}
    delivery.refresh_from_db()
    assert delivery.status == "gave_up" and delivery.last_error == "通知通道已停用。"
    assert mailoutbox == []
