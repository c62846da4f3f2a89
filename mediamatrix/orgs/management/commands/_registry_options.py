"""Options shared by the registry import/export commands."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from mediamatrix.orgs.registry_io import FORMATS


def add_as_option(parser: Any, help_text: str) -> None:
    parser.add_argument("--as", dest="username", metavar="USERNAME", help=help_text)


def actor_for(username: str | None) -> Any:
    """The user named by --as, or None (the system) when it was not given."""
    if not username:
        return None
    from mediamatrix.users.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有启用的用户 {username}。")
    return user


def output_format(fmt: str | None, output: str | None) -> str:
    """--format if given, else the output file's extension, else xlsx."""
    if fmt:
        return fmt
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "xlsx"
