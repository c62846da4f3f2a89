"""Housekeeping jobs of the platform itself."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from mediamatrix.core.schedule import periodic


@periodic("17 3 * * *")
@task()
def prune_scheduled_firings_task() -> int:
    """Firing claims are only needed until every worker has passed that minute."""
    from mediamatrix.core.models import ScheduledFiring

    cutoff = timezone.now() - timedelta(days=7)
    deleted, _ = ScheduledFiring.objects.filter(fire_at__lt=cutoff).delete()
    return deleted
