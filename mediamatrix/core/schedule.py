"""Periodic jobs: a registry that apps add tasks to, fired by APScheduler inside each worker.

Every worker runs the same schedule; a firing is claimed by inserting a `ScheduledFiring` row
with a unique (job, time) key, so however many workers run, each firing enqueues its task once.
"""

import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    cron: str
    task: Any  # a django.tasks Task


_registry: dict[str, PeriodicJob] = {}


def periodic[T](cron: str) -> Callable[[T], T]:
    """Register a django.tasks Task to be enqueued on a crontab schedule (server time zone)."""

    def decorator(task: T) -> T:
        CronTrigger.from_crontab(cron)  # fail at import time on a bad expression
        name = task.name  # type: ignore[attr-defined]
        _registry[name] = PeriodicJob(name=name, cron=cron, task=task)
        return task

    return decorator


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_registry.values(), key=lambda job: job.name)


def fire(job: PeriodicJob, fire_at: datetime, worker: str) -> bool:
    """Claim this firing and enqueue the task; False if another worker claimed it first."""
    from mediamatrix.core.models import ScheduledFiring

    try:
        with transaction.atomic():
            ScheduledFiring.objects.create(job=job.name, fire_at=fire_at, claimed_by=worker)
            job.task.enqueue()
    except IntegrityError:
        return False
    logger.info("periodic job %s fired for %s", job.name, fire_at.isoformat())
    return True


def _fire_now(job: PeriodicJob, worker: str) -> None:
    # APScheduler runs us at the trigger time; round to the minute so every worker uses one key.
    fire_at = timezone.now().replace(second=0, microsecond=0)
    fire(job, fire_at, worker)


def start_scheduler(worker: str | None = None) -> BackgroundScheduler:
    worker = worker or socket.gethostname()
    scheduler = BackgroundScheduler(timezone=timezone.get_default_timezone())
    for job in periodic_jobs():
        scheduler.add_job(
            _fire_now,
            CronTrigger.from_crontab(job.cron, timezone=timezone.get_default_timezone()),
            args=(job, worker),
            id=job.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=60,
        )
    scheduler.start()
    return scheduler
