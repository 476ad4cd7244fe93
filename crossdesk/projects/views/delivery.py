"""Deliverable pages: per task with the delivery standard beside each, one deliverable
with every round and the review form, evidence downloads for allowed viewers only."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crossdesk.org.selectors import roles_for

from .. import permissions
from ..choices import EvidenceKind
from ..forms import DeliverableForm, ReviewForm, SubmitForm
from ..models import Deliverable
from ..selectors import delivery as selectors
from ..services import delivery as services
from ..services._common import belongs_to
from ._common import PageForms, area_tabs, html_errors, submit


def _list(request, pk: int, bound=None) -> dict:
    roles = roles_for(request.user)
    project, rows = selectors.deliverables_for_viewer(roles=roles, project_id=pk)
    by_task: dict[int, list] = {}
    for row in rows:
        row.project = project
        row.actions = services.deliverable_actions(roles, project, row)
        by_task.setdefault(row.task_id, []).append(row)
    tasks = selectors.tasks_with_deliverables(project)
    forms = PageForms(bound)
    for task in tasks:
        task.deliverable_rows = by_task.get(task.pk, [])
        if not project.is_read_only and (
            services.delivers(roles, task) or permissions.is_manager(roles, project)
        ):
            url = reverse("projects:deliverable_create", args=[pk, task.pk])
            task.form = forms.add(f"create-{task.pk}", url, DeliverableForm)
            task.form.form.fields["name"].widget.attrs["placeholder"] = task.deliverable or task.title
    return {"project": project, "tab": "deliverables", "project_tabs_b": area_tabs(project), "tasks": tasks}


@require_GET
@login_required
@html_errors
def deliverable_list(request, pk: int):
    return render(request, "projects/delivery/list.html", _list(request, pk))


def _detail(request, pk: int, deliverable_id: int, bound=None) -> dict:
    roles = roles_for(request.user)
    deliverable = selectors.deliverable_for_viewer(roles=roles, project_id=pk, pk=deliverable_id)
    project = deliverable.project
    allowed = services.deliverable_actions(roles, project, deliverable)
    forms = PageForms(bound)
    initial = {"version": deliverable.version}
    if "submit" in allowed:
        url = _detail_url(pk, deliverable_id) + "submit/"
        forms.add("submit", url, SubmitForm, initial, again=bool(deliverable.round))
    if "accept" in allowed:
        forms.add("review", _detail_url(pk, deliverable_id) + "accept/", ReviewForm, initial)
    return {
        "project": project,
        "tab": "deliverables",
        "project_tabs_b": area_tabs(project),
        "d": deliverable,
        "rounds": selectors.rounds(deliverable),
        "forms": forms,
        "accountable": services.accountable_part(deliverable.task) if deliverable.task else None,
    }


@require_GET
@login_required
@html_errors
def deliverable_detail(request, pk: int, deliverable_id: int):
    return render(request, "projects/delivery/detail.html", _detail(request, pk, deliverable_id))


@require_POST
@login_required
@html_errors
def deliverable_create(request, pk: int, task_id: int):
    return submit(
        request,
        f"create-{task_id}",
        DeliverableForm,
        lambda d: services.deliverable_create(actor=request.user, task_id=task_id, data=d),
        done=_("Deliverable recorded."),
        url=reverse("projects:deliverables", args=[pk]),
        template="projects/delivery/list.html",
        page=lambda bound: _list(request, pk, bound),
    )


def _detail_url(pk: int, deliverable_id: int) -> str:
    return reverse("projects:deliverable_detail", args=[pk, deliverable_id])


ACTS = {
    "submit": ("submit", SubmitForm, services.deliverable_submit, _("Submitted for acceptance.")),
    "accept": ("review", ReviewForm, services.deliverable_accept, _("Accepted.")),
    "return": (
        "review",
        ReviewForm,
        services.deliverable_return,
        _("Sent back; the rework is due within 3 working days."),
    ),
}


@require_POST
@login_required
@html_errors
def deliverable_act(request, pk: int, deliverable_id: int, action: str):
    belongs_to(Deliverable, deliverable_id, pk, missing=_("No such deliverable."))
    if action not in ACTS:
        raise Http404
    key, form_class, service, done = ACTS[action]

    def call(d):
        if action == "submit":
            d = {**d, "kind": d["kind"] or EvidenceKind.FILE}
        return service(actor=request.user, deliverable_id=deliverable_id, **d)

    return submit(
        request,
        key,
        form_class,
        call,
        done=done,
        url=_detail_url(pk, deliverable_id),
        template="projects/delivery/detail.html",
        page=lambda bound: _detail(request, pk, deliverable_id, bound),
    )


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
