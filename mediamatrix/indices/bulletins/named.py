"""The bulletin's named lists (点名): dormant accounts and the other health lists, as plain data.

The lists come from the inspection health report of the scope, taken on the day the bulletin is
built (the report reads the registry as it stands). A bulletin names the problems that began
within or before its period and still hold that day, each with the day it began; one that began
after the period belongs to a later bulletin.
"""

from datetime import date
from typing import Any

from mediamatrix.indices.health import HealthEntry, HealthList, health_report_for_scope
from mediamatrix.orgs.choices import Platform
from mediamatrix.orgs.models import Unit


def named_lists(scope: Unit, *, period_end: date, today: date) -> list[dict[str, Any]]:
    report = health_report_for_scope(scope, today=today)
    return [_list(item, period_end) for item in report.lists]


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
        "platform": str(Platform(platform).label) if platform in Platform.values else platform,
        "owner": entry.unit.name if entry.unit else "",
        "since": entry.since.isoformat(),
        "days": entry.days,
        "last_update": entry.last_update.isoformat() if entry.last_update else None,
        "idle_days": entry.idle_days,
        "reason": str(entry.reason),
    }
