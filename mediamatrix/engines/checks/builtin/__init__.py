"""The built-in checks; each module registers its checks when imported here."""

from . import clickbait, vulgar  # noqa: F401
from . import rumour  # noqa: F401
from . import originality, source  # noqa: F401
from . import typos  # noqa: F401
