"""The bulletin's named lists (点名): dormant accounts and the other health lists, as plain data.

Dormant accounts (the single veto) are those that went 14 days without an update on any day of
the period, as the period's scores recorded it (so an account that has posted since is still
named for the period it was dormant in). The other lists come from the inspection health report
of the scope, taken on the day the bulletin is built: a bulletin names the problems that began
within or before its period and still hold that day, each with the day it began.
"""

from datetime import date
from typing import Any

from mediamatrix.core.tree import subtree_q
from mediamatrix.engines.indices import Period
from mediamatrix.indices.formulas import FORCES
from mediamatrix.indices.health import HealthEntry, HealthList, health_report_for_scope
from mediamatrix.indices.models import IndexScore
from mediamatrix.orgs.choices import Platform
from mediamatrix.orgs.models import Unit

DORMANT = "dormant"


def named_lists(scope: Unit, *, period: Period, today: date) -> list[dict[str, Any]]:
    report = health_report_for_scope(scope, today=today)
    lists = [_list(item, period.end) for item in report.lists]
    for item in lists:
        if item["key"] == DORMANT:
            item["entries"] = _dormant_in_period(scope, period, today)
    return lists


def _dormant_in_period(scope: Unit, period: Period, today: date) -> list[dict[str, Any]]:
    rows = (
        IndexScore.objects.filter(
            subtree_q("owner_path", [scope.path]),
            formula=FORCES,
            subject_kind="account",
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            terms__has_key="dormant_since",
        )
        .select_related("account__owner")
        .order_by("owner_path", "account__name")
    )
    entries = []
    for row in rows:
        account = row.account
        assert account is not None
        last = row.terms.get("dormant_last_update")
        idle_to = min(period.end, today)
        entries.append(
            {
                "account_id": account.pk,
                "name": account.name,
                "platform": _platform(account.platform),
                "owner": account.owner.name if account.owner else "",
                "since": row.terms["dormant_since"],
                "days": row.terms["dormant_days"],
                "last_update": last,
                "idle_days": (idle_to - date.fromisoformat(last)).days if last else None,
                "reason": "",
            }
        )
    return entries


def _platform(platform: str) -> str:
    return str(Platform(platform).label) if platform in Platform.values else platform


def _list(item: HealthList, period_end: date) -> dict[str, Any]:
    return {
        "key": item.key,
        "title": str(item.title),
        "single_veto": item.single_veto,
        "pending": item.pending,
        "message": str(item.message),
        "entries": [_entry(entry) for entry in item.entries if entry.since <= period_end],
    }


def _entry(entry: HealthEntry) -> dict[str, Any]:
    account = entry.account
    platform = account.platform
    return {
        "account_id": account.pk,
        "name": account.name,
        "platform": _platform(platform),
        "owner": entry.unit.name if entry.unit else "",
        "since": entry.since.isoformat(),
        "days": entry.days,
        "last_update": entry.last_update.isoformat() if entry.last_update else None,
        "idle_days": entry.idle_days,
        "reason": str(entry.reason),
    }
