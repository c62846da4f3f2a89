"""Create a superuser who administers every unit (the city office's administrator)."""

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mediamatrix.users.models import User
from mediamatrix.users.services import user_create


class Command(BaseCommand):
    help = "创建系统管理员（可管理全部单位）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--password", help="不提供时交互输入")
        parser.add_argument("--name", default="", help="姓名")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户 {username} 已存在。")
        password = options["password"] or getpass.getpass("密码 password: ")
        if len(password) < 8:
            raise CommandError("密码至少 8 位。")
        user_create(
            actor=None,
            username=username,
            password=password,
            display_name=options["name"],
            is_superuser=True,
        )
        self.stdout.write(self.style.SUCCESS(f"已创建管理员 {username}。"))
