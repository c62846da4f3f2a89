"""Run a background worker: the task queue plus this worker's copy of the periodic schedule."""

import importlib
import os
import socket
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule

from mediamatrix.core.schedule import periodic_jobs, start_scheduler


def load_task_modules() -> None:
    """Import every app's tasks module so its periodic jobs register themselves."""
    for config in apps.get_app_configs():
        if config.name.startswith("mediamatrix.") and module_has_submodule(config.module, "tasks"):
            importlib.import_module(f"{config.name}.tasks")


class Command(BaseCommand):
    help = "启动后台任务进程：执行队列中的任务，并按计划触发定时任务（多进程时每次只触发一次）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-schedule", action="store_true", help="不触发定时任务")
        parser.add_argument("--batch", action="store_true", help="处理完队列即退出")
        parser.add_argument("--interval", type=float, default=1.0, help="空闲时轮询间隔（秒）")

    def handle(self, *args: Any, **options: Any) -> None:
        load_task_modules()
        worker_name = f"{socket.gethostname()}:{os.getpid()}"[-64:]
        scheduler = None
        if not options["no_schedule"] and not options["batch"]:
            scheduler = start_scheduler(worker_name)
            names = ", ".join(job.name.rsplit(".", 1)[-1] for job in periodic_jobs())
            self.stdout.write(f"定时任务 periodic jobs: {names or '-'}")
        try:
            worker_args = ["--interval", str(options["interval"]), "--worker-id", worker_name]
            if options["batch"]:
                worker_args.append("--batch")
            call_command("db_worker", *worker_args)
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
