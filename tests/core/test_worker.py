"""Background work: the database queue, the worker command and periodic jobs firing once."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from mediamatrix.core.schedule import PeriodicJob, fire
from tests.core.tasks_for_tests import record_ping

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_worker_runs_queued_tasks():
    result = record_ping.enqueue("hello")
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    call_command("worker", "--batch", "--interval", "0.1", verbosity=0)
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == "SUCCESSFUL" and stored.return_value == "hello:0"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_periodic_firing_is_claimed_once_across_workers():
    job = PeriodicJob(name="tests.ping", cron="*/5 * * * *", task=record_ping)
    at = datetime(2026, 11, 23, 9, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert fire(job, at, "worker-a") is True
    assert fire(job, at, "worker-b") is False
    assert fire(job, at.replace(minute=10), "worker-b") is True
    assert DBTaskResult.objects.count() == 2


def test_housekeeping_job_is_registered():
    from mediamatrix.core.management.commands.worker import load_task_modules
    from mediamatrix.core.schedule import periodic_jobs

    load_task_modules()
    names = [job.name for job in periodic_jobs()]
    assert any(name.endswith("prune_scheduled_firings_task") for name in names)
