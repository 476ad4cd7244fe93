"""The communication plan page: the table with inline add / edit / remove, and the
meetings it produced (skipped days say why)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crossdesk.core.errors import ApplicationError
from crossdesk.org.models import Person
from crossdesk.org.selectors import roles_for

from .. import flows, permissions
from ..forms import CommEntryForm, CommRemoveForm
from ..models import CommunicationPlanEntry
from ..selectors.comms import comm_plan_page
from ..services import comms as services
from ..services._common import belongs_to
from ._common import PageForms, area_tabs, html_errors, see_other, submit


def _page(request, pk: int, bound=None) -> dict:
    roles = roles_for(request.user)
    page = comm_plan_page(roles=roles, project_id=pk)
    project = page.project
    may_edit = permissions.is_manager(roles, project) and not project.is_read_only
    editing = request.GET.get("edit", "")
    editing = int(editing) if editing.isdigit() else None
    if bound is not None and bound.action.startswith("edit-"):
        editing = int(bound.action.removeprefix("edit-"))
    forms = PageForms(bound)
    departments = [p.department_id for p in page.participations]
    people = Person.objects.filter(is_active=True, memberships__department_id__in=departments)
    choices = {
        "participations": page.participations,
        "people": list(people.distinct().order_by("employee_no")) if may_edit else [],
    }
    for entry in page.entries:
        entry.frequency_label = services.frequency_text(entry)
        if not may_edit:
            continue
        if entry.pk == editing:
            initial = {name: getattr(entry, name) for name in ENTRY_FORM_FIELDS}
            initial |= {"owner": entry.owner_id, "participants": [p.pk for p in entry.participants.all()]}
            url = reverse("projects:comm_edit", args=[pk, entry.pk])
            entry.form = forms.add(f"edit-{entry.pk}", url, CommEntryForm, initial, **choices)
        url = reverse("projects:comm_remove", args=[pk, entry.pk])
        entry.remove_form = forms.add(f"remove-{entry.pk}", url, CommRemoveForm, {"version": entry.version})
    if may_edit:
        initial = {"working_days_only": True}
        forms.add("add", reverse("projects:comm_add", args=[pk]), CommEntryForm, initial, **choices)
    return {
        "project": project,
        "page": page,
        "tab": "comms",
        "project_tabs_b": area_tabs(project),
        "may_edit": may_edit,
        "editing": editing,
        "forms": forms,
    }


ENTRY_FORM_FIELDS = ("version", "scenario", "scenario_detail", "channel", "place", "frequency", "at_time")
ENTRY_FORM_FIELDS += ("weekdays", "working_days_only", "output")


@require_GET
@login_required
@html_errors
def comm_plan(request, pk: int):
    return render(request, "projects/comms/plan.html", _page(request, pk))


def _submit(request, pk: int, key: str, form_class, call, done: str):
    return submit(
        request,
        key,
        form_class,
        call,
        done=done,
        url=reverse("projects:comms", args=[pk]),
        template="projects/comms/plan.html",
        page=lambda bound: _page(request, pk, bound),
    )


@require_POST
@login_required
@html_errors
def comm_add(request, pk: int):
    return _submit(
        request,
        pk,
        "add",
        CommEntryForm,
        lambda d: flows.comm_entry_create(actor=request.user, project_id=pk, data=d),
        _("Row added; its meetings for the next 4 weeks are called."),
    )


def _version(request):
    return request.POST.get("version") or None


@require_POST
@login_required
@html_errors
def comm_edit(request, pk: int, entry_id: int):
    belongs_to(CommunicationPlanEntry, entry_id, pk, missing=_("No such row of the communication plan."))
    mine = {"actor": request.user, "entry_id": entry_id, "version": _version(request)}
    call = partial(flows.comm_entry_update, **mine)
    done = _("Row changed; its future meetings follow.")
    return _submit(request, pk, f"edit-{entry_id}", CommEntryForm, lambda d: call(data=d), done)


@require_POST
@login_required
@html_errors
def comm_remove(request, pk: int, entry_id: int):
    belongs_to(CommunicationPlanEntry, entry_id, pk, missing=_("No such row of the communication plan."))
    mine = {"actor": request.user, "entry_id": entry_id, "version": _version(request)}
    call = partial(flows.comm_entry_remove, reason=request.POST.get("reason", ""), **mine)
    done = _("Row removed; its future meetings are cancelled.")
    return _submit(request, pk, f"remove-{entry_id}", CommRemoveForm, lambda d: call(), done)


@require_POST
@login_required
@html_errors
def comm_generate(request, pk: int):
    try:
        flows.comm_generate(actor=request.user, project_id=pk)
    except ApplicationError as exc:
        if exc.status_code in (403, 404):
            raise
        context = {**_page(request, pk), "action_error": exc.message}
        return render(request, "projects/comms/plan.html", context, status=exc.status_code)
    messages.success(request, _("Meetings called for the next 4 weeks."))
    return see_other(redirect("projects:comms", pk))


urlpatterns = [
    path("<int:pk>/comms/", comm_plan, name="comms"),
    path("<int:pk>/comms/add/", comm_add, name="comm_add"),
    path("<int:pk>/comms/generate/", comm_generate, name="comm_generate"),
    path("<int:pk>/comms/<int:entry_id>/edit/", comm_edit, name="comm_edit"),
    path("<int:pk>/comms/<int:entry_id>/remove/", comm_remove, name="comm_remove"),
]
