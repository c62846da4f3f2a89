"""Background work of the indices: scheduled scores and bulletins, and on-demand computations."""

from django.tasks import task
from django.utils import timezone

from mediamatrix.core.schedule import periodic


@task()
def scores_compute_task(run_id: int) -> str:
    from mediamatrix.indices.models import ScoreRun
    from mediamatrix.indices.services import scores_compute

    run = ScoreRun.objects.select_related("actor").filter(pk=run_id).first()
    if run is None or run.status == "done":
        return "skipped"
    return scores_compute(period=run.period, actor=run.actor, run=run).status


@periodic("20 2 * * *")
@task()
def scores_daily_task() -> list[str]:
    """Each night: yesterday's day list, and every period that ended yesterday or is running."""
    from mediamatrix.engines.indices import containing, last_complete
    from mediamatrix.indices.services import scores_compute

    today = timezone.localdate()
    done = []
    periods = {last_complete("day", today)}
    for kind in ("week", "month", "quarter", "year"):
        periods.add(containing(kind, today))  # the running period, to date
        ended = last_complete(kind, today)
        if ended.end == last_complete("day", today).end:
            periods.add(ended)
    for period in sorted(periods):
        scores_compute(period=period)
        done.append(period.key)
    return done


@task()
def bulletin_build_task(bulletin_id: int) -> str:
    from mediamatrix.indices.models import Bulletin
    from mediamatrix.indices.services import bulletin_build

    bulletin = Bulletin.objects.select_related("scope").filter(pk=bulletin_id).first()
    if bulletin is None:
        return "skipped"
    return bulletin_build(bulletin).status


@periodic("0 6 1 * *")
@task()
def bulletins_monthly_task() -> list[int]:
    """On the 1st: each city's bulletin of the month that just ended."""
    from mediamatrix.indices.services import bulletins_scheduled

    return [bulletin.pk for bulletin in bulletins_scheduled(kind="month")]


@periodic("30 6 * * 0")
@task()
def bulletins_weekly_task() -> list[int]:
    """On Sunday morning: each city's bulletin of the week (Sunday–Saturday) that just ended."""
    from mediamatrix.indices.services import bulletins_scheduled

    return [bulletin.pk for bulletin in bulletins_scheduled(kind="week")]
