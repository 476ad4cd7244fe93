"""Collaboration requests API under /api/v1/requests/ (SPEC §3).

Thin: every read goes through ``selectors`` (visibility built in), every write through
the same ``services`` as the pages, so the permission and state checks are the pages'
own (403 wrong person, 409 wrong moment, 400 bad input, each with a message). A request
the caller may not see is a 404 for every operation, so its existence does not leak.
"""

from __future__ import annotations

from ninja import File, Query, Router, Schema, Status, UploadedFile

from crossdesk.core.errors import NotFoundError, PermissionDeniedError
from crossdesk.core.files import file_response
from crossdesk.core.filters import Window, window_from_params
from crossdesk.core.printing import PDF_OPENAPI, api_pdf_response
from crossdesk.core.records.package import ZIP_OPENAPI, package_response
from crossdesk.core.schemas import error_responses
from crossdesk.org.selectors import Roles, department_id, department_ids, roles_for

from . import filters, permissions, selectors, services
from .exporting import request_xlsx
from .models import Request, RequestPart
from .printing import letter_form, request_form, request_package
from .schemas import (
    AcceptIn,
    AnswerIn,
    AttachmentOut,
    CancelIn,
    CommitmentIn,
    ConfirmIn,
    DeclineIn,
    LetterOut,
    LetterReviseIn,
    LiaisonIn,
    LogEntryOut,
    LogIn,
    QuestionIn,
    ReasonIn,
    RequestDraftIn,
    RequestListFilter,
    RequestOut,
    RequestPageOut,
    RequestStateOut,
    RequestUpdateIn,
    ResolveIn,
    SubmitIn,
    WorkItemOut,
)

router = Router(tags=["requests"])

WRITE_ERRORS = error_responses(400, 403, 404, 409)


# --- helpers ------------------------------------------------------------------------------


def _roles(request) -> Roles:
    return roles_for(request.auth)


def _visible(roles: Roles, request_id: int) -> Request:
    """404 before anything else when the caller may not see the request."""
    return selectors.request_get_for_viewer(roles=roles, pk=request_id)


def _timeline_item(item: selectors.TimelineItem, departments: dict) -> dict:
    if item.entry is not None:
        entry = item.entry
        return {
            "at": entry.at,
            "kind": entry.kind,
            "entry_id": entry.pk,
            "author": entry.author,
            "part_id": entry.part_id,
            "department": entry.part.department if entry.part_id else None,
            "content": entry.content,
            "participants": entry.participants,
            "from_status": entry.from_status,
            "to_status": entry.to_status,
            "is_first_contact": entry.is_first_contact,
            "corrects_id": entry.corrects_id,
            "data": entry.data,
        }
    event = item.event
    part_id = _scope_part(event.clock.scope)
    return {
        "at": event.at,
        "kind": item.kind,
        "entry_id": None,
        "author": None,
        "part_id": part_id,
        "department": departments.get(part_id),
        "content": event.clock.label or event.clock.policy.name,
        "participants": "",
        "from_status": "",
        "to_status": "",
        "is_first_contact": False,
        "corrects_id": None,
        "data": event.data,
    }


def _scope_part(scope: str) -> int | None:
    return int(scope[5:]) if scope.startswith("part:") and scope[5:].isdigit() else None


def _detail(roles: Roles, request_id: int) -> Request:
    """The request as the page shows it, with the actions the caller may take now."""
    page = selectors.request_page(roles=roles, pk=request_id)
    record = page.request
    for part in page.parts:
        part.actions = sorted(page.part_actions.get(part.pk, ()))
    departments = {part.pk: part.department for part in page.parts}
    record.detail_actions = sorted(page.actions)
    record.detail_parts = page.parts
    record.detail_clocks = page.clocks
    record.detail_timeline = [_timeline_item(item, departments) for item in page.timeline]
    record.detail_attachments = page.attachments
    record.broken_signatures = page.broken_signatures
    return record


def _state(roles: Roles, request_id: int, changed: object = None) -> Request:
    """The request after a change, with its parts and what the caller may do next
    (one or two queries; the page's timeline and deadlines are left to ``GET /{id}``).

    ``changed`` is what the service returned: when it is the request itself, the caller
    just acted on it (so may see it) and it is not read again.
    """
    if isinstance(changed, Request) and changed.pk == request_id:
        record = changed
        parts = getattr(record, "loaded_parts", None)
    else:
        record, parts = _visible(roles, request_id), None
    if parts is None:
        parts = list(
            record.parts.select_related("department", "liaison", "responsible", "head").order_by("id")
        )
    for part in parts:
        part.actions = sorted(permissions.part_actions(roles, record, part))
    record.detail_actions = sorted(permissions.request_actions(roles, record, parts))
    record.detail_parts = parts
    return record


def _draft_data(payload: RequestDraftIn) -> dict:
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    for name in ("receiving_departments", "informed_departments"):
        if data.get(name) is not None:
            data[name] = department_ids(data[name], field=name)
    if data.get("initiating_department") is not None:
        data["initiating_department"] = department_id(
            data["initiating_department"], field="initiating_department"
        )
    return data


# --- reads --------------------------------------------------------------------------------


@router.get("/", response={200: RequestPageOut, **error_responses(400)})
def request_list(request, query: Query[RequestListFilter]):
    """Requests the caller may see (drafts excepted), filtered, sorted and paginated with
    limit/offset and the total count. The same filter as the department inbox page."""
    params = query.dict()
    request_filter = filters.request_filter_from_params(params)
    window = window_from_params(params)
    rows = selectors.request_list(roles=_roles(request), filters=request_filter)
    return {
        "count": rows.count(),
        "limit": window.limit,
        "offset": window.offset,
        "items": _list_items(rows, window),
    }


LIST_VALUES = (
    "id", "number", "title", "status", "urgency", "type", "type_other", "raised_on", "submitted_at",
    "expected_completion_at", "next_due_at", "is_overdue", "confidential", "version",
    "initiating_department_id", "initiating_department__code", "initiating_department__name",
    "initiator_id", "initiator__name",
)  # fmt: skip


def _list_items(rows, window: Window) -> list[dict]:
    """One page of the selector's rows as plain values: two queries and no model instances,
    which halves the time of a 50-row page (the filter and visibility stay the selector's)."""
    page = list(
        rows.prefetch_related(None).values(*LIST_VALUES)[window.offset : window.offset + window.limit]
    )
    parts: dict[int, list[dict]] = {row["id"]: [] for row in page}
    for part in (
        RequestPart.objects.filter(request_id__in=list(parts))
        .order_by("id")
        .values("id", "request_id", "role", "status", "department_id", "department__code", "department__name")
    ):
        parts[part["request_id"]].append(
            {
                "id": part["id"],
                "role": part["role"],
                "status": part["status"],
                "department": {
                    "id": part["department_id"],
                    "code": part["department__code"],
                    "name": part["department__name"],
                },
            }
        )
    items = []
    for row in page:
        item = {k: v for k, v in row.items() if "__" not in k and not k.endswith("_id")}
        item["initiating_department"] = {
            "id": row["initiating_department_id"],
            "code": row["initiating_department__code"],
            "name": row["initiating_department__name"],
        }
        item["initiator"] = {"id": row["initiator_id"], "name": row["initiator__name"]}
        item["parts"] = parts[row["id"]]
        items.append(item)
    return items


@router.get("/export.xlsx", response={200: None, **error_responses(400)})
def request_export(request, query: Query[RequestListFilter]):
    """The filtered requests (every page, not only ``limit``) as .xlsx with Chinese headers:
    the same filter and rows as the list, the same columns as the inbox page's export."""
    request_filter = filters.request_filter_from_params(query.dict())
    rows = selectors.request_list(roles=_roles(request), filters=request_filter)
    return request_xlsx(rows.iterator(chunk_size=500))


@router.get("/workbench", response={200: list[WorkItemOut], **error_responses()})
def workbench(request):
    """What waits for the caller across requests: overdue first, then by deadline."""
    return selectors.workbench_items(roles=_roles(request))


@router.get("/{int:request_id}", response={200: RequestOut, **error_responses(404)})
def request_detail(request, request_id: int):
    """One request: its parts, deadlines with time left, timeline, attachments, and the
    actions the caller may take now (on the request and on each part)."""
    return _detail(_roles(request), request_id)


@router.get(
    "/{int:request_id}/attachments/{int:attachment_id}",
    response=error_responses(404),
    url_name="request_attachment_download",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as a download",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def attachment_download(request, request_id: int, attachment_id: int):
    """Download an attachment; 404 unless the caller may see its request."""
    record = _visible(_roles(request), request_id)
    attachment = record.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFoundError("No such attachment.")
    return file_response(attachment)


@router.get(
    "/{int:request_id}/pdf",
    response=error_responses(404, 503),
    url_name="request_pdf",
    openapi_extra=PDF_OPENAPI,
)
def request_pdf(request, request_id: int):
    """The printed form [000] as PDF; 404 unless the caller may see the request, 503 when
    the server cannot make PDFs (Pango missing)."""
    page = selectors.request_page(roles=_roles(request), pk=request_id)
    return api_pdf_response(request, request_form(page))


@router.get(
    "/{int:request_id}/archive.zip",
    response=error_responses(404, 409),
    url_name="request_archive_package",
    openapi_extra=ZIP_OPENAPI,
)
def request_archive_package(request, request_id: int):
    """The archived request as one zip (PDF, attachments, record and history as JSON,
    sign-off digests, manifest); 409 before it is archived, 404 unless visible."""
    page = selectors.request_page(roles=_roles(request), pk=request_id)
    return package_response(*request_package(page))


# --- drafts -------------------------------------------------------------------------------


@router.post("/", response={201: RequestStateOut, **error_responses(400, 403)})
def request_create(request, payload: RequestDraftIn):
    """Start a draft. Nothing is required until it is submitted."""
    created = services.request_create_draft(actor=request.auth, data=_draft_data(payload))
    return Status(201, _state(_roles(request), created.pk))


@router.patch("/{int:request_id}", response={200: RequestStateOut, **WRITE_ERRORS})
def request_update(request, request_id: int, payload: RequestUpdateIn):
    """Change a draft. Send the ``version`` you read: if someone saved in between, 409."""
    roles = _roles(request)
    _call(
        roles,
        request_id,
        services.request_update_draft,
        actor=request.auth,
        data=_draft_data(payload),
        version=payload.version,
    )
    return _state(roles, request_id)


def _call(roles: Roles, request_id: int, service, **kwargs):
    """Run a service; a caller who may not see the request gets 404 rather than 403, so
    its existence does not leak (checked only on refusal: the happy path pays nothing)."""
    try:
        return service(request_id=request_id, **kwargs)
    except PermissionDeniedError:
        if roles.person is not None or roles.is_admin:
            _visible(roles, request_id)
        raise


def _act(request, request_id: int, service, payload: Schema | None = None, **kwargs) -> Request:
    """Call ``service`` as the caller; the body's fields are named as its arguments."""
    roles = _roles(request)
    body = payload.model_dump() if payload is not None else {}
    changed = _call(roles, request_id, service, actor=request.auth, **body, **kwargs)
    return _state(roles, request_id, changed)


# --- the request's life -------------------------------------------------------------------


@router.post("/{int:request_id}/submit", response={200: RequestStateOut, **WRITE_ERRORS})
def request_submit(request, request_id: int, payload: SubmitIn):
    """Submit a draft: it gets its number, the receiving departments are told, clocks start."""
    return _act(request, request_id, services.request_submit, payload)


@router.post("/{int:request_id}/cancel", response={200: RequestStateOut, **WRITE_ERRORS})
def request_cancel(request, request_id: int, payload: CancelIn):
    """The initiator withdraws the request (before it is resolved), with the reason."""
    return _act(request, request_id, services.request_cancel, payload)


@router.post("/{int:request_id}/log", response={201: LogEntryOut, **WRITE_ERRORS})
def request_log(request, request_id: int, payload: LogIn):
    """Add to the communication log; everyone involved is told. Entries are never edited:
    a correction names the entry it corrects."""
    entry = _call(
        _roles(request), request_id, services.request_log, actor=request.auth, **payload.model_dump()
    )
    return Status(201, entry)


@router.post("/{int:request_id}/confirm", response={200: RequestStateOut, **WRITE_ERRORS})
def request_confirm(request, request_id: int, payload: ConfirmIn):
    """The initiator confirms the result and rates it 1–5; the heads are asked to sign."""
    return _act(request, request_id, services.request_confirm, payload)


@router.post("/{int:request_id}/reopen", response={200: RequestStateOut, **WRITE_ERRORS})
def request_reopen(request, request_id: int, payload: ReasonIn):
    """The initiator is not satisfied: resolved parts go back to work."""
    return _act(request, request_id, services.request_reopen, payload)


@router.post("/{int:request_id}/sign", response={200: RequestStateOut, **WRITE_ERRORS})
def request_sign(request, request_id: int):
    """The head of the initiating department signs (签字确认)."""
    return _act(request, request_id, services.request_sign_initiator)


@router.post("/{int:request_id}/archive", response={200: RequestStateOut, **WRITE_ERRORS})
def request_archive(request, request_id: int):
    """Archive a signed, declined or cancelled request: read-only from now on."""
    return _act(request, request_id, services.request_archive)


@router.post("/{int:request_id}/attachments", response={201: AttachmentOut, **WRITE_ERRORS})
def attachment_upload(request, request_id: int, file: File[UploadedFile]):
    """Attach a document or screenshot (multipart, field ``file``; size and type limited)."""
    attachment = _call(_roles(request), request_id, services.attachment_add, actor=request.auth, upload=file)
    return Status(201, attachment)


# --- a department's part ------------------------------------------------------------------


def _part_act(request, request_id: int, part_id: int, service, payload: Schema | None = None) -> Request:
    return _act(request, request_id, service, payload, part_id=part_id)


@router.post("/{int:request_id}/parts/{int:part_id}/accept", response={200: RequestStateOut, **WRITE_ERRORS})
def part_accept(request, request_id: int, part_id: int, payload: AcceptIn):
    """The receiving department accepts: names its liaison and commits to a completion time."""
    return _part_act(request, request_id, part_id, services.part_accept, payload)


@router.post("/{int:request_id}/parts/{int:part_id}/decline", response={200: RequestStateOut, **WRITE_ERRORS})
def part_decline(request, request_id: int, part_id: int, payload: DeclineIn):
    """The receiving department declines, with the reason and a proposed alternative."""
    return _part_act(request, request_id, part_id, services.part_decline, payload)


@router.post(
    "/{int:request_id}/parts/{int:part_id}/request-info", response={200: RequestStateOut, **WRITE_ERRORS}
)
def part_request_info(request, request_id: int, part_id: int, payload: QuestionIn):
    """Ask the initiator for information; the part's clocks pause until it is provided."""
    return _part_act(request, request_id, part_id, services.part_request_info, payload)


@router.post(
    "/{int:request_id}/parts/{int:part_id}/provide-info", response={200: RequestStateOut, **WRITE_ERRORS}
)
def part_provide_info(request, request_id: int, part_id: int, payload: AnswerIn):
    """The initiator answers; the part's clocks run again."""
    return _part_act(request, request_id, part_id, services.part_provide_info, payload)


@router.post("/{int:request_id}/parts/{int:part_id}/resolve", response={200: RequestStateOut, **WRITE_ERRORS})
def part_resolve(request, request_id: int, part_id: int, payload: ResolveIn):
    """Record the part's resolution: what was done, when, and the one person responsible."""
    return _part_act(request, request_id, part_id, services.part_resolve, payload)


@router.post(
    "/{int:request_id}/parts/{int:part_id}/change-commitment", response={200: RequestStateOut, **WRITE_ERRORS}
)
def part_change_commitment(request, request_id: int, part_id: int, payload: CommitmentIn):
    """A change of plan: a new committed time, with the reason."""
    return _part_act(request, request_id, part_id, services.part_change_commitment, payload)


@router.post(
    "/{int:request_id}/parts/{int:part_id}/delay-reason", response={200: RequestStateOut, **WRITE_ERRORS}
)
def part_delay_reason(request, request_id: int, part_id: int, payload: ReasonIn):
    """Record why the part is late."""
    return _part_act(request, request_id, part_id, services.part_record_delay_reason, payload)


@router.post(
    "/{int:request_id}/parts/{int:part_id}/name-liaison", response={200: RequestStateOut, **WRITE_ERRORS}
)
def part_name_liaison(request, request_id: int, part_id: int, payload: LiaisonIn):
    """The receiving department names its one liaison for this request."""
    return _part_act(request, request_id, part_id, services.part_name_liaison, payload)


@router.post("/{int:request_id}/parts/{int:part_id}/sign", response={200: RequestStateOut, **WRITE_ERRORS})
def part_sign(request, request_id: int, part_id: int):
    """The head of the receiving department signs for its part."""
    return _part_act(request, request_id, part_id, services.part_sign)


# --- resource confirmation letters [004] ------------------------------------------------


@router.get(
    "/{int:request_id}/parts/{int:part_id}/letters", response={200: list[LetterOut], **error_responses(404)}
)
def letter_list(request, request_id: int, part_id: int):
    """Every version of the department's 部门资源确认函, newest first (404 before the first)."""
    return selectors.letter_page(roles=_roles(request), pk=request_id, part_id=part_id).letters


@router.get(
    "/{int:request_id}/parts/{int:part_id}/letters/{int:version}/pdf",
    response=error_responses(404, 503),
    url_name="letter_pdf",
    openapi_extra=PDF_OPENAPI,
)
def letter_pdf(request, request_id: int, part_id: int, version: int):
    """One version of the letter as PDF, with its head's signature."""
    page = selectors.letter_page(roles=_roles(request), pk=request_id, part_id=part_id, version=version)
    return api_pdf_response(request, letter_form(page))


@router.post("/{int:request_id}/parts/{int:part_id}/letter", response={201: LetterOut, **WRITE_ERRORS})
def letter_revise(request, request_id: int, part_id: int, payload: LetterReviseIn):
    """Change what an accepting department committed: the next version of its letter (the
    earlier ones are kept); its head signs again."""
    written = _call(
        _roles(request),
        request_id,
        services.letter_revise,
        actor=request.auth,
        part_id=part_id,
        **payload.model_dump(),
    )
    return Status(201, _letter(request, request_id, part_id, written.version))


@router.post("/{int:request_id}/parts/{int:part_id}/letter/sign", response={200: LetterOut, **WRITE_ERRORS})
def letter_sign(request, request_id: int, part_id: int):
    """The head of the department signs the current version of its letter."""
    signed = _call(_roles(request), request_id, services.letter_sign, actor=request.auth, part_id=part_id)
    return _letter(request, request_id, part_id, signed.version)


def _letter(request, request_id: int, part_id: int, version: int):
    return selectors.letter_page(
        roles=_roles(request), pk=request_id, part_id=part_id, version=version
    ).letter
