"""Every write of the notices app: notify a unit, send and retry deliveries, manage channels.

`notify` is what other apps call, inside their own transaction: it stores the notice (once per
dedupe key), one Delivery per channel config that wants it, and on commit queues the sending.
A sender claims each delivery with a conditional UPDATE that moves its next attempt ahead (a
lease), so two workers never send one delivery twice and a crashed send is tried again later.
"""

import logging
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mediamatrix.core.audit import audit_record
from mediamatrix.notices.channels import ChannelError, get_channel
from mediamatrix.notices.choices import OPEN_STATUSES, DeliveryStatus
from mediamatrix.notices.models import ChannelConfig, Delivery, Notice, NoticeRead
from mediamatrix.notices.selectors import ancestor_paths
from mediamatrix.orgs.access import Action, can
from mediamatrix.orgs.models import Unit

logger = logging.getLogger(__name__)

# How long a claimed delivery is left to its sender before another may try it again.
CLAIM_LEASE = timedelta(minutes=10)
RETRY_BATCH = 200


# Notify ----------------------------------------------------------------------------------------


def notify(
    *,
    unit: Unit,
    subject: str,
    body: str,
    link: str = "",
    verb: str,
    obj: models.Model | None = None,
    dedupe_key: str | None = None,
) -> Notice:
    """Tell `unit` something: the notice in its inbox, and a delivery per channel that wants it.

    Runs in the caller's transaction. With a `dedupe_key` the same event makes one notice: a
    second call returns the first notice and sends nothing more.
    """
    with transaction.atomic():
        if dedupe_key and (existing := Notice.objects.filter(dedupe_key=dedupe_key).first()):
            return existing
        try:
            with transaction.atomic():  # a savepoint: a concurrent twin may take the key first
                notice = Notice.objects.create(
                    unit=unit,
                    unit_path=unit.path,
                    subject=" ".join(subject.split())[:200],  # one line: it is a mail header
                    body=body.strip(),
                    link=link,
                    verb=verb,
                    object_type=obj._meta.label_lower if obj is not None else "",
                    object_id=str(obj.pk) if obj is not None else "",
                    dedupe_key=dedupe_key or None,
                )
        except IntegrityError:
            if not dedupe_key:
                raise
            return Notice.objects.get(dedupe_key=dedupe_key)
        delivery_ids = [
            Delivery.objects.create(
                notice=notice,
                config=config,
                channel=config.channel,
                next_attempt_at=notice.created_at,
            ).pk
            for config in _configs_for(unit)
        ]
        audit_record(
            actor=None,
            verb="notice.create",
            obj=notice,
            after={"verb": verb, "unit": unit.pk, "link": link, "deliveries": delivery_ids},
            unit_path=unit.path,
        )
        if delivery_ids:
            transaction.on_commit(partial(_enqueue, delivery_ids))
    return notice


def _configs_for(unit: Unit) -> list[ChannelConfig]:
    """The unit's enabled channels, and its ancestors' that subscribed to their subtree."""
    ancestors = ancestor_paths(unit.path)
    return list(
        ChannelConfig.objects.filter(enabled=True)
        .filter(Q(unit=unit) | Q(include_subtree=True, unit_path__in=ancestors))
        .order_by("unit_path", "pk")
    )


def _enqueue(delivery_ids: list[int]) -> None:
    from mediamatrix.notices.tasks import deliveries_send_task

    deliveries_send_task.enqueue(delivery_ids)


# Sending ----------------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: first wait × factor^(n-1), e.g. 1, 5, 25 minutes."""
    factor: int = settings.MEDIAMATRIX_NOTICE_RETRY_FACTOR
    first: float = settings.MEDIAMATRIX_NOTICE_RETRY_MINUTES
    return timedelta(minutes=first * factor ** max(attempts - 1, 0))


def deliveries_send(delivery_ids: Iterable[int], *, now: datetime | None = None) -> dict[str, int]:
    """Claim and send each delivery that is due; counts by outcome ("claimed elsewhere" skipped)."""
    outcomes: Counter[str] = Counter()
    for delivery_id in delivery_ids:
        outcomes[delivery_attempt(delivery_id, now=now) or "skipped"] += 1
    return dict(outcomes)


def deliveries_retry_due(*, now: datetime | None = None) -> dict[str, int]:
    """One retry pass: every pending or failed delivery whose next attempt is due."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status__in=OPEN_STATUSES, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:RETRY_BATCH])
    return deliveries_send(ids, now=now)


def delivery_attempt(delivery_id: int, *, now: datetime | None = None) -> str | None:
    """Send one delivery if this caller wins the claim; its new status, or None."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status__in=OPEN_STATUSES, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE)
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("notice", "config").get(pk=delivery_id)
    if not delivery.config.enabled:
        error = _("通知通道已停用。")
        _delivery_update(delivery, status=DeliveryStatus.GAVE_UP, error=error, now=now)
        return DeliveryStatus.GAVE_UP
    error = _send(delivery.notice, delivery.config)
    _config_result(delivery.config, now, error)
    if not error:
        status = DeliveryStatus.SENT
    elif delivery.attempts >= settings.MEDIAMATRIX_NOTICE_MAX_ATTEMPTS:
        status = DeliveryStatus.GAVE_UP
    else:
        status = DeliveryStatus.FAILED
    _delivery_update(delivery, status=status, error=error, now=now)
    return status


def _delivery_update(delivery: Delivery, *, status: str, error: str, now: datetime) -> None:
    retry_at = now + retry_delay(delivery.attempts) if status == DeliveryStatus.FAILED else None
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        last_error=error,
        next_attempt_at=retry_at,
        sent_at=now if status == DeliveryStatus.SENT else None,
    )


def _send(notice: Notice, config: ChannelConfig) -> str:
    """Send through the config's channel; "" on success, else what went wrong."""
    try:
        with translation.override(settings.LANGUAGE_CODE):  # the unit reads the site language
            get_channel(config.channel).send(notice, config)
    except ChannelError as error:
        return str(error)
    except LookupError:
        return _("通道 %(name)s 未安装。") % {"name": config.channel}
    except Exception as error:
        # A channel bug or an unexpected library error: logged in full, shown by kind only,
        # as a message could carry a webhook key.
        logger.exception("delivery through %s config %s failed", config.channel, config.pk)
        return _("发送出错（%(kind)s）。") % {"kind": type(error).__name__}
    return ""


def _config_result(config: ChannelConfig, now: datetime, error: str) -> None:
    if error:
        ChannelConfig.objects.filter(pk=config.pk).update(last_failed_at=now, last_error=error)
    else:
        ChannelConfig.objects.filter(pk=config.pk).update(last_ok_at=now)


# Reading -----------------------------------------------------------------------------------------


def notice_mark_read(*, actor: Any, notice: Notice) -> None:
    """The receipt that this user was told; read receipts are their own record, not audited."""
    NoticeRead.objects.get_or_create(notice=notice, user=actor)


def notices_mark_read(*, actor: Any, notices: QuerySet[Notice]) -> int:
    """Mark every notice of `notices` read for `actor`; how many were unread."""
    ids = list(notices.exclude(reads__user=actor).values_list("pk", flat=True))
    now = timezone.now()
    NoticeRead.objects.bulk_create(
        [NoticeRead(notice_id=pk, user=actor, read_at=now) for pk in ids], ignore_conflicts=True
    )
    return len(ids)


# Channel configs ---------------------------------------------------------------------------------


def _require_edit(actor: Any, path: str) -> None:
    if not can(actor, path, Action.EDIT_UNIT):
        raise PermissionDenied


def channel_config_create(
    *,
    actor: Any,
    unit: Unit,
    channel: str,
    target: str,
    secret: str = "",
    name: str = "",
    include_subtree: bool = False,
) -> ChannelConfig:
    _require_edit(actor, unit.path)
    try:
        sender = get_channel(channel)
    except LookupError:
        raise ValidationError({"channel": _("请选择通道。")}) from None
    try:
        target = sender.clean_target(target)
    except ValidationError as error:
        raise ValidationError({"target": error.messages}) from None
    with transaction.atomic():
        config = ChannelConfig.objects.create(
            unit=unit,
            unit_path=unit.path,
            channel=channel,
            name=name.strip(),
            target=target,
            secret=secret.strip() if sender.uses_secret else "",
            include_subtree=include_subtree,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            verb="notice_channel.create",
            obj=config,
            after={
                "channel": channel,
                "target": config.target_display,
                "signed": bool(config.secret),
                "include_subtree": include_subtree,
            },
            unit_path=unit.path,
        )
    return config


def channel_config_set_enabled(*, actor: Any, config: ChannelConfig, enabled: bool) -> None:
    """Switch a channel on or off; switching off gives up its deliveries still waiting."""
    _require_edit(actor, config.unit_path)
    with transaction.atomic():
        before = config.enabled
        ChannelConfig.objects.filter(pk=config.pk).update(enabled=enabled)
        config.enabled = enabled
        if not enabled:
            Delivery.objects.filter(config=config, status__in=OPEN_STATUSES).update(
                status=DeliveryStatus.GAVE_UP,
                next_attempt_at=None,
                last_error=_("通知通道已停用。"),
            )
        audit_record(
            actor=actor,
            verb="notice_channel.enable" if enabled else "notice_channel.disable",
            obj=config,
            before={"enabled": before},
            after={"enabled": enabled},
            unit_path=config.unit_path,
        )


def channel_config_test(*, actor: Any, config: ChannelConfig) -> str:
    """Send a test message through the config now; "" if it arrived, else the error."""
    _require_edit(actor, config.unit_path)
    with translation.override(settings.LANGUAGE_CODE):
        notice = Notice(
            unit=config.unit,
            unit_path=config.unit_path,
            subject=_("【测试】通知通道测试消息"),
            body=_("这是%(unit)s在通知设置页面发送的测试消息。收到本消息说明通道配置正确。")
            % {"unit": config.unit.name},
            link=reverse("notices:inbox"),
            verb="notices.test",
        )
    now = timezone.now()
    error = _send(notice, config)
    with transaction.atomic():
        _config_result(config, now, error)
        audit_record(
            actor=actor,
            verb="notice_channel.test",
            obj=config,
            after={"ok": not error},
            reason=error,
            unit_path=config.unit_path,
        )
    return error
