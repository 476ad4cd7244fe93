"""Meetings API under /api/v1/meetings/ (SPEC §4).

Thin: every read goes through ``selectors`` (visibility built in), every write through the
same ``services`` as the pages, so the permission and state checks are the pages' own (403
wrong person, 409 wrong moment, 400 bad input, each with a message). A meeting the caller
may not see is a 404 for every operation, so its existence does not leak.
"""

from __future__ import annotations

from django.http import HttpResponse
from ninja import File, Query, Router, Status, UploadedFile

from crossdesk.core.errors import PermissionDeniedError
from crossdesk.core.files import file_response
from crossdesk.core.filters import window_from_params
from crossdesk.core.printing import PDF_OPENAPI, api_pdf_response
from crossdesk.core.records.package import ZIP_OPENAPI, package_response
from crossdesk.core.schemas import error_responses
from crossdesk.org.selectors import Roles, roles_for

from . import filters, flows, permissions, selectors, services
from .models import ActionItem, Meeting
from .printing import meeting_form, meeting_package
from .schemas import (
    ActionItemDetailOut,
    ActionItemFilterIn,
    ActionItemFromRequestIn,
    ActionItemIn,
    ActionItemPageOut,
    CirculateIn,
    CompleteIn,
    DepartmentIn,
    MaterialOut,
    MeetingDraftIn,
    MeetingListFilter,
    MeetingOut,
    MeetingPageOut,
    MeetingUpdateIn,
    MinutesIn,
    NoticeIn,
    NoticeTimingOut,
    ObjectionIn,
    ReasonIn,
    RescheduleIn,
    SectionDiffOut,
    StatusIn,
    WorkItemOut,
)

router = Router(tags=["meetings"])

WRITE_ERRORS = error_responses(400, 403, 404, 409)
BINARY = {
    "description": "The file, as a download",
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}


# --- helpers ------------------------------------------------------------------------------


def _roles(request) -> Roles:
    return roles_for(request.auth)


def _detail(roles: Roles, meeting_id: int) -> Meeting:
    """The meeting as its page shows it, with the actions the caller may take now."""
    page = selectors.meeting_page(roles=roles, pk=meeting_id)
    page.actions_sorted = sorted(page.actions)
    for part in page.participations:
        answer = page.current_responses.get(part.pk)
        part.response = answer.kind if answer else None
        part.actions = sorted(page.part_actions.get(part.pk, ()))
    page.participants_out = page.participations
    for item in page.action_items:
        item.detail_actions = page.item_actions.get(item.pk, set())
    meeting = page.meeting
    meeting.detail = page
    return meeting


def _call(roles: Roles, meeting_id: int, service, **kwargs):
    """Run a service; a caller who may not see the meeting gets 404 rather than 403, so its
    existence does not leak (checked only on refusal: the happy path pays nothing)."""
    try:
        return service(meeting_id=meeting_id, **kwargs)
    except PermissionDeniedError:
        if roles.person is not None or roles.is_admin:
            selectors.meeting_get_for_viewer(roles=roles, pk=meeting_id)
        raise


def _act(request, meeting_id: int, service, **kwargs) -> Meeting:
    roles = _roles(request)
    _call(roles, meeting_id, service, actor=request.auth, **kwargs)
    return _detail(roles, meeting_id)


def _item(roles: Roles, item_id: int) -> ActionItem:
    item = selectors.action_item_get_for_viewer(roles=roles, pk=item_id)
    item.detail_actions = permissions.item_actions(roles, item)
    return item


def _item_call(request, item_id: int, service, **kwargs) -> ActionItem:
    roles = _roles(request)
    try:
        service(actor=request.auth, item_id=item_id, **kwargs)
    except PermissionDeniedError:
        selectors.action_item_get_for_viewer(roles=roles, pk=item_id)
        raise
    return _item(roles, item_id)


# --- reads --------------------------------------------------------------------------------


@router.get("/", response={200: MeetingPageOut, **error_responses(400)})
def meeting_list(request, query: Query[MeetingListFilter]):
    """Meetings the caller may see, filtered, sorted and paginated (limit/offset + total)."""
    params = query.dict()
    meeting_filter = filters.meeting_filter_from_params(params)
    window = window_from_params(params)
    rows = selectors.meeting_list(roles=_roles(request), filters=meeting_filter)
    return {
        "count": rows.count(),
        "limit": window.limit,
        "offset": window.offset,
        "items": list(rows[window.offset : window.offset + window.limit]),
    }


@router.get("/workbench", response={200: list[WorkItemOut], **error_responses()})
def workbench(request):
    """What waits for the caller across meetings: action items, minutes to write, revise,
    confirm or sign. Overdue first, then by deadline."""
    return selectors.workbench_items(roles=_roles(request))


@router.get("/action-items", response={200: ActionItemPageOut, **error_responses(400)})
def action_item_list(request, query: Query[ActionItemFilterIn]):
    """Tracked action items of meetings and requests the caller may see, and their own."""
    roles = _roles(request)
    params = query.dict()
    item_filter = filters.action_item_filter_from_params(params, roles=roles)
    window = window_from_params(params)
    rows = selectors.action_item_list(roles=roles, filters=item_filter)
    items = list(rows[window.offset : window.offset + window.limit])
    for item in items:
        item.detail_actions = permissions.item_actions(roles, item)
    return {"count": rows.count(), "limit": window.limit, "offset": window.offset, "items": items}


@router.get("/action-items/{int:item_id}", response={200: ActionItemDetailOut, **error_responses(404)})
def action_item_detail(request, item_id: int):
    """One action item with its history of updates."""
    return _item(_roles(request), item_id)


@router.get("/{int:meeting_id}", response={200: MeetingOut, **error_responses(404)})
def meeting_detail(request, meeting_id: int):
    """One meeting: participants, the minutes being written, the circulated versions and
    answers, action items, materials, history, deadlines, and what the caller may do now."""
    return _detail(_roles(request), meeting_id)


@router.get("/{int:meeting_id}/notice-timing", response={200: NoticeTimingOut | None, **error_responses(404)})
def notice_timing(request, meeting_id: int):
    """Whether a notice sent now is early enough (≥ 3 working days), and the last on-time day."""
    return selectors.notice_timing(roles=_roles(request), pk=meeting_id)


@router.get("/{int:meeting_id}/diff", response={200: list[SectionDiffOut], **error_responses(404)})
def minutes_diff(request, meeting_id: int, from_version: int, to_version: int):
    """What changed between two circulated versions of the minutes, section by section."""
    return selectors.minutes_diff(
        roles=_roles(request), pk=meeting_id, from_version=from_version, to_version=to_version
    )


@router.get(
    "/{int:meeting_id}/invite.ics",
    response=error_responses(404, 409),
    url_name="meeting_invitation",
    openapi_extra={
        "responses": {
            "200": {
                "description": "RFC 5545 calendar invitation",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def invitation(request, meeting_id: int):
    """The calendar invitation (METHOD:REQUEST), or the cancellation (METHOD:CANCEL)."""
    found = selectors.meeting_invitation(
        roles=_roles(request), pk=meeting_id, base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(found.text, content_type=f"text/calendar; charset=utf-8; method={found.method}")
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response


@router.get(
    "/{int:meeting_id}/materials/{int:material_id}",
    response=error_responses(404),
    url_name="meeting_material_download",
    openapi_extra={"responses": {"200": BINARY}},
)
def material_download(request, meeting_id: int, material_id: int):
    """Download a material; 404 unless the caller may see its meeting."""
    material = selectors.material_for_viewer(
        roles=_roles(request), meeting_id=meeting_id, material_id=material_id
    )
    return file_response(material)


@router.get(
    "/{int:meeting_id}/pdf",
    response=error_responses(404, 503),
    url_name="meeting_pdf",
    openapi_extra=PDF_OPENAPI,
)
def meeting_pdf(request, meeting_id: int):
    """The printed record [001] as PDF; 404 unless the caller may see the meeting, 503 when
    the server cannot make PDFs (Pango missing)."""
    page = selectors.meeting_page(roles=_roles(request), pk=meeting_id)
    return api_pdf_response(request, meeting_form(page))


@router.get(
    "/{int:meeting_id}/archive.zip",
    response=error_responses(404, 409),
    url_name="meeting_archive_package",
    openapi_extra=ZIP_OPENAPI,
)
def meeting_archive_package(request, meeting_id: int):
    """The archived meeting as one zip (printed record, materials, record and history as
    JSON, sign-off digests, manifest); 409 before it is archived, 404 unless visible."""
    page = selectors.meeting_page(roles=_roles(request), pk=meeting_id)
    return package_response(*meeting_package(page))


# --- drafts and the notice ----------------------------------------------------------------


@router.post("/", response={201: MeetingOut, **error_responses(400, 403)})
def meeting_create(request, payload: MeetingDraftIn):
    """Start a draft. Nothing is required until the notice is sent."""
    created = services.meeting_create_draft(actor=request.auth, data=payload.dict(exclude_unset=True))
    return Status(201, _detail(_roles(request), created.pk))


@router.patch("/{int:meeting_id}", response={200: MeetingOut, **WRITE_ERRORS})
def meeting_update(request, meeting_id: int, payload: MeetingUpdateIn):
    """Change a draft. Send the ``version`` you read: if someone saved in between, 409."""
    data = payload.dict(exclude_unset=True, exclude={"version"})
    return _act(request, meeting_id, services.meeting_update_draft, data=data, version=payload.version)


@router.post("/{int:meeting_id}/notice", response={200: MeetingOut, **WRITE_ERRORS})
def meeting_notice(request, meeting_id: int, payload: NoticeIn):
    """Send the notice: the meeting gets its number and every invitee is told. Less than 3
    working days ahead needs ``late_reason`` (400 naming it otherwise)."""
    return _act(request, meeting_id, services.meeting_send_notice, **payload.dict())


@router.post("/{int:meeting_id}/reschedule", response={200: MeetingOut, **WRITE_ERRORS})
def meeting_reschedule(request, meeting_id: int, payload: RescheduleIn):
    """Move the meeting or change its place or agenda, with the reason; invitees get the update."""
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason")
    version = changes.pop("version", None)
    return _act(request, meeting_id, services.meeting_reschedule, reason=reason, version=version, **changes)


@router.post("/{int:meeting_id}/cancel", response={200: MeetingOut, **WRITE_ERRORS})
def meeting_cancel(request, meeting_id: int, payload: ReasonIn):
    """Call the meeting off (before it is held), with the reason; invitees get a cancellation."""
    return _act(request, meeting_id, services.meeting_cancel, reason=payload.reason)


@router.post("/{int:meeting_id}/held", response={200: MeetingOut, **WRITE_ERRORS})
def meeting_held(request, meeting_id: int):
    """The meeting took place: the minutes are due (2 working days; a kickoff 24 hours)."""
    return _act(request, meeting_id, services.meeting_mark_held)


@router.post("/{int:meeting_id}/archive", response={200: MeetingOut, **WRITE_ERRORS})
def meeting_archive(request, meeting_id: int):
    """Archive a signed or cancelled meeting: read-only from now on, kept at least two years."""
    return _act(request, meeting_id, services.meeting_archive)


@router.post("/{int:meeting_id}/materials", response={201: MaterialOut, **WRITE_ERRORS})
def material_upload(request, meeting_id: int, file: File[UploadedFile]):
    """Add a material (multipart, field ``file``; size and type limited)."""
    material = _call(_roles(request), meeting_id, services.material_add, actor=request.auth, upload=file)
    return Status(201, material)


# --- the minutes --------------------------------------------------------------------------


@router.put("/{int:meeting_id}/minutes", response={200: MeetingOut, **WRITE_ERRORS})
def minutes_save(request, meeting_id: int, payload: MinutesIn):
    """Save the minutes (also the autosave). Send the ``minutes_version`` you read: a stale
    one is refused with 409 and nothing is lost on the server."""
    data = payload.dict(exclude_unset=True)
    version = data.pop("minutes_version")
    return _act(request, meeting_id, services.minutes_save, data=data, minutes_version=version)


@router.post("/{int:meeting_id}/circulate", response={200: MeetingOut, **WRITE_ERRORS})
def minutes_circulate(request, meeting_id: int, payload: CirculateIn):
    """Circulate the minutes for confirmation; each representative has 1 working day to answer."""
    return _act(request, meeting_id, services.minutes_circulate, **payload.dict())


@router.post("/{int:meeting_id}/confirm", response={200: MeetingOut, **WRITE_ERRORS})
def minutes_confirm(request, meeting_id: int, payload: DepartmentIn):
    """A department's representative confirms the circulated minutes."""
    return _act(request, meeting_id, services.minutes_confirm, department_id=payload.department)


@router.post("/{int:meeting_id}/object", response={200: MeetingOut, **WRITE_ERRORS})
def minutes_object(request, meeting_id: int, payload: ObjectionIn):
    """A department's representative objects, saying what is wrong."""
    return _act(
        request, meeting_id, services.minutes_object, text=payload.text, department_id=payload.department
    )


@router.post("/{int:meeting_id}/revise", response={200: MeetingOut, **WRITE_ERRORS})
def minutes_revise(request, meeting_id: int):
    """The recorder takes up the objections; the minutes are edited and circulated again."""
    return _act(request, meeting_id, services.minutes_revise)


@router.post("/{int:meeting_id}/sign", response={200: MeetingOut, **WRITE_ERRORS})
def minutes_sign(request, meeting_id: int, payload: DepartmentIn):
    """A participating department's head signs the confirmed minutes (签字确认)."""
    return _act(request, meeting_id, services.minutes_sign, department_id=payload.department)


# --- action items -------------------------------------------------------------------------


@router.post("/{int:meeting_id}/action-items", response={201: ActionItemDetailOut, **WRITE_ERRORS})
def action_item_create(request, meeting_id: int, payload: ActionItemIn):
    """Add an action item to the minutes being written; tracked from circulation."""
    roles = _roles(request)
    data = payload.dict(exclude_unset=True)
    version = data.pop("minutes_version", None)
    item = _call(
        roles, meeting_id, services.action_item_create, actor=request.auth, data=data, minutes_version=version
    )
    return Status(201, _item(roles, item.pk) if item.activated_at else _untracked(roles, item))


def _untracked(roles: Roles, item: ActionItem) -> ActionItem:
    """An item not tracked yet is shown through its meeting (the list shows tracked ones)."""
    page = selectors.meeting_page(roles=roles, pk=item.meeting_id)
    found = next(i for i in page.action_items if i.pk == item.pk)
    found.detail_actions = set()
    return found


@router.post("/action-items/from-request", response={201: ActionItemDetailOut, **WRITE_ERRORS})
def action_item_from_request(request, payload: ActionItemFromRequestIn):
    """Raise a tracked action item on a collaboration request (people involved in it only)."""
    roles = _roles(request)
    item = flows.action_item_from_request(actor=request.auth, **payload.dict())
    return Status(201, _item(roles, item.pk))


@router.post("/action-items/{int:item_id}/status", response={200: ActionItemDetailOut, **WRITE_ERRORS})
def action_item_status(request, item_id: int, payload: StatusIn):
    """The owner reports progress: in progress, or delayed with the reason (and a new deadline)."""
    return _item_call(request, item_id, services.action_item_update_status, **payload.dict())


@router.post("/action-items/{int:item_id}/complete", response={200: ActionItemDetailOut, **WRITE_ERRORS})
def action_item_complete(request, item_id: int, payload: CompleteIn):
    """The owner reports completion with the result (within 1 working day of finishing)."""
    return _item_call(request, item_id, services.action_item_complete, **payload.dict())


@router.post("/action-items/{int:item_id}/cancel", response={200: ActionItemDetailOut, **WRITE_ERRORS})
def action_item_cancel(request, item_id: int, payload: ReasonIn):
    """The initiator, recorder or follow-up person drops an item no longer needed."""
    return _item_call(request, item_id, services.action_item_cancel, reason=payload.reason)
