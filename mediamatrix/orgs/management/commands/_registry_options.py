"""Options shared by the registry import/export commands."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from mediamatrix.orgs.registry_io import FORMATS


def add_as_option(parser: Any, help_text: str) -> None:
    parser.add_argument("--as", dest="username", metavar="USERNAME", help=help_text)


def add_import_options(parser: Any) -> None:
    """The file, mode, dry-run, --as and progress options every import command takes."""
    parser.add_argument("file", help=".xlsx 或 .csv 文件")
    parser.add_argument(
        "--valid-rows",
        action="store_true",
        help="只导入正确的行并报告其余行（默认：有任何错误则全部不导入）",
    )
    parser.add_argument("--dry-run", action="store_true", help="试运行：完整检查并报告，不写入数据")
    add_as_option(parser, "以该用户的身份和权限导入（默认以系统身份导入，不受单位范围限制）")
    parser.add_argument("--no-progress", action="store_true", help="不显示进度条")


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
