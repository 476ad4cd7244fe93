"""Deliverable pages: per task with the delivery standard beside each, one deliverable
with every round and the review form, evidence downloads for allowed viewers only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from crossdesk.core.files import file_response
from crossdesk.core.records import actions
from crossdesk.core.records.actions import Act, Page
from crossdesk.core.records.views import html_errors
from crossdesk.org.selectors import roles_for

from .. import permissions
from ..forms import DeliverableForm, ReviewForm, SubmitForm
from ..models import Deliverable
from ..selectors import delivery as selectors
from ..services import delivery as services
from ..services._common import belongs_to


def _list(request, pk: int, bound=None, task_id: int | None = None) -> dict:
    roles = roles_for(request.user)
    project, rows = selectors.deliverables_for_viewer(roles=roles, project_id=pk)
    by_task: dict[int, list] = {}
    for row in rows:
        row.project = project
        row.actions = services.deliverable_actions(roles, project, row)
        by_task.setdefault(row.task_id, []).append(row)
    tasks = selectors.tasks_with_deliverables(project)
    forms = actions.PageForms(bound)
    for task in tasks:
        task.deliverable_rows = by_task.get(task.pk, [])
        if not project.is_read_only and (
            services.delivers(roles, task) or permissions.is_manager(roles, project)
        ):
            url = reverse("projects:deliverable_create", args=[pk, task.pk])
            task.form = forms.add(f"create-{task.pk}", url, DeliverableForm)
            task.form.form.fields["name"].widget.attrs["placeholder"] = task.deliverable or task.title
    return {"project": project, "tab": "deliverables", "tasks": tasks}


DELIVERABLES = Page(
    "projects/delivery/list.html",
    _list,
    {
        "create": Act(
            DeliverableForm, services.deliverable_create, data=True, key="create-{task_id}", task_id="task_id"
        )
    },
    {"create": _("Deliverable recorded.")},
    then=lambda _result, pk, task_id: reverse("projects:deliverables", args=[pk]),
)


def _detail(request, pk: int, deliverable_id: int, bound=None) -> dict:
    roles = roles_for(request.user)
    deliverable = selectors.deliverable_for_viewer(roles=roles, project_id=pk, pk=deliverable_id)
    project = deliverable.project
    allowed = services.deliverable_actions(roles, project, deliverable)
    forms = actions.PageForms(bound)
    initial = {"version": deliverable.version}
    url = reverse("projects:deliverable_act", args=[pk, deliverable_id, "submit"])
    if "submit" in allowed:
        forms.add("submit", url, SubmitForm, initial, again=bool(deliverable.round))
    if "accept" in allowed:
        url = reverse("projects:deliverable_act", args=[pk, deliverable_id, "accept"])
        forms.add("review", url, ReviewForm, initial)
    return {
        "project": project,
        "tab": "deliverables",
        "d": deliverable,
        "rounds": selectors.rounds(deliverable),
        "forms": forms,
        "accountable": services.accountable_part(deliverable.task) if deliverable.task else None,
    }


def _on_deliverable(service, *names: str, key: str = "") -> Act:
    form = SubmitForm if service is services.deliverable_submit else ReviewForm
    return Act(form, service, "version", *names, key=key, deliverable_id="deliverable_id")


DELIVERABLE = Page(
    "projects/delivery/detail.html",
    _detail,
    {
        "submit": _on_deliverable(services.deliverable_submit, "files", "kind", "note"),
        "accept": _on_deliverable(services.deliverable_accept, "comment", key="review"),
        "return": _on_deliverable(services.deliverable_return, "comment", key="review"),
    },
    {
        "submit": _("Submitted for acceptance."),
        "accept": _("Accepted."),
        "return": _("Sent back; the rework is due within 3 working days."),
    },
    then="projects:deliverable_detail",
    check=lambda request, pk, deliverable_id: belongs_to(
        Deliverable, deliverable_id, pk, missing=_("No such deliverable.")
    ),
)


@require_GET
@login_required
@html_errors
def evidence_download(request, pk: int, evidence_id: int):
    """An evidence file, only for people who may see the project (404 otherwise)."""
    roles = roles_for(request.user)
    return file_response(selectors.evidence_for_viewer(roles=roles, project_id=pk, evidence_id=evidence_id))


urlpatterns = [
    path("<int:pk>/deliverables/", DELIVERABLES.view(), name="deliverables"),
    path(
        "<int:pk>/tasks/<int:task_id>/deliverables/new/",
        DELIVERABLES.view("POST"),
        {"action": "create"},
        name="deliverable_create",
    ),
    path("<int:pk>/deliverables/<int:deliverable_id>/", DELIVERABLE.view(), name="deliverable_detail"),
    path(
        "<int:pk>/deliverables/<int:deliverable_id>/<slug:action>/",
        DELIVERABLE.view("POST"),
        name="deliverable_act",
    ),
    path("<int:pk>/evidence/<int:evidence_id>/", evidence_download, name="evidence"),
]
