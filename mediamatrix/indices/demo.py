"""The demo city's rankings: recent periods computed, so the pages open with numbers."""

from django.utils import timezone

from mediamatrix.core.demo import Progress, demo_step
from mediamatrix.engines.indices import Period, containing, last_complete


def demo_periods() -> list[Period]:
    """Yesterday, the last complete week and month, the ones before them (环比), and the month so far."""
    today = timezone.localdate()
    periods: set[Period] = {containing("month", today)}
    for kind in ("day", "week", "month"):
        ended = last_complete(kind, today)
        periods.update({ended, ended.previous()})
    return sorted(periods)


@demo_step(order=30, name="indices")
def compute_demo_scores(progress: Progress) -> str:
    from mediamatrix.indices.services import scores_compute
    from mediamatrix.indices.settled import settled_refresh

    settled_refresh()  # the generator wrote its snapshots in bulk, past ingestion's service
    periods = demo_periods()
    for done, period in enumerate(periods):
        progress("指数", done, len(periods))
        scores_compute(period=period)
    progress("指数", len(periods), len(periods))
    bulletins = _demo_bulletins()
    return (
        f"指数：已计算 {len(periods)} 个周期的排行（{'、'.join(p.label for p in periods)}）；"
        f"通报 {bulletins} 份"
    )


def _demo_bulletins() -> int:
    """Last month's bulletin for each city, built at once so the archive opens with one."""
    from mediamatrix.indices.models import Bulletin
    from mediamatrix.indices.services.bulletins import bulletin_build, bulletin_generate
    from mediamatrix.orgs.choices import UnitKind, UnitLevel
    from mediamatrix.orgs.models import Unit

    period = last_complete("month", timezone.localdate())
    made = 0
    for city in Unit.objects.filter(level=UnitLevel.CITY, kind=UnitKind.CITY):
        bulletin = bulletin_generate(actor=None, scope=city, period=period)
        # The worker is not running yet during generation: build it here.
        bulletin_build(Bulletin.objects.get(pk=bulletin.pk))
        made += 1
    return made
