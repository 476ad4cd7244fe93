"""Change request pages: the list with the form, one request with the heads' decisions,
and the plan's versions with the difference between two."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crossdesk.org.selectors import roles_for

from ..choices import ApprovalDecision, ChangeStatus
from ..forms import ChangeForm, DecideForm, WithdrawForm
from ..models import ChangeRequest
from ..selectors import changes as selectors
from ..services import changes as services
from ..services._common import belongs_to, is_participant
from ._common import PageForms, area_tabs, html_errors, submit


def _detail(pk: int, change_id: int) -> str:
    return reverse("projects:change_detail", args=[pk, change_id])


def _context(project, **extra) -> dict:
    return {"project": project, "tab": "changes", "project_tabs_b": area_tabs(project), **extra}


def _list(request, pk: int, bound=None) -> dict:
    roles = roles_for(request.user)
    project, rows = selectors.change_requests_for_viewer(
        roles=roles, project_id=pk, status=request.GET.get("status")
    )
    forms = PageForms(bound)
    if is_participant(roles, project) and not project.is_read_only and project.status != "draft":
        forms.add(
            "change",
            reverse("projects:change_raise", args=[pk]),
            ChangeForm,
            tasks=project.tasks.order_by("position", "id"),
            metrics=project.goal_metrics.all(),
            participations=project.departments.select_related("department"),
        )
    return _context(project, changes=rows, forms=forms)


@require_GET
@login_required
@html_errors
def change_list(request, pk: int):
    return render(request, "projects/changes/list.html", _list(request, pk))


@require_POST
@login_required
@html_errors
def change_raise(request, pk: int):
    return submit(
        request,
        "change",
        ChangeForm,
        lambda d: services.change_request_raise(actor=request.user, project_id=pk, data=d),
        done=_("Change request raised; the heads of the departments it touches are asked to decide."),
        url=reverse("projects:changes", args=[pk]),
        template="projects/changes/list.html",
        page=lambda bound: _list(request, pk, bound),
    )


def _detail_page(request, pk: int, change_id: int, bound=None) -> dict:
    roles = roles_for(request.user)
    change = selectors.change_request_for_viewer(roles=roles, project_id=pk, pk=change_id)
    project = change.project
    open_ = change.status == ChangeStatus.SUBMITTED and not project.is_read_only
    forms = PageForms(bound)
    to_decide = [
        a
        for a in change.approvals.all()
        if open_ and a.department_id in roles.head_of and a.decision == ApprovalDecision.PENDING
    ]
    url = reverse("projects:change_decide", args=[pk, change_id])
    for a in to_decide:
        initial = {"department": a.department_id, "version": change.version}
        a.form = forms.add(f"decide-{a.department_id}", url, DecideForm, initial)
    person_id = roles.person.pk if roles.person is not None else None
    if open_ and person_id in (change.requested_by_id, project.lead_id):
        url = reverse("projects:change_withdraw", args=[pk, change_id])
        forms.add("withdraw", url, WithdrawForm, {"version": change.version})
    return _context(
        project,
        change=change,
        to_decide=to_decide,
        forms=forms,
        version=change.plan_versions.first(),
        broken=selectors.broken_signatures(change),
    )


@require_GET
@login_required
@html_errors
def change_detail(request, pk: int, change_id: int):
    return render(request, "projects/changes/detail.html", _detail_page(request, pk, change_id))


def _on_change(request, pk: int, change_id: int, key: str, form_class, call, done):
    belongs_to(ChangeRequest, change_id, pk, missing=_("No such change request."))
    return submit(
        request,
        key,
        form_class,
        lambda d: call(actor=request.user, change_id=change_id, **d),
        done=done,
        url=_detail(pk, change_id),
        template="projects/changes/detail.html",
        page=lambda bound: _detail_page(request, pk, change_id, bound),
    )


@require_POST
@login_required
@html_errors
def change_decide(request, pk: int, change_id: int):
    key = f"decide-{request.POST.get('department', '')}"
    call = services.change_request_decide
    return _on_change(request, pk, change_id, key, DecideForm, call, _("Your decision is recorded."))


@require_POST
@login_required
@html_errors
def change_withdraw(request, pk: int, change_id: int):
    call = services.change_request_withdraw
    return _on_change(request, pk, change_id, "withdraw", WithdrawForm, call, _("Change request withdrawn."))


@require_GET
@login_required
@html_errors
def plan_version_list(request, pk: int):
    roles = roles_for(request.user)
    project = selectors.project_get_for_viewer(roles=roles, pk=pk)
    return render(
        request,
        "projects/changes/versions.html",
        _context(project, versions=list(selectors.plan_versions(project))),
    )


@require_GET
@login_required
@html_errors
def plan_version_detail(request, pk: int, number: int):
    roles = roles_for(request.user)
    version = selectors.plan_version_for_viewer(roles=roles, project_id=pk, number=number)
    against = request.GET.get("against") or (number - 1 if number > 1 else None)
    other = diff = None
    if against:
        other = selectors.plan_version_for_viewer(roles=roles, project_id=pk, number=against)
        diff = services.plan_diff(other.snapshot, version.snapshot)
    context = _context(version.project, version=version, other=other, diff=diff, snapshot=version.snapshot)
    return render(request, "projects/changes/version.html", context)


urlpatterns = [
    path("<int:pk>/changes/", change_list, name="changes"),
    path("<int:pk>/changes/new/", change_raise, name="change_raise"),
    path("<int:pk>/changes/<int:change_id>/", change_detail, name="change_detail"),
    path("<int:pk>/changes/<int:change_id>/decide/", change_decide, name="change_decide"),
    path("<int:pk>/changes/<int:change_id>/withdraw/", change_withdraw, name="change_withdraw"),
    path("<int:pk>/plan-versions/", plan_version_list, name="plan_versions"),
    path("<int:pk>/plan-versions/<int:number>/", plan_version_detail, name="plan_version"),
]
