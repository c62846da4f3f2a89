"""Bulk import and export pages. Thin: parse the request, call registry_io, render or send a file."""

import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mediamatrix.orgs.access import Action, scope_roots
from mediamatrix.orgs.forms import AccountFilterForm, GridGroupFilterForm
from mediamatrix.orgs.forms_io import KIND_CHOICES, RegistryImportForm
from mediamatrix.orgs.models import Unit
from mediamatrix.orgs.registry_io import (
    FORMATS,
    ImportFileError,
    ImportResult,
    KindSpec,
    csv_stream,
    export_filename,
    export_queryset,
    kind_spec,
    registry_export,
    registry_import,
    registry_template,
    template_filename,
)
from mediamatrix.orgs.selectors import AccountFilters, account_list, grid_group_list, unit_get

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
ERRORS_SHOWN = 500
SPOOL_BYTES = 8 * 1024 * 1024


def _spec_and_format(kind: str, fmt: str) -> KindSpec:
    if fmt not in FORMATS:
        raise Http404
    try:
        return kind_spec(kind)
    except ValueError:
        raise Http404 from None


# Import --------------------------------------------------------------------------------------


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    if scope_roots(request.user, Action.IMPORT) == []:
        raise Http404
    result: ImportResult | None = None
    if request.method == "POST":
        form = RegistryImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = _run_import(request, form)
    else:
        kind = request.GET.get("kind")
        form = RegistryImportForm(
            initial={"kind": kind if kind in dict(KIND_CHOICES) else "accounts"}
        )
    context = {
        "form": form,
        "result": result,
        "errors_shown": result.errors[:ERRORS_SHOWN] if result else (),
        "errors_hidden": max(len(result.errors) - ERRORS_SHOWN, 0) if result else 0,
        "templates": [
            (
                label,
                reverse("orgs:import-template", args=[kind, "xlsx"]),
                reverse("orgs:import-template", args=[kind, "csv"]),
            )
            for kind, label in KIND_CHOICES
        ],
    }
    return render(request, "orgs/import.html", context)


def _run_import(request: HttpRequest, form: RegistryImportForm) -> ImportResult | None:
    data = form.cleaned_data
    upload = data["file"]
    try:
        result = registry_import(
            actor=request.user,
            kind=data["kind"],
            file=upload,
            filename=upload.name,
            mode=data["mode"],
            dry_run=data["dry_run"],
        )
    except ImportFileError as error:
        form.add_error("file", error.message)
        return None
    except PermissionDenied as error:
        form.add_error("kind", str(error) or _("您没有导入这类数据的权限。"))
        return None
    if result.committed and result.ok:
        messages.success(
            request,
            _("导入完成：新建 %(created)d 条，更新 %(updated)d 条，未变 %(unchanged)d 条。")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
    return result


@login_required
@require_GET
def import_template_view(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    spec = _spec_and_format(kind, fmt)
    response = HttpResponse(registry_template(spec.kind, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=template_filename(spec.kind, fmt)
    )
    return response


# Export --------------------------------------------------------------------------------------


@login_required
@require_GET
def export_view(request: HttpRequest, kind: str, fmt: str) -> HttpResponse | StreamingHttpResponse:
    spec = _spec_and_format(kind, fmt)
    queryset = _export_queryset(request, spec.kind)
    filename = export_filename(spec.kind, fmt, timezone.localdate())
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_stream(spec.kind, queryset), content_type=CONTENT_TYPES[fmt]
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=filename
        )
        return response
    # openpyxl writes a zip at the end; spool it (memory, then disk) and send it as a file.
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - FileResponse closes it
    registry_export(kind=spec.kind, queryset=queryset, fmt=fmt, out=out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])


def _within(request: HttpRequest, unit_id: int | None) -> Unit | None:
    return unit_get(request.user, unit_id) if unit_id else None


def _export_queryset(request: HttpRequest, kind: str) -> QuerySet[Any]:
    """The user's rows with the list page's filters (accounts and grid groups)."""
    user = request.user
    if kind == "accounts":
        form = AccountFilterForm(request.GET)
        filters = AccountFilters()
        if form.is_valid():
            data = form.cleaned_data
            filters = AccountFilters(
                platform=data["platform"],
                category=data["category"],
                status=data["status"],
                level=data["level"],
                within=_within(request, data["unit"]),
                q=data["q"].strip(),
            )
        return account_list(user, filters).order_by("owner_path", "platform", "name", "pk")
    if kind == "grid_groups":
        group_form = GridGroupFilterForm(request.GET)
        data = group_form.cleaned_data if group_form.is_valid() else {}
        groups = grid_group_list(
            user,
            within=_within(request, data.get("unit")),
            platform=data.get("platform", ""),
            q=data.get("q", "").strip(),
        )
        return groups.order_by("owner_path", "name", "pk")
    unit_id = request.GET.get("unit", "")
    within = _within(request, int(unit_id)) if unit_id.isdigit() else None
    return export_queryset(kind, user, within=within)
