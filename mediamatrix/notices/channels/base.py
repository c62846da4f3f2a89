"""The channel registry and what every channel shares: the error type and the message text.

A channel is a class registered under a name with `@register_channel("name")`. Its `send(notice,
config)` delivers one notice to one ChannelConfig and raises `ChannelError` with a message a
person can act on (the platform's own message where there is one). The inbox is not a channel:
every notice is in the inbox of its unit.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext


class ChannelError(Exception):
    """A delivery failed; the message is stored on the delivery and shown to the unit's admins."""


class Channel:
    name: ClassVar[str] = ""
    label: ClassVar[str | Promise] = ""
    target_label: ClassVar[str | Promise] = ""
    target_help: ClassVar[str | Promise] = ""
    uses_secret: ClassVar[bool] = False

    def clean_target(self, target: str) -> str:
        """The target as stored; raise ValidationError when it cannot work."""
        raise NotImplementedError

    def send(self, notice: Any, config: Any) -> None:
        raise NotImplementedError


_registry: dict[str, Channel] = {}


def register_channel(name: str) -> Callable[[type[Channel]], type[Channel]]:
    def decorator(cls: type[Channel]) -> type[Channel]:
        if name in _registry and type(_registry[name]) is not cls:
            raise ValueError(f"channel {name!r} is registered twice")
        cls.name = name
        _registry[name] = cls()
        return cls

    return decorator


def unregister_channel(name: str) -> None:
    _registry.pop(name, None)


def get_channel(name: str) -> Channel:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"no notice channel named {name!r}") from None


def all_channels() -> list[Channel]:
    return [_registry[name] for name in sorted(_registry)]


def channel_label(name: str) -> str:
    channel = _registry.get(name)
    return str(channel.label) if channel else name


# The text every channel sends -----------------------------------------------------------------


def absolute_url(link: str) -> str:
    """A site-relative link made absolute on MEDIAMATRIX_SITE_URL; absolute links unchanged."""
    if "://" in link:
        return link
    return settings.MEDIAMATRIX_SITE_URL.rstrip("/") + "/" + link.lstrip("/")


def notice_url(notice: Any) -> str:
    """Where a reader goes from a message: the notice's link, else the notice in the inbox."""
    if notice.link:
        return absolute_url(notice.link)
    if notice.pk is not None:
        return absolute_url(notice.get_absolute_url())
    return absolute_url(reverse("notices:inbox"))


def plain_text(notice: Any) -> str:
    """Subject, body and link as plain text (email, Feishu text messages)."""
    parts = [notice.subject]
    if notice.body:
        parts.append(notice.body)
    parts.append(gettext("查看详情：") + notice_url(notice))
    return "\n\n".join(parts)
