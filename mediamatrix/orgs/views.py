"""Registry pages. Thin: parse the request, call a selector or service, render."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mediamatrix.core.forms import add_service_errors
from mediamatrix.orgs import services
from mediamatrix.orgs.access import Action, can, can_unowned, user_roles_at
from mediamatrix.orgs.choices import UnitLevel
from mediamatrix.orgs.forms import (
    AccountFilterForm,
    AccountForm,
    FilingForm,
    GridGroupFilterForm,
    GridGroupForm,
    MembershipForm,
    NewMemberForm,
    ReasonForm,
    UnitForm,
)
from mediamatrix.orgs.models import Membership, Unit
from mediamatrix.orgs.selectors import (
    AccountFilters,
    account_get,
    account_list,
    audit_history,
    grid_group_get,
    grid_group_list,
    membership_list,
    registry_health,
    unit_ancestors,
    unit_children,
    unit_get,
    unit_subtree_counts,
)
from mediamatrix.users.models import User

PAGE_SIZES = (20, 50, 100, 200)


def _page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("page_size", 50))
    except ValueError:
        return 50
    return size if size in PAGE_SIZES else 50


def _querystring(request: HttpRequest, **overrides: Any) -> str:
    params = {k: v for k, v in request.GET.items() if v and k != "page"}
    params.update({k: v for k, v in overrides.items() if v is not None})
    return urlencode(params)


def _with_counts(units: list[Unit]) -> list[tuple[Unit, Any]]:
    counts = unit_subtree_counts(units) if units else {}
    return [(unit, counts.get(unit.pk)) for unit in units]


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    perform: Callable[[dict[str, Any]], Any],
    done: str,
    obj: Any = None,
) -> HttpResponse:
    """Show `form`; on a valid POST run `perform` (a service call) and go to what it returns.

    A service's ValidationError is shown on the form, field by field.
    """
    if request.method == "POST" and form.is_valid():
        try:
            target = perform(dict(form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(target)
    return render(request, "orgs/form.html", {"form": form, "title": title, "object": obj})


# Units ---------------------------------------------------------------------------------------


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    roots = unit_children(request.user, None)
    return render(request, "orgs/unit_tree.html", {"rows": _with_counts(roots)})


@login_required
def unit_children_partial(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_get(request.user, pk)
    rows = _with_counts(unit_children(request.user, unit))
    return render(request, "orgs/_unit_children.html", {"rows": rows})


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    unit = unit_get(user, pk)
    counts = unit_subtree_counts([unit])[unit.pk]
    context = {
        "unit": unit,
        "counts": counts,
        "ancestors": unit_ancestors(user, unit),
        "children": _with_counts(unit_children(user, unit)),
        "accounts": list(account_list(user, AccountFilters(within=unit))[:20]),
        "own_groups": list(grid_group_list(user, within=unit)[:20]),
        "members": list(membership_list(user, unit=unit)),
        "can_edit_unit": can(user, unit.path, Action.EDIT_UNIT),
        "can_edit_account": can(user, unit.path, Action.EDIT_ACCOUNT),
        "can_edit_group": can(user, unit.path, Action.EDIT_GRID_GROUP)
        and unit.level >= UnitLevel.VILLAGE,
        "can_manage_members": can(user, unit.path, Action.MANAGE_MEMBERS),
        "my_roles": sorted(user_roles_at(user, unit.path)),
        "membership_form": MembershipForm(),
    }
    return render(request, "orgs/unit_detail.html", context)


@login_required
def unit_create_view(request: HttpRequest, parent_pk: int) -> HttpResponse:
    parent = unit_get(request.user, parent_pk, Action.EDIT_UNIT)
    child_level = min(parent.level + 1, UnitLevel.BELOW_VILLAGE)
    return _form_page(
        request,
        UnitForm(request.POST or None, initial={"level": child_level}),
        title=_("新建下级单位"),
        obj=parent,
        done=_("已创建单位。"),
        perform=lambda data: services.unit_create(actor=request.user, parent=parent, **data),
    )


@login_required
def unit_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_get(request.user, pk, Action.EDIT_UNIT)
    return _form_page(
        request,
        UnitForm(request.POST or None, instance=unit_get(request.user, pk)),
        title=_("编辑单位"),
        obj=unit,
        done=_("已保存。"),
        perform=lambda data: services.unit_update(actor=request.user, unit=unit, **data),
    )


@login_required
@require_POST
def membership_grant_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_get(request.user, pk, Action.MANAGE_MEMBERS)
    form = MembershipForm(request.POST)
    if form.is_valid():
        member = User.objects.filter(username=form.cleaned_data["username"], is_active=True).first()
        if member is None:
            messages.error(request, _("没有这个用户。"))
        else:
            services.membership_grant(
                actor=request.user, user=member, unit=unit, role=form.cleaned_data["role"]
            )
            messages.success(request, _("已授予角色。"))
    return redirect("orgs:unit-detail", pk=pk)


@login_required
def member_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_get(request.user, pk, Action.MANAGE_MEMBERS)
    return _form_page(
        request,
        NewMemberForm(request.POST or None),
        title=_("新建用户"),
        obj=unit,
        done=_("已创建用户并授予角色。"),
        perform=lambda data: services.member_create(actor=request.user, unit=unit, **data).unit,
    )


@login_required
@require_POST
def membership_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    membership = Membership.objects.select_related("unit", "user").filter(pk=pk).first()
    if membership is None:
        raise Http404
    unit = unit_get(request.user, membership.unit_id)
    services.membership_revoke(actor=request.user, membership=membership)
    messages.success(request, _("已撤销角色。"))
    return redirect("orgs:unit-detail", pk=unit.pk)


# Accounts ------------------------------------------------------------------------------------


def _account_filters(
    request: HttpRequest, form: AccountFilterForm
) -> tuple[AccountFilters, Unit | None]:
    if not form.is_valid():
        return AccountFilters(), None
    data = form.cleaned_data
    within = unit_get(request.user, data["unit"]) if data.get("unit") else None
    filters = AccountFilters(
        platform=data["platform"],
        category=data["category"],
        status=data["status"],
        level=data["level"],
        within=within,
        q=data["q"].strip(),
    )
    return filters, within


@login_required
def account_list_view(request: HttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET)
    filters, within = _account_filters(request, form)
    accounts = account_list(request.user, filters).order_by("owner_path", "platform", "name", "pk")
    page = Paginator(accounts, _page_size(request)).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "within": within,
        "query": _querystring(request),
        "export_query": _querystring(request),
        "can_create": can(request.user, within.path, Action.EDIT_ACCOUNT) if within else False,
    }
    return render(request, "orgs/account_list.html", context)


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = account_get(request.user, pk)
    context = {
        "account": account,
        "ancestors": unit_ancestors(request.user, account.owner) if account.owner else [],
        "can_edit": can_unowned(request.user, Action.EDIT_ACCOUNT)
        if not account.owner_path
        else can(request.user, account.owner_path, Action.EDIT_ACCOUNT),
        "history": audit_history(request.user, account, account.owner_path)[:10],
    }
    return render(request, "orgs/account_detail.html", context)


@login_required
def account_create_view(request: HttpRequest) -> HttpResponse:
    owner = None
    if request.GET.get("owner"):
        owner = unit_get(request.user, request.GET["owner"], Action.EDIT_ACCOUNT)
    return _form_page(
        request,
        AccountForm(request.POST or None, user=request.user, initial={"owner": owner}),
        title=_("登记账号"),
        obj=owner,
        done=_("已登记账号，待备案。"),
        perform=lambda data: services.account_create(actor=request.user, **data),
    )


@login_required
def account_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = account_get(request.user, pk, Action.EDIT_ACCOUNT)
    return _form_page(
        request,
        # The form edits its own copy, so a rejected change leaves `account` as it was.
        AccountForm(
            request.POST or None, instance=account_get(request.user, pk), user=request.user
        ),
        title=_("变更账号信息"),
        obj=account,
        done=_("已保存变更。"),
        perform=lambda data: services.account_update(actor=request.user, account=account, **data),
    )


def _account_transition_view(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[ReasonForm],
    title: str,
    perform: Any,
    done: str,
) -> HttpResponse:
    account = account_get(request.user, pk, Action.EDIT_ACCOUNT)
    return _form_page(
        request,
        form_class(request.POST or None),
        title=title,
        obj=account,
        done=done,
        perform=lambda data: perform(actor=request.user, account=account, **data),
    )


@login_required
def account_file_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_transition_view(
        request,
        pk,
        form_class=FilingForm,
        title=_("账号备案"),
        perform=services.account_file,
        done=_("已备案。"),
    )


@login_required
def account_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_transition_view(
        request,
        pk,
        form_class=ReasonForm,
        title=_("注销账号"),
        perform=services.account_close,
        done=_("已注销。"),
    )


# Grid groups ---------------------------------------------------------------------------------


@login_required
def grid_group_list_view(request: HttpRequest) -> HttpResponse:
    form = GridGroupFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    within = unit_get(request.user, data["unit"]) if data.get("unit") else None
    groups = grid_group_list(
        request.user, within=within, platform=data.get("platform", ""), q=data.get("q", "").strip()
    )
    page = Paginator(groups.order_by("owner_path", "name", "pk"), _page_size(request)).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "within": within,
        "query": _querystring(request),
        "can_create": within is not None
        and within.level >= UnitLevel.VILLAGE
        and can(request.user, within.path, Action.EDIT_GRID_GROUP),
    }
    return render(request, "orgs/grid_group_list.html", context)


@login_required
def grid_group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = grid_group_get(request.user, pk)
    context = {
        "group": group,
        "ancestors": unit_ancestors(request.user, group.owner),
        "can_edit": can(request.user, group.owner_path, Action.EDIT_GRID_GROUP),
        "history": audit_history(request.user, group, group.owner_path)[:10],
    }
    return render(request, "orgs/grid_group_detail.html", context)


@login_required
def grid_group_create_view(request: HttpRequest) -> HttpResponse:
    owner = None
    if request.GET.get("owner"):
        owner = unit_get(request.user, request.GET["owner"], Action.EDIT_GRID_GROUP)
    return _form_page(
        request,
        GridGroupForm(request.POST or None, user=request.user, initial={"owner": owner}),
        title=_("登记网格群"),
        obj=owner,
        done=_("已登记网格群。"),
        perform=lambda data: services.grid_group_create(actor=request.user, **data),
    )


@login_required
def grid_group_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    group = grid_group_get(request.user, pk, Action.EDIT_GRID_GROUP)
    return _form_page(
        request,
        GridGroupForm(
            request.POST or None, instance=grid_group_get(request.user, pk), user=request.user
        ),
        title=_("编辑网格群"),
        obj=group,
        done=_("已保存。"),
        perform=lambda data: services.grid_group_update(actor=request.user, group=group, **data),
    )


# Health and history --------------------------------------------------------------------------


@login_required
def registry_health_view(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/registry_health.html", {"health": registry_health(request.user)})


def _history_subject(user: Any, kind: str, pk: int) -> tuple[Any, str]:
    """The object whose history is asked for, and the unit path that decides who may see it."""
    if kind == "unit":
        unit = unit_get(user, pk)
        return unit, unit.path
    if kind == "account":
        account = account_get(user, pk)
        return account, account.owner_path
    if kind == "grid-group":
        group = grid_group_get(user, pk)
        return group, group.owner_path
    raise Http404


@login_required
def history_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    subject, path = _history_subject(request.user, kind, pk)
    events = Paginator(audit_history(request.user, subject, path), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "orgs/history.html", {"subject": subject, "kind": kind, "page": events})
