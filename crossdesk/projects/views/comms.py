"""The communication plan page: the table with inline add / edit / remove, and the
meetings it produced (skipped days say why)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from crossdesk.core.forms import ActionForm
from crossdesk.core.records import actions
from crossdesk.core.records.actions import Act, Page, posted_version
from crossdesk.org.models import Person
from crossdesk.org.selectors import roles_for

from .. import flows, permissions
from ..forms import ChatAdminForm, ChatRobotForm, ChatRobotRemoveForm, CommEntryForm, CommRemoveForm, sources
from ..models import CommunicationPlanEntry
from ..selectors.comms import comm_plan_page, group_chat
from ..services import comms as services
from ..services._common import belongs_to

ENTRY_FORM_FIELDS = ("version", "scenario", "scenario_detail", "channel", "place", "frequency", "at_time")
ENTRY_FORM_FIELDS += ("weekdays", "working_days_only", "output")


def _page(request, pk: int, bound=None) -> dict:
    roles = roles_for(request.user)
    page = comm_plan_page(roles=roles, project_id=pk)
    project = page.project
    may_edit = permissions.is_manager(roles, project) and not project.is_read_only
    editing = request.GET.get("edit", "")
    editing = int(editing) if editing.isdigit() else None
    if bound is not None and bound.action.startswith("edit-"):
        editing = int(bound.action.removeprefix("edit-"))
    forms = actions.PageForms(bound)
    departments = [p.department_id for p in page.participations]
    people = Person.objects.filter(is_active=True, memberships__department_id__in=departments)
    people = people.distinct().order_by("employee_no") if may_edit else []
    choices = sources(page.participations, people)
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
        forms.add(
            "add",
            reverse("projects:comm_add", args=[pk]),
            CommEntryForm,
            {"working_days_only": True},
            **choices,
        )
    chat = group_chat(roles=roles, project_id=pk)
    if may_edit:
        forms.add(
            "chat_admin",
            reverse("projects:chat_admin", args=[pk]),
            ChatAdminForm,
            {"chat_admin": chat.chat_admin.pk if chat.chat_admin else None, "version": chat.version},
            **choices,
        )
        forms.add(
            "robot_add", reverse("projects:chat_robot_add", args=[pk]), ChatRobotForm, {"kind": "dingtalk"}
        )
        for robot in chat.robots:
            url = reverse("projects:chat_robot_remove", args=[pk, robot.pk])
            robot.remove_form = forms.add(f"robot_remove-{robot.pk}", url, ChatRobotRemoveForm, {})
    # Calling the meetings now has no form: its refusal shows above the plan.
    refused = bound is not None and bound.action == "generate"
    return {
        "project": project,
        "page": page,
        "chat": chat,
        "tab": "comms",
        "may_edit": may_edit,
        "forms": forms,
        "action_error": " ".join(bound.form.non_field_errors()) if refused else "",
    }


def _remove(request, d: dict, pk: int, entry_id: int):
    reason = request.POST.get("reason", "")
    return flows.comm_entry_remove(
        actor=request.user, entry_id=entry_id, version=posted_version(request), reason=reason
    )


def _check(request, pk: int, entry_id: int | None = None, robot_id: int | None = None):
    if entry_id is not None:  # a row of this project's plan
        belongs_to(CommunicationPlanEntry, entry_id, pk, missing=_("No such row of the communication plan."))


COMMS = Page(
    "projects/comms/plan.html",
    _page,
    {
        "add": Act(CommEntryForm, flows.comm_entry_create, data=True, project_id="pk"),
        "edit": Act(
            CommEntryForm,
            flows.comm_entry_update,
            "version",
            data=True,
            key="edit-{entry_id}",
            entry_id="entry_id",
        ),
        "remove": Act(CommRemoveForm, call=_remove, key="remove-{entry_id}"),
        "generate": Act(ActionForm, flows.comm_generate, project_id="pk"),
        "chat_admin": Act(
            ChatAdminForm, services.project_chat_admin_set, "chat_admin", "version", project_id="pk"
        ),
        "robot_add": Act(ChatRobotForm, services.project_chat_robot_add, data=True, project_id="pk"),
        "robot_remove": Act(
            ChatRobotRemoveForm,
            services.project_chat_robot_remove,
            key="robot_remove-{robot_id}",
            project_id="pk",
            robot_id="robot_id",
        ),
    },
    {
        "add": _("Row added; its meetings for the next 4 weeks are called."),
        "edit": _("Row changed; its future meetings follow."),
        "remove": _("Row removed; its future meetings are cancelled."),
        "generate": _("Meetings called for the next 4 weeks."),
        "chat_admin": _("Group chat administrator saved."),
        "robot_add": _("Robot connected: the chat-group rows post their reminders there."),
        "robot_remove": _("Robot disconnected."),
    },
    then=lambda _result, pk, entry_id=None, robot_id=None: reverse("projects:comms", args=[pk]),
    check=_check,
)


urlpatterns = [
    path("<int:pk>/comms/", COMMS.view(), name="comms"),
    path("<int:pk>/comms/add/", COMMS.view("POST"), {"action": "add"}, name="comm_add"),
    path("<int:pk>/comms/generate/", COMMS.view("POST"), {"action": "generate"}, name="comm_generate"),
    path("<int:pk>/comms/<int:entry_id>/edit/", COMMS.view("POST"), {"action": "edit"}, name="comm_edit"),
    path(
        "<int:pk>/comms/<int:entry_id>/remove/", COMMS.view("POST"), {"action": "remove"}, name="comm_remove"
    ),
    path("<int:pk>/comms/chat/admin/", COMMS.view("POST"), {"action": "chat_admin"}, name="chat_admin"),
    path("<int:pk>/comms/chat/robots/", COMMS.view("POST"), {"action": "robot_add"}, name="chat_robot_add"),
    path(
        "<int:pk>/comms/chat/robots/<int:robot_id>/remove/",
        COMMS.view("POST"),
        {"action": "robot_remove"},
        name="chat_robot_remove",
    ),
]
