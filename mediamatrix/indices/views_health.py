"""The inspection-health page (巡查健康) and its .xlsx export. Thin: pick the scope, call the
selector, render the lists or write them one sheet each."""

import io
from datetime import date
from typing import Any

import openpyxl
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from mediamatrix.indices.health import SHOULD_CLOSE, HealthList, HealthReport, health_report
from mediamatrix.orgs.models import Unit
from mediamatrix.orgs.selectors import unit_get, unit_list, unit_roots

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PICKER_LEVELS = 3  # city, counties, townships; villages are reached through them


@login_required
@require_GET
def health_view(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    report = health_report(request.user, scope=scope)
    if request.GET.get("format") == "xlsx":
        return _xlsx_response(report)
    rate = report.dormant_rate
    return render(
        request,
        "indices/health.html",
        {
            "report": report,
            "scope": scope,
            "scopes": _picker(request.user),
            "chart": _chart_data(report),
            "dormant_percent": None if rate is None else round(rate * 100, 1),
            "export_query": f"unit={scope.pk}&format=xlsx" if scope else "format=xlsx",
        },
    )


def _scope(request: HttpRequest) -> Unit | None:
    """The unit asked for (404 when out of sight), else the user's one top unit."""
    raw = request.GET.get("unit", "")
    if raw.isdigit():
        return unit_get(request.user, int(raw))
    roots = list(unit_roots(request.user).order_by("path")[:2])
    return roots[0] if len(roots) == 1 else None


def _picker(user: Any) -> list[tuple[Unit, str]]:
    """Visible units down to townships (and the user's own top units, whatever their level),
    in tree order, indented below the user's top."""
    roots = unit_roots(user).values("pk")
    units = list(
        unit_list(user).filter(Q(level__lte=PICKER_LEVELS) | Q(pk__in=roots)).order_by("path")
    )
    top = min((u.depth for u in units), default=0)
    return [(unit, "\u3000" * (unit.depth - top) + unit.name) for unit in units]


def _chart_data(report: HealthReport) -> dict[str, Any]:
    rows = report.units
    return {
        "units": [
            _("%(name)s（本级）") % {"name": r.unit.display_name} if r.own else r.unit.display_name
            for r in rows
        ],
        "healthy": [r.accounts - r.dormant for r in rows],
        "dormant": [r.dormant - r.long_dormant for r in rows],
        "long_dormant": [r.long_dormant for r in rows],
        "duplicates": [r.duplicates for r in rows],
        "labels": {
            "healthy": _("正常更新"),
            "dormant": _("僵尸号"),
            "long_dormant": _("长期未更新"),
            "duplicates": _("一平台多账号"),
        },
    }


# Export ---------------------------------------------------------------------------------------


def _xlsx_response(report: HealthReport) -> HttpResponse:
    scope = report.scope.display_name if report.scope else _("全部")
    filename = _("巡查健康_%(scope)s_%(day)s.xlsx") % {
        "scope": scope,
        "day": report.today.isoformat(),
    }
    response = HttpResponse(health_workbook(report), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def health_workbook(report: HealthReport) -> bytes:
    """One sheet per named list; a list still waiting for its data says so in its sheet."""
    workbook = openpyxl.Workbook(write_only=True)
    for health_list in report.lists:
        sheet = workbook.create_sheet(_sheet_title(str(health_list.title)))
        headers = _headers(health_list)
        sheet.append([_bold(sheet, header) for header in headers])
        if health_list.pending:
            sheet.append([str(health_list.message)])
            continue
        for entry in health_list.entries:
            row: list[Any] = [
                entry.account.name,
                entry.account.get_platform_display(),
                entry.account.handle,
                entry.unit.name if entry.unit else "",
                entry.last_update or _("从未更新"),
                entry.idle_days,
                entry.since,
                entry.days,
            ]
            if health_list.key == SHOULD_CLOSE:
                row.append(str(entry.reason))
            sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _headers(health_list: HealthList) -> list[str]:
    headers = [
        _("账号"),
        _("平台"),
        _("平台账号"),
        _("主办单位"),
        _("最近更新"),
        _("未更新天数"),
        _("自何时起"),
        _("持续天数"),
    ]
    return [*headers, _("原因")] if health_list.key == SHOULD_CLOSE else headers


def _sheet_title(title: str) -> str:
    """Excel refuses []:*?/\\ in sheet names and anything over 31 characters."""
    return "".join(c for c in title if c not in "[]:*?/\\")[:31]


def _bold(sheet: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def _cell(sheet: Any, value: Any) -> Any:
    """Text starting with "=" would become a formula: keep it text. Dates get a date format."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value
