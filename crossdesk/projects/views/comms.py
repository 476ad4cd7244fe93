"""The communication plan page: the table with inline add / edit / remove, and the
meetings it produced (skipped days say why)."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crossdesk.org.models import Person
from crossdesk.org.selectors import roles_for

from .. import flows, permissions
from ..choices import CommChannel, CommOutput, CommScenario, Weekday
from ..models import CommunicationPlanEntry
from ..selectors.comms import comm_plan_page
from ..services import comms as services
from ..services._common import belongs_to
from ._common import area_tabs, html_errors, run

LISTS = ("weekdays", "participants", "working_days_only")


def _data(request) -> dict:
    post = request.POST
    data = {name: post.get(name, "") for name in services.ENTRY_FIELDS if name in post and name not in LISTS}
    data["weekdays"] = post.getlist("weekdays")
    data["participants"] = post.getlist("participants")
    data["working_days_only"] = post.get("working_days_only") == "on"
    if not data.get("meeting_kind"):
        data.pop("meeting_kind", None)
    return data


@require_GET
@login_required
@html_errors
def comm_plan(request, pk: int):
    roles = roles_for(request.user)
    page = comm_plan_page(roles=roles, project_id=pk)
    project = page.project
    may_edit = permissions.is_manager(roles, project) and not project.is_read_only
    for entry in page.entries:
        entry.frequency_label = services.frequency_text(entry)
    departments = [p.department_id for p in page.participations]
    people = Person.objects.filter(is_active=True, memberships__department_id__in=departments)
    editing = request.GET.get("edit")
    context = {
        "project": project,
        "page": page,
        "tab": "comms",
        "project_tabs_b": area_tabs(project),
        "may_edit": may_edit,
        "editing": int(editing) if editing and editing.isdigit() else None,
        "people": people.distinct().order_by("employee_no"),
        "scenarios": CommScenario.choices,
        "channels": CommChannel.choices,
        "outputs": CommOutput.choices,
        "frequencies": [(f.value, f.label) for f in services.FREQUENCIES],
        "weekdays": Weekday.choices,
        "regular": [str(f) for f in services.REGULAR],
    }
    return render(request, "projects/comms/plan.html", context)


def _back(pk: int) -> str:
    return reverse("projects:comms", args=[pk])


@require_POST
@login_required
def comm_add(request, pk: int):
    return run(
        request,
        lambda: flows.comm_entry_create(actor=request.user, project_id=pk, data=_data(request)),
        back=_back(pk),
        done=_("Row added; its meetings for the next 4 weeks are called."),
    )


@require_POST
@login_required
@html_errors
def comm_edit(request, pk: int, entry_id: int):
    belongs_to(CommunicationPlanEntry, entry_id, pk, missing=_("No such row of the communication plan."))
    mine = {"actor": request.user, "entry_id": entry_id, "version": request.POST.get("version") or None}
    call = partial(flows.comm_entry_update, data=_data(request), **mine)
    return run(request, call, back=_back(pk), done=_("Row changed; its future meetings follow."))


@require_POST
@login_required
@html_errors
def comm_remove(request, pk: int, entry_id: int):
    belongs_to(CommunicationPlanEntry, entry_id, pk, missing=_("No such row of the communication plan."))
    mine = {"actor": request.user, "entry_id": entry_id, "version": request.POST.get("version") or None}
    call = partial(flows.comm_entry_remove, reason=request.POST.get("reason", ""), **mine)
    return run(request, call, back=_back(pk), done=_("Row removed; its future meetings are cancelled."))


@require_POST
@login_required
def comm_generate(request, pk: int):
    return run(
        request,
        lambda: flows.comm_generate(actor=request.user, project_id=pk),
        back=_back(pk),
        done=_("Meetings called for the next 4 weeks."),
    )


urlpatterns = [
    path("<int:pk>/comms/", comm_plan, name="comms"),
    path("<int:pk>/comms/add/", comm_add, name="comm_add"),
    path("<int:pk>/comms/generate/", comm_generate, name="comm_generate"),
    path("<int:pk>/comms/<int:entry_id>/edit/", comm_edit, name="comm_edit"),
    path("<int:pk>/comms/<int:entry_id>/remove/", comm_remove, name="comm_remove"),
]
