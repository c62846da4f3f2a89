"""Import centre pages: upload a posts file, the history of import runs, one run, re-run.

Thin: parse the request, call a selector or a service, render. Everyone sees the runs of their
scope; uploading needs Action.IMPORT somewhere (404 otherwise) and re-running a run needs it
where the run belongs. The upload is queued and the run page follows it (htmx polls a fragment
every second while it runs).
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from mediamatrix.ingestion.connectors import all_connectors
from mediamatrix.ingestion.files import CONTENT_TYPES, FORMATS, FileProblem, template_filename
from mediamatrix.ingestion.files import posts_template as build_template
from mediamatrix.ingestion.forms_imports import PostsUploadForm, RerunForm, RunFilterForm
from mediamatrix.ingestion.models import ImportRun
from mediamatrix.ingestion.selectors import import_run_get, import_run_list
from mediamatrix.ingestion.services.files import (
    CONNECTOR,
    import_run_rerun,
    import_upload,
    stored_account_id,
)
from mediamatrix.orgs.access import Action, can, can_unowned, scope_roots
from mediamatrix.orgs.selectors import account_list

PAGE_SIZE = 50
ERRORS_SHOWN = 1000


def _may_upload(user: Any) -> bool:
    return scope_roots(user, Action.IMPORT) != []


def _may_rerun(user: Any, run: ImportRun) -> bool:
    if run.connector != CONNECTOR or not run.stored_file:
        return False
    if not run.scope_path:
        return can_unowned(user, Action.IMPORT)
    return can(user, run.scope_path, Action.IMPORT)


def _redirect_to(request: HttpRequest, run: ImportRun) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = run.get_absolute_url()
        return response
    return redirect(run)


@login_required
def import_centre_view(request: HttpRequest) -> HttpResponse:
    may_upload = _may_upload(request.user)
    form: PostsUploadForm | None = None
    if request.method == "POST":
        if not may_upload:
            raise Http404
        form = PostsUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                run = import_upload(
                    actor=request.user,
                    upload=data["file"],
                    mode=data["mode"],
                    dry_run=data["dry_run"],
                    account=data["account"],
                )
            except FileProblem as problem:
                form.add_error("file", problem.message)
            else:
                return _redirect_to(request, run)
        if request.headers.get("HX-Request"):
            return render(request, "ingestion/_import_form.html", {"form": form})
    elif may_upload:
        form = PostsUploadForm(user=request.user)
    filters = RunFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    runs = import_run_list(request.user, connector=data.get("connector", ""))
    if data.get("status"):
        runs = runs.filter(status=data["status"])
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {c.name: c.label for c in all_connectors()}
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": [(run, labels.get(run.connector, run.connector)) for run in page.object_list],
        "query": urlencode({k: v for k, v in request.GET.items() if v and k != "page"}),
        "formats": FORMATS,
    }
    return render(request, "ingestion/import_centre.html", context)


def _run_context(request: HttpRequest, run: ImportRun) -> dict[str, Any]:
    errors = run.errors[:ERRORS_SHOWN]
    return {
        "run": run,
        "errors": errors,
        "errors_hidden": max(run.error_count - len(errors), 0),
        "label": {c.name: c.label for c in all_connectors()}.get(run.connector, run.connector),
    }


@login_required
@require_GET
def import_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = import_run_get(request.user, pk)
    context = _run_context(request, run)
    if _may_rerun(request.user, run):
        context["rerun_form"] = RerunForm(initial={"mode": run.mode, "dry_run": False})
    account_id = stored_account_id(run) if run.stored_file else None
    if account_id is not None:
        context["account"] = account_list(request.user).filter(pk=account_id).first()
    return render(request, "ingestion/import_run.html", context)


@login_required
@require_GET
def import_run_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = import_run_get(request.user, pk)
    return render(request, "ingestion/_import_run_progress.html", _run_context(request, run))


@login_required
@require_POST
def import_run_rerun_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = import_run_get(request.user, pk)
    if not _may_rerun(request.user, run):
        raise PermissionDenied
    form = RerunForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        again = import_run_rerun(
            actor=request.user,
            run=run,
            mode=form.cleaned_data["mode"],
            dry_run=form.cleaned_data["dry_run"],
        )
    except FileProblem as problem:
        context = _run_context(request, run) | {"rerun_form": form, "rerun_error": problem.message}
        return render(request, "ingestion/import_run.html", context, status=400)
    return _redirect_to(request, again)


@login_required
@require_GET
def posts_template_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    response = HttpResponse(build_template(fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=template_filename(fmt)
    )
    return response
