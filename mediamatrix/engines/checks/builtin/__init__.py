"""The built-in checks; each module registers its checks when imported here."""

from . import clickbait, originality, rumour, source, typos, vulgar  # noqa: F401
