"""Notification channels: the registry and the built-in channels (email and three chat bots).

An add-on channel is a module that defines a `Channel` subclass decorated with
`@register_channel("name")`; importing it registers it, like the built-ins below.
"""

import importlib

from mediamatrix.notices.channels.base import (
    Channel,
    ChannelError,
    absolute_url,
    all_channels,
    channel_label,
    get_channel,
    notice_url,
    plain_text,
    register_channel,
    unregister_channel,
)

BUILTIN = (
    "mediamatrix.notices.channels.email",
    "mediamatrix.notices.channels.webhooks",
)


def load_builtin() -> None:
    for module in BUILTIN:
        importlib.import_module(module)


__all__ = [
    "BUILTIN",
    "Channel",
    "ChannelError",
    "absolute_url",
    "all_channels",
    "channel_label",
    "get_channel",
    "load_builtin",
    "notice_url",
    "plain_text",
    "register_channel",
    "unregister_channel",
]
