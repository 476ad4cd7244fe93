"""Deliverable pages: per task with the delivery standard beside each, one deliverable
with every round and the review form, evidence downloads for allowed viewers only."""

from __future__ import annotations

import mimetypes
from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crossdesk.org.selectors import roles_for

from .. import permissions
from ..choices import EvidenceKind
from ..models import Deliverable
from ..selectors import delivery as selectors
from ..services import delivery as services
from ..services._common import belongs_to
from ._common import area_tabs, html_errors, run


@require_GET
@login_required
@html_errors
def deliverable_list(request, pk: int):
    roles = roles_for(request.user)
    project, rows = selectors.deliverables_for_viewer(roles=roles, project_id=pk)
    by_task: dict[int, list] = {}
    for row in rows:
        row.project = project
        row.actions = services.deliverable_actions(roles, project, row)
        by_task.setdefault(row.task_id, []).append(row)
    tasks = selectors.tasks_with_deliverables(project)
    for task in tasks:
        task.deliverable_rows = by_task.get(task.pk, [])
        task.may_record = not project.is_read_only and (
            services.delivers(roles, task) or permissions.is_manager(roles, project)
        )
    context = {
        "project": project,
        "tab": "deliverables",
        "project_tabs_b": area_tabs(project),
        "tasks": tasks,
    }
    return render(request, "projects/delivery/list.html", context)


@require_GET
@login_required
@html_errors
def deliverable_detail(request, pk: int, deliverable_id: int):
    roles = roles_for(request.user)
    deliverable = selectors.deliverable_for_viewer(roles=roles, project_id=pk, pk=deliverable_id)
    project = deliverable.project
    context = {
        "project": project,
        "tab": "deliverables",
        "project_tabs_b": area_tabs(project),
        "d": deliverable,
        "rounds": selectors.rounds(deliverable),
        "actions": services.deliverable_actions(roles, project, deliverable),
        "kinds": EvidenceKind.choices,
        "accountable": services.accountable_part(deliverable.task) if deliverable.task else None,
    }
    return render(request, "projects/delivery/detail.html", context)


@require_POST
@login_required
def deliverable_create(request, pk: int, task_id: int):
    data = {name: request.POST.get(name, "") for name in ("name", "description")}
    return run(
        request,
        partial(services.deliverable_create, actor=request.user, task_id=task_id, data=data),
        back=reverse("projects:deliverables", args=[pk]),
        done=_("Deliverable recorded."),
    )


def _detail_url(pk: int, deliverable_id: int) -> str:
    return reverse("projects:deliverable_detail", args=[pk, deliverable_id])


@require_POST
@login_required
@html_errors
def deliverable_act(request, pk: int, deliverable_id: int, action: str):
    post = request.POST
    belongs_to(Deliverable, deliverable_id, pk, missing=_("No such deliverable."))
    mine = {"actor": request.user, "deliverable_id": deliverable_id, "version": post.get("version") or None}
    calls = {
        "submit": (
            lambda: services.deliverable_submit(
                files=request.FILES.getlist("files"),
                note=post.get("note", ""),
                kind=post.get("kind") or EvidenceKind.FILE,
                **mine,
            ),
            _("Submitted for acceptance."),
        ),
        "accept": (
            lambda: services.deliverable_accept(comment=post.get("comment", ""), **mine),
            _("Accepted."),
        ),
        "return": (
            lambda: services.deliverable_return(comment=post.get("comment", ""), **mine),
            _("Sent back; the rework is due within 3 working days."),
        ),
    }
    if action not in calls:
        raise Http404
    call, done = calls[action]
    return run(request, call, back=_detail_url(pk, deliverable_id), done=done)


@require_GET
@login_required
@html_errors
def evidence_download(request, pk: int, evidence_id: int):
    """An evidence file, only for people who may see the project (404 otherwise)."""
    evidence = selectors.evidence_for_viewer(
        roles=roles_for(request.user), project_id=pk, evidence_id=evidence_id
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(evidence.name)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=evidence.name, content_type=content_type)


urlpatterns = [
    path("<int:pk>/deliverables/", deliverable_list, name="deliverables"),
    path("<int:pk>/tasks/<int:task_id>/deliverables/new/", deliverable_create, name="deliverable_create"),
    path("<int:pk>/deliverables/<int:deliverable_id>/", deliverable_detail, name="deliverable_detail"),
    path(
        "<int:pk>/deliverables/<int:deliverable_id>/<slug:action>/", deliverable_act, name="deliverable_act"
    ),
    path("<int:pk>/evidence/<int:evidence_id>/", evidence_download, name="evidence"),
]
