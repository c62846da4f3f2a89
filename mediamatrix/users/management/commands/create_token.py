"""Create an API token for a user's machine client; the secret is printed once."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mediamatrix.users.models import User
from mediamatrix.users.services import api_token_create


class Command(BaseCommand):
    help = (
        "为接口客户端创建令牌。令牌的权限范围与用户相同；密钥只在这里显示一次，"
        "单独一行输出到标准输出，便于脚本读取。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username", help="令牌所属用户")
        parser.add_argument("--name", required=True, help="令牌名称，例如使用它的系统")
        parser.add_argument("--days", type=int, default=None, help="有效天数；不填则长期有效")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days 至少为 1。")
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的用户 {options['username']}。")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        token, secret = api_token_create(
            actor=None, user=user, name=options["name"], expires_at=expires_at
        )
        self.stdout.write(secret)
        until = f"{expires_at:%Y-%m-%d %H:%M}" if expires_at else "长期有效"
        self.stderr.write(
            f"已为 {user.username} 创建令牌 {token.prefix}…（{until}）。密钥只显示这一次，请妥善保存。"
        )
