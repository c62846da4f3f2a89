"""Background work of the notices: send new deliveries, and retry due ones every minute."""

from django.tasks import task

from mediamatrix.core.schedule import periodic


@task()
def deliveries_send_task(delivery_ids: list[int]) -> dict[str, int]:
    from mediamatrix.notices.services import deliveries_send

    return deliveries_send(delivery_ids)


@periodic("* * * * *")
@task()
def deliveries_retry_due_task() -> dict[str, int]:
    """Every minute: failed deliveries whose backoff has passed, and any a crashed sender left."""
    from mediamatrix.notices.services import deliveries_retry_due

    return deliveries_retry_due()
