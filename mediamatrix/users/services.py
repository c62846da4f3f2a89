"""Writes for users and their API tokens."""

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from mediamatrix.core.audit import audit_record
from mediamatrix.users.models import ApiToken, User

TOKEN_PREFIX_LENGTH = 8


def hash_token_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    display_name: str = "",
    email: str = "",
    is_superuser: bool = False,
) -> User:
    with transaction.atomic():
        user = User(
            username=username,
            display_name=display_name,
            email=email,
            is_superuser=is_superuser,
            is_staff=is_superuser,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        audit_record(
            actor=actor,
            verb="user.create",
            obj=user,
            after={"username": username, "is_superuser": is_superuser},
        )
    return user


def api_token_create(
    *, actor: Any, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Returns the token and its full secret, which is never stored and cannot be shown again."""
    prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
    secret = f"mm_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            key_hash=hash_token_secret(secret),
            expires_at=expires_at,
        )
        audit_record(actor=actor, verb="api_token.create", obj=token, after={"name": name})
    return token, secret


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, verb="api_token.revoke", obj=token)
    return token


def api_token_authenticate(secret: str) -> User | None:
    """The active user a presented secret belongs to, or None."""
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != "mm":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    if not secrets.compare_digest(token.key_hash, hash_token_secret(secret)):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
