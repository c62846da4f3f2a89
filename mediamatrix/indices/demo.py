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

    periods = demo_periods()
    for done, period in enumerate(periods):
        progress("指数", done, len(periods))
        scores_compute(period=period)
    progress("指数", len(periods), len(periods))
    return f"指数：已计算 {len(periods)} 个周期的排行（{'、'.join(p.label for p in periods)}）"
