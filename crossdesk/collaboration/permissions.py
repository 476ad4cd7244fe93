"""Who may do what on a collaboration request (SPEC §3), in one place.

Services call ``require(...)`` before writing; pages and the API call
``allowed_actions(...)`` to show only the actions a person may take now. Both read the
same rules, so a button is never shown for a move the service would refuse.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.errors import PermissionDeniedError, TransitionError
from crossdesk.org.selectors import Roles

from .choices import PartRole, PartStatus, RequestStatus
from .models import Request, RequestPart

REQUEST_ACTIONS = (
    "edit",
    "submit",
    "cancel",
    "log",
    "attach",
    "confirm",
    "reopen",
    "sign_initiator",
    "archive",
)
PART_ACTIONS = (
    "name_liaison",
    "accept",
    "decline",
    "request_info",
    "provide_info",
    "resolve",
    "change_commitment",
    "sign",
    "delay_reason",
)


def is_initiator(roles: Roles, request: Request) -> bool:
    return roles.person is not None and request.initiator_id == roles.person.pk


def is_initiating_head(roles: Roles, request: Request) -> bool:
    return request.initiating_department_id in roles.head_of


def can_handle_part(roles: Roles, part: RequestPart) -> bool:
    """The receiving side: the part's liaison, the department's default liaison or its head."""
    if part.role != PartRole.RECEIVING or roles.person is None:
        return False
    return (
        part.liaison_id == roles.person.pk
        or part.department_id in roles.liaison_of
        or part.department_id in roles.head_of
    )


def is_involved(roles: Roles, request: Request, parts: list[RequestPart]) -> bool:
    if roles.is_admin or is_initiator(roles, request):
        return True
    person_id = roles.person.pk if roles.person else None
    if request.confidential:
        # Confidential: only the people acting on it, as selectors.visible_requests shows it (SPEC §6).
        if request.initiating_department_id in roles.head_of | roles.supervises:
            return True
        acting = roles.head_of | roles.liaison_of | roles.supervises
        return any(p.department_id in acting or (person_id and p.liaison_id == person_id) for p in parts)
    departments = roles.member_of | roles.head_of | roles.liaison_of | roles.supervises
    if request.initiating_department_id in departments:
        return True
    return any(p.department_id in departments or (person_id and p.liaison_id == person_id) for p in parts)


def request_actions(roles: Roles, request: Request, parts: list[RequestPart]) -> set[str]:
    """The request-level actions ``roles`` may take now."""
    status = request.status
    actions: set[str] = set()
    initiator = is_initiator(roles, request)
    if initiator and status == RequestStatus.DRAFT:
        actions |= {"edit", "submit", "cancel", "attach"}
    if status == RequestStatus.ARCHIVED:
        return actions
    if initiator and status in (RequestStatus.SUBMITTED, RequestStatus.IN_PROGRESS):
        actions.add("cancel")
    # Signed requests are closed for new entries; cancelled ones have nothing left to discuss.
    closed = (RequestStatus.DRAFT, RequestStatus.CANCELLED, RequestStatus.SIGNED)
    if status not in closed and is_involved(roles, request, parts):
        actions |= {"log", "attach"}
    if initiator and status == RequestStatus.RESOLVED:
        actions |= {"confirm", "reopen"}
    if (
        status == RequestStatus.CONFIRMED
        and is_initiating_head(roles, request)
        and request.initiator_head_signed_at is None
    ):
        actions.add("sign_initiator")
    if status in (RequestStatus.SIGNED, RequestStatus.CANCELLED, RequestStatus.DECLINED) and (
        initiator or roles.is_admin
    ):
        actions.add("archive")
    return actions


def part_actions(roles: Roles, request: Request, part: RequestPart) -> set[str]:
    """The actions ``roles`` may take now on one department's part."""
    actions: set[str] = set()
    if request.status in (RequestStatus.DRAFT, RequestStatus.CANCELLED, RequestStatus.ARCHIVED):
        return actions
    handler = can_handle_part(roles, part)
    open_request = request.status in (RequestStatus.SUBMITTED, RequestStatus.IN_PROGRESS)
    if handler and open_request:
        if part.status == PartStatus.PENDING:
            actions |= {"accept", "decline", "request_info"}
            if part.liaison_id is None and part.department_id in roles.head_of | roles.liaison_of:
                actions.add("name_liaison")
        elif part.status == PartStatus.AWAITING_INFO:
            actions |= {"accept", "decline"}
        elif part.status == PartStatus.ACCEPTED:
            actions |= {"resolve", "request_info", "change_commitment", "delay_reason"}
    if part.status == PartStatus.AWAITING_INFO and is_initiator(roles, request) and open_request:
        actions.add("provide_info")
    if (
        request.status == RequestStatus.CONFIRMED
        and part.status == PartStatus.RESOLVED
        and part.department_id in roles.head_of
        and part.head_signed_at is None
    ):
        actions.add("sign")
    return actions


ACTION_LABELS = {
    "edit": gettext_lazy("edit"),
    "submit": gettext_lazy("submit"),
    "cancel": gettext_lazy("cancel"),
    "log": gettext_lazy("add to the communication log"),
    "attach": gettext_lazy("attach files"),
    "confirm": gettext_lazy("confirm"),
    "reopen": gettext_lazy("reopen"),
    "sign_initiator": gettext_lazy("sign"),
    "archive": gettext_lazy("archive"),
    "name_liaison": gettext_lazy("name the liaison"),
    "accept": gettext_lazy("accept"),
    "decline": gettext_lazy("decline"),
    "request_info": gettext_lazy("ask for information"),
    "provide_info": gettext_lazy("provide information"),
    "resolve": gettext_lazy("resolve"),
    "change_commitment": gettext_lazy("change the committed date"),
    "sign": gettext_lazy("sign"),
    "delay_reason": gettext_lazy("record a delay reason"),
}

WHO_MAY = {
    "edit": gettext_lazy("Only the initiator can do this."),
    "submit": gettext_lazy("Only the initiator can do this."),
    "cancel": gettext_lazy("Only the initiator can do this."),
    "confirm": gettext_lazy("Only the initiator can do this."),
    "reopen": gettext_lazy("Only the initiator can do this."),
    "provide_info": gettext_lazy("Only the initiator can do this."),
    "log": gettext_lazy("Only people involved in this request can do this."),
    "attach": gettext_lazy("Only people involved in this request can do this."),
    "sign_initiator": gettext_lazy("Only the head of the initiating department can sign for it."),
    "archive": gettext_lazy("Only the initiator or an administrator can archive a request."),
    "sign": gettext_lazy("Only the head of this department can sign for it."),
    "name_liaison": gettext_lazy(
        "Only the head or the default liaison of the receiving department can do this."
    ),
}
PART_HANDLER_MESSAGE = gettext_lazy("Only the liaison or the head of the receiving department can do this.")


def _has_role(
    roles: Roles, request: Request, parts: list[RequestPart], part: RequestPart | None, action: str
) -> bool:
    """Whether the person holds the role the action needs, whatever the current state."""
    if action in {"edit", "submit", "cancel", "confirm", "reopen", "provide_info"}:
        return is_initiator(roles, request)
    if action in {"log", "attach"}:
        return is_involved(roles, request, parts)
    if action == "sign_initiator":
        return is_initiating_head(roles, request)
    if action == "archive":
        return is_initiator(roles, request) or roles.is_admin
    if part is None:
        return False
    if action == "sign":
        return part.department_id in roles.head_of
    if action == "name_liaison":
        return part.department_id in roles.head_of | roles.liaison_of
    return can_handle_part(roles, part)


def require(
    roles: Roles, request: Request, parts: list[RequestPart], action: str, part: RequestPart | None = None
) -> None:
    """Refuse the action unless allowed now: 403 for the wrong person, 409 for the wrong moment."""
    allowed = (
        part_actions(roles, request, part) if part is not None else request_actions(roles, request, parts)
    )
    if action in allowed:
        return
    label = ACTION_LABELS.get(action, action)
    if _has_role(roles, request, parts, part, action):
        if part is not None:
            raise TransitionError(
                _("The part of %(dept)s is “%(status)s”: you cannot %(action)s it now.")
                % {"dept": part.department.name, "status": part.get_status_display(), "action": label}
            )
        raise TransitionError(
            _("This request is “%(status)s”: you cannot %(action)s it now.")
            % {"status": request.get_status_display(), "action": label}
        )
    raise PermissionDeniedError(str(WHO_MAY.get(action, PART_HANDLER_MESSAGE)))
