"""Review pages: the queue and one case (its post with the findings marked, evidence, the decision
form, assignment, checking again, the history). Thin: parse, call selectors and services, render.

Deciding, assigning and checking again need Action.REVIEW at the post's unit: a user who sees the
case without it gets 403, a user who does not see it 404.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from mediamatrix.orgs.access import Action, can, scope_roots
from mediamatrix.orgs.models import Unit
from mediamatrix.orgs.selectors import unit_get, unit_list, unit_roots
from mediamatrix.review import selectors
from mediamatrix.review.choices import ItemStatus
from mediamatrix.review.forms import (
    CATEGORY_LABELS,
    AssignForm,
    DecisionForm,
    QueueFilterForm,
)
from mediamatrix.review.grounds import SUGGESTED
from mediamatrix.review.highlight import Span, highlight
from mediamatrix.review.models import SEVERITY_RANK, CheckFinding, ReviewItem
from mediamatrix.review.selectors import QueueFilters
from mediamatrix.review.services.checking import post_text
from mediamatrix.review.services.decisions import decision_make, item_assign
from mediamatrix.review.tasks import posts_check_task

PAGE_SIZE = 50
PICKER_LEVELS = 3  # city, counties, townships; villages are reached through them


def unit_picker(user: Any) -> list[tuple[Unit, str]]:
    """Visible units down to townships (and the user's own top units), indented in tree order."""
    roots = unit_roots(user).values("pk")
    units = list(
        unit_list(user).filter(Q(level__lte=PICKER_LEVELS) | Q(pk__in=roots)).order_by("path")
    )
    top = min((u.depth for u in units), default=0)
    return [(unit, "\u3000" * (unit.depth - top) + unit.name) for unit in units]


def scope_from(request: HttpRequest) -> Unit | None:
    raw = request.GET.get("unit", "")
    return unit_get(request.user, int(raw)) if raw.isdigit() else None


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# The queue ------------------------------------------------------------------------------------


@login_required
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = ItemStatus.OPEN  # the queue opens on what waits for a decision
    form = QueueFilterForm(data)
    filters = QueueFilters(status=ItemStatus.OPEN)
    scope = scope_from(request)
    if form.is_valid():
        d = form.cleaned_data
        filters = QueueFilters(
            within=scope,
            check=d["check"],
            category=d["category"],
            severity=d["severity"],
            status=d["status"],
            assigned=d["assigned"],
        )
    page = Paginator(selectors.item_list(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = selectors.item_status_counts(request.user, filters)
    status_query = data.copy()
    status_query.pop("page", None)
    status_query.pop("status", None)
    return render(
        request,
        "review/queue.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "scope": scope,
            "scopes": unit_picker(request.user),
            "status_tabs": [
                (value, label, counts[value], value == filters.status)
                for value, label in ItemStatus.choices
            ],
            "all_count": sum(counts.values()),
            "status_current": filters.status,
            "status_query": status_query.urlencode(),
            "category_labels": CATEGORY_LABELS,
            "may_review": scope_roots(request.user, Action.REVIEW) != [],
        },
    )


@login_required
@require_POST
def assign_bulk_view(request: HttpRequest) -> HttpResponse:
    """'Assign to me' for the ticked cases; those the user may not review are skipped."""
    pks = [int(pk) for pk in request.POST.getlist("items") if pk.isdigit()]
    items = selectors.items_for_action(request.user, pks, Action.REVIEW)
    for item in items:
        item_assign(actor=request.user, item=item, reviewer=request.user)
    if items:
        messages.success(
            request,
            ngettext("已将 %(n)d 项分配给我。", "已将 %(n)d 项分配给我。", len(items))
            % {"n": len(items)},
        )
    skipped = len(pks) - len(items)
    if skipped:
        messages.error(request, _("%(n)d 项不在您的审核范围内，未分配。") % {"n": skipped})
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url.startswith("/review/") else reverse("review:queue"))


# One case -------------------------------------------------------------------------------------


@login_required
@require_GET
def item_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(request.user, pk)
    return _item_page(request, item)


def _item_page(
    request: HttpRequest,
    item: ReviewItem,
    *,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    findings = selectors.item_findings(item)
    may_review = can(request.user, item.owner_path, Action.REVIEW)
    if decision_form is None:
        decision_form = DecisionForm(findings=findings, initial=_decision_initial(item, findings))
    reviewers = list(selectors.reviewers_for(item.owner_path)) if may_review else []
    text = post_text(item.post)
    context = {
        "item": item,
        "post": item.post,
        "findings": findings,
        "title_html": _marked(item.post.title, findings, "title"),
        "body_text": text,
        "body_html": _marked(text, findings, "body"),
        "evidence": _evidence(request.user, findings),
        "history": selectors.item_history(item),
        "may_review": may_review,
        "may_decide": may_review and item.status == ItemStatus.OPEN,
        "decision_form": decision_form,
        "assign_form": AssignForm(
            reviewers=reviewers,
            initial={"reviewer": str(item.assigned_to_id or "")},
        ),
        "category_labels": CATEGORY_LABELS,
    }
    return render(request, "review/item.html", context, status=status)


def _evidence(user: Any, findings: list[CheckFinding]) -> list[dict[str, Any]]:
    """One panel per originality or rumour finding: the earlier post side by side with this one
    (when the user may see it; otherwise what the evidence says of it), or the matched debunk."""
    earlier = selectors.earlier_posts(user, findings)
    debunks = selectors.debunks_for(findings)
    panels = []
    for f in findings:
        ev = f.evidence
        if f.category == "originality":
            post = earlier.get(f.pk)
            panels.append(
                {
                    "finding": f,
                    "earlier": post,
                    "earlier_text": post_text(post) if post else "",
                    "title": ev.get("title", ""),
                    "account": ev.get("account_name") or ev.get("account", ""),
                    "published_at": ev.get("published_at", ""),
                    "similarity": ev.get("similarity", ""),
                }
            )
        elif f.category == "rumour":
            entry = debunks.get(f.pk)
            panels.append(
                {
                    "finding": f,
                    "claim": ev.get("claim") or (entry.claim if entry else ""),
                    "matched": ev.get("matched") or f.excerpt,
                    "debunk": (entry.debunk_text if entry else "") or ev.get("debunk", ""),
                    "source": ev.get("source") or (entry.source if entry else ""),
                    "date": ev.get("date") or (entry.published_on if entry else ""),
                    "url": ev.get("url") or (entry.url if entry else ""),
                }
            )
    return panels


def _marked(text: str, findings: list[CheckFinding], field: str) -> str:
    spans = [Span(f.start, f.end, f.pk, f.severity) for f in findings if f.field == field]
    return highlight(text, spans)


def _decision_initial(item: ReviewItem, findings: list[CheckFinding]) -> dict[str, Any]:
    """Cite every finding; suggest the ground of the worst finding's category."""
    main = max(findings, key=lambda f: (SEVERITY_RANK[f.severity], f.score), default=None)
    category = main.category if main else (item.categories[0] if item.categories else "")
    return {
        "ground": SUGGESTED.get(category, ""),
        "cited": [str(f.pk) for f in findings],
    }


@login_required
@require_POST
def item_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(request.user, pk, Action.REVIEW)
    form = DecisionForm(request.POST, findings=selectors.item_findings(item))
    if form.is_valid():
        try:
            decision = decision_make(
                actor=request.user,
                item=item,
                kind=form.cleaned_data["kind"],
                ground=form.cleaned_data["ground"],
                explanation=form.cleaned_data["explanation"],
                cited_ids=form.cited_ids(),
                deadline=form.deadline_at(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("已作出决定：%(kind)s。") % {"kind": decision.get_kind_display()}
            )
            return redirect(decision.get_absolute_url())
    item.refresh_from_db()
    return _item_page(request, item, decision_form=form, status=400)


def add_service_errors(form: Any, error: ValidationError) -> None:
    """Put a service's errors on the form: field errors on their fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_POST
def item_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(request.user, pk, Action.REVIEW)
    raw = request.POST.get("reviewer", "")
    if request.POST.get("me"):
        reviewer: Any = request.user
    elif raw.isdigit():
        reviewer = selectors.reviewers_for(item.owner_path).filter(pk=int(raw)).first()
        if reviewer is None:
            messages.error(request, _("该用户无权审核此事项。"))
            return redirect(item)
    else:
        reviewer = None
    try:
        item_assign(actor=request.user, item=item, reviewer=reviewer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if reviewer is None:
            messages.success(request, _("已取消分配。"))
        else:
            messages.success(request, _("已分配给 %(user)s。") % {"user": reviewer})
    return redirect(item)


@login_required
@require_POST
def item_recheck_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the post again now, in the background; its new findings join the live case."""
    item = selectors.item_get(request.user, pk, Action.REVIEW)
    posts_check_task.enqueue([item.post_id])
    messages.success(request, _("已提交重新检查，完成后新的检查记录会出现在下方。"))
    return redirect(item)
