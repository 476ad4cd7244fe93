"""Communication plan API (SPEC §5 [002][003]): rows, their generated meetings."""

from __future__ import annotations

from ninja import Router, Status

from .. import flows
from ..models import CommunicationPlanEntry
from ..schemas import (
    ChatAdminIn,
    ChatRobotIn,
    ChatRobotOut,
    CommEntryIn,
    CommEntryOut,
    CommPlanOut,
    GeneratedOut,
    GroupChatOut,
    ReasonIn,
)
from ..selectors import comms as selectors
from ..services import comms as services
from ._common import READ_ERRORS, WRITE_ERRORS, call, call_in, project_id_of, roles, sent

router = Router(tags=["projects"])


def _entry_out(request, entry_id: int) -> CommunicationPlanEntry:
    entry = CommunicationPlanEntry.objects.get(pk=entry_id)
    page = selectors.comm_plan_page(roles=roles(request), project_id=entry.project_id, include_removed=True)
    return next(e for e in page.entries if e.pk == entry_id)


@router.get("/{int:project_id}/comms", response={200: CommPlanOut, **READ_ERRORS})
def comm_plan(request, project_id: int, include_removed: bool = False):
    """The communication plan: its rows and the occurrences of the last 2 and next 6 weeks
    (skipped days say why)."""
    page = selectors.comm_plan_page(
        roles=roles(request), project_id=project_id, include_removed=include_removed
    )
    return {"entries": page.entries, "occurrences": page.occurrences}


@router.post("/{int:project_id}/comms", response={201: CommEntryOut, **WRITE_ERRORS})
def comm_entry_create(request, project_id: int, payload: CommEntryIn):
    """Add a row. Frequency ``daily``, ``weekly`` / ``biweekly`` (``weekdays``, 0 = Monday),
    ``monthly`` / ``once`` (from ``first_date``) at ``at_time``, or ``as_needed`` / ``realtime``.
    A regular row of a project under way calls its meetings for the next 4 weeks at once."""
    data, _version = sent(payload)
    entry = call(request, project_id, flows.comm_entry_create, project_id=project_id, data=data)
    return Status(201, _entry_out(request, entry.pk))


@router.patch("/comms/{int:entry_id}", response={200: CommEntryOut, **WRITE_ERRORS})
def comm_entry_update(request, entry_id: int, payload: CommEntryIn):
    """Change a row (send the ``version`` you read); its future meetings follow."""
    data, version = sent(payload)
    project_id = project_id_of(CommunicationPlanEntry, entry_id)
    call(request, project_id, flows.comm_entry_update, entry_id=entry_id, data=data, version=version)
    return _entry_out(request, entry_id)


@router.post("/comms/{int:entry_id}/remove", response={200: CommEntryOut, **WRITE_ERRORS})
def comm_entry_remove(request, entry_id: int, payload: ReasonIn):
    """Remove a row: its future meetings are cancelled (invitees get the cancellation)."""
    removal = payload.model_dump()  # reason, version
    project_id = project_id_of(CommunicationPlanEntry, entry_id)
    call(request, project_id, flows.comm_entry_remove, entry_id=entry_id, **removal)
    return _entry_out(request, entry_id)


@router.post("/{int:project_id}/comms/generate", response={200: GeneratedOut, **WRITE_ERRORS})
def comm_generate(request, project_id: int):
    """Call the missing meetings of every regular row for the next 4 weeks now (idempotent)."""
    made = call(request, project_id, flows.comm_generate, project_id=project_id)
    return {"meetings_called": made}


@router.get("/{int:project_id}/chat", response={200: GroupChatOut, **READ_ERRORS})
def group_chat(request, project_id: int):
    """The project's group chat [002]: its 群管理员 and robots (tokens and secrets not shown)."""
    return selectors.group_chat(roles=roles(request), project_id=project_id)


@router.put("/{int:project_id}/chat/admin", response={200: GroupChatOut, **WRITE_ERRORS})
def group_chat_admin(request, project_id: int, payload: ChatAdminIn):
    """Name the 群管理员 (``null`` clears it); reminded with the owners of the chat rows."""
    call_in(request, project_id, services.project_chat_admin_set, **payload.model_dump())
    return selectors.group_chat(roles=roles(request), project_id=project_id)


@router.post("/{int:project_id}/chat/robots", response={201: ChatRobotOut, **WRITE_ERRORS})
def group_chat_robot_add(request, project_id: int, payload: ChatRobotIn):
    """Connect the group chat's robot: the plan's chat-group rows post their reminders there."""
    robot = call_in(request, project_id, services.project_chat_robot_add, data=payload.model_dump())
    chat = selectors.group_chat(roles=roles(request), project_id=project_id)
    return Status(201, next(r for r in chat.robots if r.pk == robot.pk))


@router.delete("/{int:project_id}/chat/robots/{int:robot_id}", response={204: None, **WRITE_ERRORS})
def group_chat_robot_remove(request, project_id: int, robot_id: int):
    """Disconnect a robot of the group chat."""
    call_in(request, project_id, services.project_chat_robot_remove, robot_id=robot_id)
    return Status(204, None)
