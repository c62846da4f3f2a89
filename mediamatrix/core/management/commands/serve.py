"""Serve the web platform with gunicorn (several processes; PORT and WEB_CONCURRENCY apply)."""

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand


def serve_argv(host: str, port: str, workers: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        workers,
        "--access-logfile",
        "-",
        "--timeout",
        "120",
    ]


class Command(BaseCommand):
    help = "启动网站（默认 http://127.0.0.1:8000，可用 HOST、PORT、WEB_CONCURRENCY 配置）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", "2"))

    def handle(self, *args: Any, **options: Any) -> None:
        argv = serve_argv(options["host"], str(options["port"]), str(options["workers"]))
        os.execv(argv[0], argv)
