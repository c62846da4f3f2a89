from django.tasks import task


@task()
def record_ping(label: str = "ping") -> str:
    from mediamatrix.core.models import ScheduledFiring

    return f"{label}:{ScheduledFiring.objects.count()}"
