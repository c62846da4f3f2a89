"""Rankings pages: a board of one period and scope with charts and an .xlsx export, computing a
period that has no scores yet, and one score's drill-down down to the posts behind it.

Thin: parse the request, call selectors (and the score-run service), render. Everyone signed in
reads the rankings of their own scope; starting a computation needs Action.IMPORT somewhere
(those who bring data in may turn it into scores): 403 otherwise.
"""

import io
from typing import Any
from urllib.parse import urlencode

import openpyxl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mediamatrix.engines.indices import Period, PeriodError, last_complete, parse_period
from mediamatrix.indices.choices import BulletinStatus, SubjectKind
from mediamatrix.indices.forms import PICKERS, RankingForm, period_fields
from mediamatrix.indices.formulas import FORCES
from mediamatrix.indices.models import IndexScore, ScoreRun
from mediamatrix.indices.selectors import (
    BOARD_FORCES,
    BOARD_PLATFORM,
    BOARD_UNIT_COMPOSITE,
    BOARD_UNIT_FORCES,
    DEFAULT_PLATFORM,
    DEFAULT_UNIT_LEVEL,
    KIND_ALL,
    Ranking,
    period_has_scores,
    ranking,
    ranking_periods,
    score_breakdown,
    score_get,
    score_posts,
    score_run_active,
    score_run_get,
    score_trend,
)
from mediamatrix.indices.services import score_run_create
from mediamatrix.indices.tasks import scores_compute_task
from mediamatrix.orgs.access import Action, scope_roots
from mediamatrix.orgs.models import Unit
from mediamatrix.orgs.selectors import unit_get, unit_list

PERIOD_KEYS = {"kind", *(name for names in PICKERS.values() for name in names)}
TOP_CHART = 20
HISTOGRAM_BINS = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_compute(user: Any) -> bool:
    return scope_roots(user, Action.IMPORT) != []


def _params(request: HttpRequest, units: list[Unit], today: Any) -> dict[str, Any]:
    """The query with defaults: last complete month, the WeChat board, the user's top unit."""
    params: dict[str, Any] = request.GET.dict()
    if not params.get("kind"):
        try:
            period = parse_period(params.get("p", ""))
        except PeriodError:
            period = last_complete("month", today)
        params.update(period_fields(period))
    params.setdefault("board", BOARD_PLATFORM)
    # Show what the board uses when left open: WeChat for the platform board, counties for units.
    if params["board"] == BOARD_PLATFORM and not params.get("platform"):
        params["platform"] = DEFAULT_PLATFORM
    if params["board"] in (BOARD_UNIT_COMPOSITE, BOARD_UNIT_FORCES) and not params.get("level"):
        params["level"] = str(DEFAULT_UNIT_LEVEL)
    if "scope" not in params:
        top = [u for u in units if len(u.path) == min(len(v.path) for v in units)]
        params["scope"] = str(top[0].pk) if len(top) == 1 else ""
    return params


def _query(data: Any, **overrides: Any) -> str:
    """The filters as a query string, without the period unless `overrides` name one."""
    keep = {
        k: v
        for k, v in data.items()
        if k not in PERIOD_KEYS and k not in ("p", "run", "format", "page") and v
    }
    return urlencode({**keep, **{k: v for k, v in overrides.items() if v}})


@login_required
@require_GET
def rankings_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    units = list(unit_list(request.user).filter(level__lte=3).order_by("path"))
    form = RankingForm(_params(request, units, today), units=units, today=today)
    context: dict[str, Any] = {"form": form, "may_compute": _may_compute(request.user)}
    if not form.is_valid():
        return render(request, "indices/rankings.html", context)
    data = form.cleaned_data
    period: Period = data["period"]
    form.show_period(period)
    board = ranking(
        request.user,
        period=period,
        board=data["board"],
        scope=unit_get(request.user, data["scope"]) if data["scope"] else None,
        platform=data["platform"] or None,
        category=data["category"] or None,
        level=data["level"],
        kind=KIND_ALL if data["departments"] else None,
    )
    if request.GET.get("format") == "xlsx":
        return _xlsx_response(board, form.fields["scope"], data["scope"])
    filters = _query(form.data)
    run = _run_shown(request, period)
    context.update(
        {
            "ranking": board,
            "period": period,
            "has_scores": period_has_scores(period),
            "run": run,
            "chart": _chart_data(board) if board.rows else None,
            "stored": [(p, _query(form.data, **period_fields(p))) for p in ranking_periods()[:12]],
            "query": _query(form.data, **period_fields(period)),
            "filters": filters,
            "is_units": board.subject_kind == SubjectKind.UNIT,
            "is_forces": board.board == BOARD_FORCES,
        }
    )
    return render(request, "indices/rankings.html", context)


def _run_shown(request: HttpRequest, period: Period) -> ScoreRun | None:
    """The run the page follows: the one just started (?run=), else any running for the period."""
    run_id = request.GET.get("run", "")
    if run_id.isdigit():
        run = ScoreRun.objects.filter(pk=run_id).first()
        if run is not None and run.period == period:
            return run
    return score_run_active(period)


def _chart_data(board: Ranking) -> dict[str, Any]:
    top = board.rows[:TOP_CHART]
    return {
        "names": [row.name for row in top],
        "values": [round(row.value, 2) for row in top],
        "histogram": _histogram([row.value for row in board.rows]),
        "labels": {
            "value": _("指数值"),
            "count": _("数量"),
            "top": _("前 %(n)d 名") % {"n": len(top)},
        },
    }


def _histogram(values: list[float]) -> dict[str, list[Any]]:
    low, high = min(values), max(values)
    bins = HISTOGRAM_BINS if high > low else 1
    width = (high - low) / bins or 1.0
    counts = [0] * bins
    for value in values:
        counts[min(int((value - low) / width), bins - 1)] += 1
    edges = [low + width * i for i in range(bins + 1)]
    labels = [f"{edges[i]:.1f}–{edges[i + 1]:.1f}" for i in range(bins)]
    return {"labels": labels, "counts": counts}


# Computing a period --------------------------------------------------------------------------


@login_required
@require_POST
def rankings_compute_view(request: HttpRequest) -> HttpResponse:
    """Queue the period's scores, and the previous period's when it has none (for 环比)."""
    if not _may_compute(request.user):
        raise PermissionDenied
    try:
        period = parse_period(request.POST.get("p", ""))
    except PeriodError:
        raise Http404 from None
    query = QueryDict(request.POST.get("query", ""), mutable=True)
    if period.start > timezone.localdate():
        messages.error(request, _("该周期尚未开始，无法计算。"))
    elif period_has_scores(period):
        messages.info(request, _("本期指数已经计算。"))
    else:
        run = _queue(request.user, period)
        if not period_has_scores(period.previous()):
            _queue(request.user, period.previous())
        query["run"] = str(run.pk)
    return redirect(f"{reverse('indices:rankings')}?{query.urlencode()}")


def _queue(user: Any, period: Period) -> ScoreRun:
    active = score_run_active(period)
    if active is not None:
        return active  # somebody asked already: follow that run
    run = score_run_create(period=period, actor=user)
    scores_compute_task.enqueue(run.pk)
    run.refresh_from_db()
    return run


@login_required
@require_GET
def score_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's status; htmx polls it and reloads the page once the run has finished."""
    run = score_run_get(pk)
    response = render(request, "indices/_score_run.html", {"run": run})
    finished = run.status in (BulletinStatus.DONE, BulletinStatus.FAILED)
    if finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


# One score -----------------------------------------------------------------------------------


def _board_query(score: IndexScore) -> str:
    """The ranking this score appears in, as a query string."""
    fields: dict[str, Any] = period_fields(score.period)
    if score.subject_kind == SubjectKind.UNIT:
        board = BOARD_UNIT_FORCES if score.formula == FORCES else BOARD_UNIT_COMPOSITE
        fields.update(board=board, level=score.level)
    elif score.formula == FORCES:
        fields.update(board=BOARD_FORCES)
    else:
        fields.update(board=BOARD_PLATFORM, platform=score.platform)
    return urlencode({k: v for k, v in fields.items() if v is not None})


@login_required
@require_GET
def score_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    score = score_get(request.user, pk)
    trend = score_trend(score)
    context = {
        "score": score,
        "breakdown": score_breakdown(score),
        "posts": score_posts(request.user, score, page=request.GET.get("page")),
        "trend": {
            "labels": [point.label for point in trend],
            "values": [round(point.value, 2) for point in trend],
            "urls": [reverse("indices:score-detail", args=[point.pk]) for point in trend],
            "current": score.pk,
            "ids": [point.pk for point in trend],
        },
        "board_query": _board_query(score),
    }
    return render(request, "indices/score_detail.html", context)


# Export --------------------------------------------------------------------------------------


def _as_text(sheet: Any) -> None:
    """Text starting with "=" would become a formula in openpyxl: keep names plain text."""
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def _xlsx_response(board: Ranking, scope_field: Any, scope_id: int | None) -> HttpResponse:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("排行")
    is_units = board.subject_kind == SubjectKind.UNIT
    sheet.append(
        [
            _("排名"),
            _("名称"),
            _("上级单位") if is_units else _("主办单位"),
            _("平台"),
            _("指数值"),
            _("稿件数"),
            *(column.label for column in board.columns),
            _("环比"),
            _("上期排名"),
            _("同比"),
            _("去年同期排名"),
        ]
    )
    for row in board.rows:
        account = row.score.account
        sheet.append(
            [
                row.rank,
                row.name,
                row.owner_name,
                account.get_platform_display() if account else "",
                round(row.value, 2),
                row.post_count,
                *row.key_values,
                row.mom.ratio,
                row.mom.previous_rank,
                row.yoy.ratio,
                row.yoy.previous_rank,
            ]
        )
    width = 6 + len(board.columns)
    for cells in sheet.iter_rows(min_row=2):
        cells[4].number_format = "0.00"
        cells[width].number_format = cells[width + 2].number_format = "0.0%"
    scopes = dict(scope_field.choices)
    about = workbook.create_sheet(_("说明"))
    for label, value in (
        (_("榜单"), board.title),
        (_("周期"), board.period.label),
        (_("范围"), str(scopes.get(scope_id, _("全部可见范围"))).strip()),
        (_("环比对照"), board.previous.label),
        (_("同比对照"), board.year_ago.label),
        (_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ):
        about.append([label, value])
    _as_text(sheet)
    _as_text(about)
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    filename = f"{_('指数排行')}-{board.period.key.replace(':', '-')}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
