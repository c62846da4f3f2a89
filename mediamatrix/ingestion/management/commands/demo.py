"""One command to see the platform: database, demo city and its posts, web server and worker."""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from mediamatrix.core.demo import run_demo_steps
from mediamatrix.core.models import AuditEvent
from mediamatrix.ingestion.demo import generate_demo_posts, window_end
from mediamatrix.ingestion.models import Post
from mediamatrix.orgs.demo import DEMO_PASSWORD, demo_logins
from mediamatrix.orgs.models import Unit


class Command(BaseCommand):
    help = (
        "演示：迁移数据库、生成演示城市及其近 90 天的稿件（若尚未生成），"
        "并同时启动网站和后台任务进程。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
        parser.add_argument("--no-posts", action="store_true", help="不生成稿件")
        parser.add_argument("--days", type=int, default=90, help="生成多少天的稿件（默认 90）")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not Unit.objects.exists():
            call_command("generate_demo", days=options["days"], no_posts=options["no_posts"])
        else:
            self.stdout.write("演示数据已存在，跳过生成。")
            if not options["no_posts"] and self._demo_without_posts():
                # A demo database from before the posts existed: add them.
                posts = generate_demo_posts(days=options["days"], end=window_end())
                self.stdout.write(posts.describe())
                for line in run_demo_steps(lambda *_: None):
                    self.stdout.write(line)
        self._print_welcome(options["host"], options["port"])
        if options["no_serve"]:
            return
        self._run(options["host"], str(options["port"]))

    def _demo_without_posts(self) -> bool:
        """Only a registry the demo generated gets demo posts, never a real one."""
        generated = AuditEvent.objects.filter(verb="demo.generate").exists()
        return generated and not Post.objects.exists()

    def _print_welcome(self, host: str, port: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"\n平台地址 address: http://{host}:{port}/"))
        self.stdout.write(f"演示账号 demo logins (密码 password: {DEMO_PASSWORD}):")
        for username, description in demo_logins():
            self.stdout.write(f"  {username:<22} {description}")
        self.stdout.write("按 Ctrl+C 停止 (stop).\n")

    def _run(self, host: str, port: str) -> None:
        cli = [sys.executable, "-m", "mediamatrix.cli"]
        worker = subprocess.Popen([*cli, "worker"])
        web = subprocess.Popen([*cli, "serve", "--host", host, "--port", port])
        children = [web, worker]
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [c.args for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            raise SystemExit(1)
