"""Decision pages: what the affected unit sees and answers (reply, corrected, removed, appeal),
the appeal decision by another reviewer, the list of decisions with its JSON/CSV export, and
the rules page with each rule's measured precision.

Answering needs Action.RESPOND at the post's unit, deciding an appeal Action.REVIEW; a unit that
only sees the decision reads it.
"""

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mediamatrix.engines.checks import checks
from mediamatrix.orgs.access import Action, can
from mediamatrix.review import selectors
from mediamatrix.review.choices import DecisionKind
from mediamatrix.review.forms import (
    CATEGORY_LABELS,
    AppealDecisionForm,
    AppealForm,
    DecisionFilterForm,
    ResponseForm,
)
from mediamatrix.review.grounds import BY_CODE
from mediamatrix.review.models import Decision
from mediamatrix.review.selectors import DecisionFilters
from mediamatrix.review.services.decisions import appeal_decide, appeal_file, response_submit
from mediamatrix.review.statements import EXPORT_COLUMNS
from mediamatrix.review.views import add_service_errors, query_without_page, scope_from, unit_picker

PAGE_SIZE = 50


@login_required
@require_GET
def decision_view(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(request.user, pk)
    return _decision_page(request, decision)


def _decision_page(
    request: HttpRequest, decision: Decision, *, forms: dict[str, Any] | None = None
) -> HttpResponse:
    user = request.user
    appeal = selectors.decision_appeal(decision)
    outcome = selectors.appeal_outcome(appeal) if appeal else None
    may_respond = can(user, decision.owner_path, Action.RESPOND)
    may_review = can(user, decision.owner_path, Action.REVIEW)
    appealable = decision.kind != DecisionKind.DISMISS and decision.appeal_id is None
    pending_appeal = appeal is not None and outcome is None
    context = {
        "decision": decision,
        "post": decision.post,
        "ground": BY_CODE.get(decision.local_ground),
        "statement_json": json.dumps(decision.statement, ensure_ascii=False, indent=2),
        "cited": list(decision.cited.order_by("field", "start", "pk")),
        "responses": selectors.decision_responses(decision),
        "appeal": appeal,
        "outcome": outcome,
        "answered": decision.appeal.decision if decision.appeal is not None else None,
        "category_labels": CATEGORY_LABELS,
        "may_respond": may_respond and decision.kind != DecisionKind.DISMISS,
        "may_appeal": may_respond and appealable and appeal is None,
        "may_review": may_review,
        "may_decide_appeal": may_review and pending_appeal,
        "is_decider": decision.actor_id == user.pk,
        "response_form": ResponseForm(),
        "appeal_form": AppealForm(),
        "appeal_decision_form": AppealDecisionForm(),
    }
    context.update(forms or {})
    shown = {
        "response_form": context["may_respond"],
        "appeal_form": context["may_appeal"],
        "appeal_decision_form": context["may_decide_appeal"],
    }
    # A refused answer whose form is no longer offered (appealed twice …) still says why.
    context["hidden_errors"] = [
        error
        for name, form in (forms or {}).items()
        if not shown[name]
        for error in form.non_field_errors()
    ]
    return render(request, "review/decision.html", context, status=400 if forms else 200)


@login_required
@require_POST
def decision_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(request.user, pk, Action.RESPOND)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            response_submit(
                actor=request.user,
                decision=decision,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                link=form.cleaned_data["link"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("回复已提交。"))
            return redirect(decision)
    return _decision_page(request, decision, forms={"response_form": form})


@login_required
@require_POST
def decision_appeal_view(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(request.user, pk, Action.RESPOND)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            appeal_file(actor=request.user, decision=decision, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("申诉已提交，将由其他审核人复核。"))
            return redirect(decision)
    return _decision_page(request, decision, forms={"appeal_form": form})


@login_required
@require_POST
def appeal_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(request.user, pk, Action.REVIEW)
    appeal = selectors.decision_appeal(decision)
    form = AppealDecisionForm(request.POST)
    if appeal is None:
        form.add_error(None, _("该决定没有待处理的申诉。"))
    elif form.is_valid():
        try:
            outcome = appeal_decide(
                actor=request.user,
                appeal=appeal,
                outcome=form.cleaned_data["outcome"],
                explanation=form.cleaned_data["explanation"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("您无权处理该申诉。"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("申诉已处理：%(outcome)s。") % {"outcome": outcome.get_appeal_outcome_display()},
            )
            return redirect(outcome)
    return _decision_page(request, decision, forms={"appeal_decision_form": form})


# The list and its export ---------------------------------------------------------------------


@login_required
@require_GET
def decision_list_view(request: HttpRequest) -> HttpResponseBase:
    form = DecisionFilterForm(request.GET)
    scope = scope_from(request)
    filters = DecisionFilters(within=scope)
    if form.is_valid():
        since, until = form.time_window()
        filters = DecisionFilters(
            within=scope,
            since=since,
            until=until,
            kind=form.cleaned_data["kind"],
            ground=form.cleaned_data["ground"],
        )
    decisions = selectors.decision_list(request.user, filters).order_by("-decided_at", "-pk")
    export = request.GET.get("format", "")
    if export == "json":
        return _json_export(decisions)
    if export == "csv":
        return _csv_export(decisions)
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = query_without_page(request)
    return render(
        request,
        "review/decision_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "export_query": "&".join(p for p in (query, "format=") if p),
            "scope": scope,
            "scopes": unit_picker(request.user),
            "grounds": BY_CODE,
        },
    )


def _filename(suffix: str) -> str:
    return f"review-decisions-{timezone.localdate().isoformat()}.{suffix}"


def _statement(decision: Decision) -> dict[str, Any]:
    """The stored statement, with the decision's id and time in front (older rows may lack them)."""
    return {
        "decision_id": decision.pk,
        "decided_at": timezone.localtime(decision.decided_at).isoformat(),
        **decision.statement,
    }


def _json_export(decisions: Any) -> StreamingHttpResponse:
    def rows() -> Iterator[str]:
        yield "["
        for number, decision in enumerate(decisions.iterator(chunk_size=500)):
            yield ("," if number else "") + json.dumps(_statement(decision), ensure_ascii=False)
        yield "]"

    response = StreamingHttpResponse(rows(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename("json")
    )
    return response


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _csv_export(decisions: Any) -> StreamingHttpResponse:
    """UTF-8 with a byte-order mark, so that Excel reads the Chinese right."""

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_COLUMNS)
        yield "\ufeff" + buffer.getvalue()
        for decision in decisions.iterator(chunk_size=500):
            buffer.seek(0)
            buffer.truncate()
            statement = _statement(decision)
            writer.writerow([_csv_cell(statement.get(column)) for column in EXPORT_COLUMNS])
            yield buffer.getvalue()

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename("csv")
    )
    return response


# Rules ---------------------------------------------------------------------------------------


@login_required
@require_GET
def rules_view(request: HttpRequest) -> HttpResponse:
    outcomes = selectors.rule_outcomes(request.user)
    by_check: dict[str, list[selectors.RuleOutcome]] = {}
    for outcome in outcomes:
        by_check.setdefault(outcome.check_name, []).append(outcome)
    registered = checks()
    known = {check.name for check in registered}
    chart = [o for o in outcomes if o.precision is not None]
    return render(
        request,
        "review/rules.html",
        {
            "checks": [(check, by_check.get(check.name, [])) for check in registered],
            # Rules of checks no longer registered still have their history.
            "retired": [o for o in outcomes if o.check_name not in known],
            "category_labels": CATEGORY_LABELS,
            "outdated": selectors.outdated_post_count(request.user),
            "chart": {
                "rules": [o.rule for o in chart],
                "precision": [o.precision_percent for o in chart],
                "decided": [o.decided for o in chart],
                "labels": {"precision": _("精确率（%）"), "decided": _("已审核发现数")},
            },
        },
    )
