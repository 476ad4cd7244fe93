"""Change request pages: the list with the form, one request with the heads' decisions,
and the plan's versions with the difference between two."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crossdesk.org.selectors import roles_for

from ..choices import ApprovalDecision, ChangeAspect, ChangeStatus
from ..models import ChangeRequest
from ..selectors import changes as selectors
from ..services import changes as services
from ..services._common import belongs_to, is_participant
from ._common import area_tabs, html_errors, run


def _detail(pk: int, change_id: int) -> str:
    return reverse("projects:change_detail", args=[pk, change_id])


def _context(project, **extra) -> dict:
    return {"project": project, "tab": "changes", "project_tabs_b": area_tabs(project), **extra}


@require_GET
@login_required
@html_errors
def change_list(request, pk: int):
    roles = roles_for(request.user)
    project, rows = selectors.change_requests_for_viewer(
        roles=roles, project_id=pk, status=request.GET.get("status")
    )
    context = _context(
        project,
        changes=rows,
        aspects=ChangeAspect.choices,
        statuses=ChangeStatus.choices,
        tasks=list(project.tasks.order_by("position", "id")),
        metrics=list(project.goal_metrics.all()),
        may_raise=is_participant(roles, project) and not project.is_read_only and project.status != "draft",
        departments=list(project.departments.select_related("department")),
    )
    return render(request, "projects/changes/list.html", context)


def _proposal(post) -> dict:
    tasks = []
    for task, start, finish in zip(
        post.getlist("task"), post.getlist("task_start"), post.getlist("task_finish"), strict=False
    ):
        if task and (start or finish):
            tasks.append({"task": task, "planned_start": start, "planned_finish": finish})
    metrics = []
    for metric, target, day in zip(
        post.getlist("metric"), post.getlist("metric_target"), post.getlist("metric_date"), strict=False
    ):
        if metric and (target or day):
            metrics.append({"metric": metric, "target": target, "target_date": day})
    proposal: dict = {}
    if tasks:
        proposal["tasks"] = tasks
    if metrics:
        proposal["goal_metrics"] = metrics
    if post.get("planned_finish"):
        proposal["planned_finish"] = post["planned_finish"]
    return proposal


@require_POST
@login_required
def change_raise(request, pk: int):
    post = request.POST
    data = {name: post.get(name, "") for name in ("title", "description", "reason", "impact")}
    data |= {"aspects": post.getlist("aspects"), "departments": post.getlist("departments")}
    data["proposal"] = _proposal(post)
    return run(
        request,
        lambda: services.change_request_raise(actor=request.user, project_id=pk, data=data),
        back=reverse("projects:changes", args=[pk]),
        done=_("Change request raised; the heads of the departments it touches are asked to decide."),
    )


@require_GET
@login_required
@html_errors
def change_detail(request, pk: int, change_id: int):
    roles = roles_for(request.user)
    change = selectors.change_request_for_viewer(roles=roles, project_id=pk, pk=change_id)
    project = change.project
    open_ = change.status == ChangeStatus.SUBMITTED and not project.is_read_only
    mine = [
        a
        for a in change.approvals.all()
        if a.department_id in roles.head_of and a.decision == ApprovalDecision.PENDING
    ]
    person_id = roles.person.pk if roles.person is not None else None
    context = _context(
        project,
        change=change,
        to_decide=mine if open_ else [],
        may_withdraw=open_ and person_id in (change.requested_by_id, project.lead_id),
        version=change.plan_versions.first(),
        broken=selectors.broken_signatures(change),
    )
    return render(request, "projects/changes/detail.html", context)


@require_POST
@login_required
@html_errors
def change_decide(request, pk: int, change_id: int):
    belongs_to(ChangeRequest, change_id, pk, missing=_("No such change request."))
    post = request.POST
    mine = {"actor": request.user, "change_id": change_id, "version": post.get("version") or None}
    mine |= {"decision": post.get("decision", ""), "comment": post.get("comment", "")}
    call = partial(services.change_request_decide, department=post.get("department") or None, **mine)
    return run(request, call, back=_detail(pk, change_id), done=_("Your decision is recorded."))


@require_POST
@login_required
@html_errors
def change_withdraw(request, pk: int, change_id: int):
    belongs_to(ChangeRequest, change_id, pk, missing=_("No such change request."))
    mine = {"actor": request.user, "change_id": change_id, "version": request.POST.get("version") or None}
    call = partial(services.change_request_withdraw, reason=request.POST.get("reason", ""), **mine)
    return run(request, call, back=_detail(pk, change_id), done=_("Change request withdrawn."))


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
