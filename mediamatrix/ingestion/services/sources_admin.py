"""Managing pull sources: create, change, enable or disable, pull now; checked and audited.

Whoever may edit an account may manage its sources (Action.EDIT_ACCOUNT on the owner's path).
The secret (an app secret) is write-only: it is set or replaced here, never returned, and audit
events record only that it changed ("***").
"""

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import TaskResult
from django.utils import timezone
from django.utils.translation import gettext as _

from mediamatrix.core.audit import audit_record, snapshot
from mediamatrix.ingestion.choices import SourceState
from mediamatrix.ingestion.connectors import Connector, get
from mediamatrix.ingestion.models import Source
from mediamatrix.ingestion.tasks import CLAIM_FOR, source_pull_task
from mediamatrix.orgs.access import Action, access_object, is_system
from mediamatrix.orgs.models import Account

SOURCE_FIELDS = ("connector", "account", "name", "config", "enabled", "interval_minutes")
MIN_INTERVAL_MINUTES = 5
MAX_INTERVAL_MINUTES = 7 * 24 * 60
# Config keys that are switches rather than text; absent means on.
BOOLEAN_CONFIG_KEYS = frozenset({"fetch_full_text"})
URL_CONFIG_KEYS = frozenset({"feed_url"})
MAX_CONFIG_TEXT = 1000
SECRET_MASK = "***"


def _require(actor: Any, path: str) -> None:
    if not is_system(actor):
        access_object(actor, path, Action.EDIT_ACCOUNT)


def pull_connector(name: str) -> Connector:
    """The registered pull connector called `name`; a ValidationError for anything else."""
    try:
        connector = get(name)
    except LookupError:
        connector = None
    if connector is None or connector.kind != "pull" or connector.pull is None:
        raise ValidationError({"connector": _("没有这种可定时采集的来源类型：%s") % name})
    return connector


def config_as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off", "否")
    return value is None or bool(value)


def source_config_clean(connector: Connector, config: dict[str, Any]) -> dict[str, Any]:
    """Check a config against the connector's fields: no unknown keys, text filled in, URLs."""
    labels = dict(connector.config_fields)
    unknown = sorted(set(config) - set(labels))
    if unknown:
        raise ValidationError({"config": _("未知的配置项：%s") % "、".join(unknown)})
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, label in connector.config_fields:
        value = config.get(key)
        if key in BOOLEAN_CONFIG_KEYS:
            cleaned[key] = config_as_bool(value)
            continue
        text = "" if value is None else str(value).strip()
        cleaned[key] = text
        if not text:
            errors[key] = _("请填写%s。") % label
        elif len(text) > MAX_CONFIG_TEXT:
            errors[key] = _("%(label)s太长（最多 %(max)d 个字符）。") % {
                "label": label,
                "max": MAX_CONFIG_TEXT,
            }
        elif key in URL_CONFIG_KEYS:
            parts = urlsplit(text)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                errors[key] = _("%s应为 http:// 或 https:// 开头的完整地址。") % label
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_interval(minutes: int) -> None:
    if not MIN_INTERVAL_MINUTES <= minutes <= MAX_INTERVAL_MINUTES:
        raise ValidationError(
            {
                "interval_minutes": _("采集间隔应在 %(min)d 到 %(max)d 分钟之间。")
                % {"min": MIN_INTERVAL_MINUTES, "max": MAX_INTERVAL_MINUTES}
            }
        )


def _check_secret(connector: Connector, secret: str, *, required: bool) -> None:
    if secret and not connector.needs_secret:
        raise ValidationError({"secret": _("这种来源不需要密钥。")})
    if required and connector.needs_secret and not secret:
        raise ValidationError({"secret": _("请填写密钥。")})


def _check_name(source: Source) -> None:
    # Two sources of one account with one name would be indistinguishable on the pages.
    same = Source.objects.filter(account_id=source.account_id, name=source.name)
    if same.exclude(pk=source.pk).exists():
        raise ValidationError({"name": _("该账号已有同名的采集源。")})


def _audited(source: Source) -> dict[str, Any]:
    return snapshot(source, SOURCE_FIELDS)


def source_create(
    *,
    actor: Any,
    account: Account,
    connector: str,
    name: str,
    config: dict[str, Any],
    secret: str = "",
    interval_minutes: int = 60,
) -> Source:
    _require(actor, account.owner_path)
    pulls = pull_connector(connector)
    cleaned = source_config_clean(pulls, config)
    _check_interval(interval_minutes)
    secret = secret.strip()
    _check_secret(pulls, secret, required=True)
    source = Source(
        connector=pulls.name,
        account=account,
        owner_path=account.owner_path,
        name=name.strip(),
        config=cleaned,
        secret=secret,
        interval_minutes=interval_minutes,
        next_pull_at=timezone.now(),
    )
    source.full_clean()
    _check_name(source)
    with transaction.atomic():
        source.save()
        after = _audited(source) | ({"secret": SECRET_MASK} if secret else {})
        audit_record(
            actor=actor, verb="source.create", obj=source, after=after, unit_path=source.owner_path
        )
    return source


def source_update(
    *,
    actor: Any,
    source: Source,
    name: str | None = None,
    config: dict[str, Any] | None = None,
    secret: str = "",
    interval_minutes: int | None = None,
) -> Source:
    """Change a source; the secret is replaced only when a new one is given."""
    _require(actor, source.owner_path)
    pulls = pull_connector(source.connector)
    before = _audited(source)
    if name is not None:
        source.name = name.strip()
    if config is not None:
        cleaned = source_config_clean(pulls, config)
        if cleaned != source.config:
            source.config = cleaned
            source.state = {}  # ETags, cursors and tokens belong to the old settings
    if interval_minutes is not None:
        _check_interval(interval_minutes)
        source.interval_minutes = interval_minutes
    secret = secret.strip()
    _check_secret(pulls, secret, required=False)
    new_secret = bool(secret) and secret != source.secret
    if new_secret:
        source.secret = secret
        source.state = {}  # a cached access token was issued for the old secret
    source.full_clean()
    _check_name(source)
    after = _audited(source)
    if after == before and not new_secret:
        return source
    with transaction.atomic():
        source.save()
        audit_record(
            actor=actor,
            verb="source.update",
            obj=source,
            before=before,
            after=after | ({"secret": SECRET_MASK} if new_secret else {}),
            unit_path=source.owner_path,
        )
    return source


def source_set_enabled(*, actor: Any, source: Source, enabled: bool) -> Source:
    """Stop or resume scheduled pulls; a resumed source is due at once."""
    _require(actor, source.owner_path)
    if source.enabled == enabled:
        return source
    before = {"enabled": source.enabled, "status": source.status}
    source.enabled = enabled
    if enabled:
        source.status = SourceState.ERROR if source.consecutive_failures else SourceState.OK
        source.next_pull_at = timezone.now()
    else:
        source.status = SourceState.DISABLED
    with transaction.atomic():
        source.save(update_fields=["enabled", "status", "next_pull_at", "updated_at"])
        audit_record(
            actor=actor,
            verb="source.enable" if enabled else "source.disable",
            obj=source,
            before=before,
            after={"enabled": source.enabled, "status": source.status},
            unit_path=source.owner_path,
        )
    return source


def source_pull_now(*, actor: Any, source: Source) -> "TaskResult[Any, Any]":
    """Queue a pull of this source now, whatever its schedule or backoff says."""
    _require(actor, source.owner_path)
    if not source.enabled:
        raise ValidationError(_("采集源已停用，请先启用。"))
    with transaction.atomic():
        # Claimed like a scheduled pull, so the next tick does not queue it a second time.
        Source.objects.filter(pk=source.pk).update(next_pull_at=timezone.now() + CLAIM_FOR)
        audit_record(actor=actor, verb="source.pull_now", obj=source, unit_path=source.owner_path)
    return source_pull_task.enqueue(source.pk)
