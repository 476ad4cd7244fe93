"""API shapes of collaboration requests: <Noun>In for bodies, <Noun>Out for answers,
<Noun>Filter for list queries. Datetimes go out in ISO 8601 with the local offset."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict

from crossdesk.core.schemas import (
    DepartmentRefOut,
    DocumentOut,
    LocalDateTime,
    PageIn,
    PageOut,
    PersonRefOut,
    enum_field,
)
from crossdesk.deadlines.schemas import TimeLeftOut
from crossdesk.deadlines.selectors import time_left

from .choices import PartRole, PartStatus, RequestStatus, RequestType, Urgency
from .selectors import SORTS


def _part_id(scope: str) -> int | None:
    if scope.startswith("part:") and scope[5:].isdigit():
        return int(scope[5:])
    return None


# --- references ---------------------------------------------------------------------------


# --- lists ---------------------------------------------------------------------------------


class RequestListFilter(PageIn):
    """Query parameters of the request list. Every one is checked: a value that makes no
    sense is refused with 400 and ``field`` naming the parameter."""

    status: str = Field(
        "",
        description="One status, several separated by commas, or `open` (submitted, in progress, resolved, "
        f"confirmed). Statuses: {', '.join(s for s in RequestStatus.values if s != RequestStatus.DRAFT)}",
    )
    urgency: str = Field("", description=f"One of: {', '.join(Urgency.values)}")
    type: str = Field("", description=f"One of: {', '.join(RequestType.values)}")
    overdue: str = Field("", description="`true`: only requests with an overdue deadline")
    department: str = Field("", description="Department code (or id) involved as initiator or receiver")
    direction: str = Field(
        "",
        description="With `department`: `raised` (it initiated) or `received` (it is involved); both if empty",
    )
    include_sub: str = Field("", description="`true` with `department`: its sub-departments too")
    date_from: str = Field("", description="Raised on or after this date, YYYY-MM-DD")
    date_to: str = Field("", description="Raised on or before this date, YYYY-MM-DD")
    q: str = Field("", description="Text in the number, subject, background, situation or expected outcome")
    sort: str = Field("", description=f"One of: {', '.join(SORTS)} (default -submitted_at)")


class PartSummaryOut(Schema):
    """One involved department's share, as a list row shows it."""

    id: int
    department: DepartmentRefOut
    role: str = enum_field(PartRole.values, "receiving (must act) or informed")
    status: str = enum_field(PartStatus.values, "Where this department's part stands")


class RequestListItemOut(Schema):
    id: int
    number: str | None = Field(description="XMB-2026-001; none while a draft")
    title: str
    status: str = enum_field(RequestStatus.values, "Where the request stands")
    urgency: str = enum_field(Urgency.values, "normal, urgent or critical")
    type: str = enum_field(RequestType.values, "Kind of request")
    type_other: str = Field(description="What kind, when type is other")
    initiating_department: DepartmentRefOut
    initiator: PersonRefOut
    raised_on: date | None
    submitted_at: LocalDateTime | None
    expected_completion_at: LocalDateTime | None
    next_due_at: LocalDateTime | None = Field(description="The nearest running deadline")
    is_overdue: bool = Field(description="A deadline of this request has passed")
    confidential: bool
    version: int = Field(description="Grows with every change; send it back when editing a draft")
    parts: list[PartSummaryOut]

    @staticmethod
    def resolve_parts(obj):
        if isinstance(obj, dict):  # the list builds its rows as plain values
            return obj["parts"]
        parts = getattr(obj, "detail_parts", None)
        return parts if parts is not None else list(obj.parts.all())


class RequestPageOut(PageOut):
    items: list[RequestListItemOut]


# --- one request ---------------------------------------------------------------------------


class PartOut(PartSummaryOut):
    liaison: PersonRefOut | None = Field(description="The ONE person who coordinates for this department")
    committed_at: LocalDateTime | None = Field(description="The completion time the department committed to")
    accepted_at: LocalDateTime | None
    decline_reason: str
    decline_alternative: str = Field(description="The alternative proposed when declining")
    declined_at: LocalDateTime | None
    resolution: str = Field(description="Solution / collaboration content")
    completed_at: LocalDateTime | None
    responsible: PersonRefOut | None = Field(description="The one person responsible for the resolution")
    resolved_at: LocalDateTime | None
    head: PersonRefOut | None = Field(description="The head who signed for this part")
    head_signed_at: LocalDateTime | None
    letter_version: int = Field(
        description="The current resource confirmation letter's version (0: none yet)"
    )
    letter_signed: bool = Field(description="Whether the head signed the current letter")
    actions: list[str] = Field(
        description="What the caller may do on this part now: name_liaison, accept, decline, request_info, "
        "provide_info, resolve, change_commitment, delay_reason, sign, revise_letter, sign_letter"
    )


class ClockOut(Schema):
    """A deadline running (or finished) on the request, from one time rule."""

    id: int
    key: str = Field(description="The time rule, e.g. request.respond")
    label: str
    part_id: int | None = Field(description="The part it belongs to; none for the whole request")
    department: DepartmentRefOut | None
    owner: PersonRefOut | None
    state: str = Field(description="running, paused, breached (overdue), met or cancelled")
    started_at: LocalDateTime
    due_at: LocalDateTime
    warn_at: LocalDateTime | None
    estimated: bool = Field(description="The span reaches a year whose holidays are not published yet")
    met_at: LocalDateTime | None
    breached_at: LocalDateTime | None
    delay_reason: str
    time_left: TimeLeftOut

    @staticmethod
    def resolve_key(obj) -> str:
        return obj.policy.key

    @staticmethod
    def resolve_part_id(obj) -> int | None:
        return _part_id(obj.scope)

    @staticmethod
    def resolve_time_left(obj) -> dict:
        left = time_left(obj)
        return {"status": left.status, "seconds_left": int(left.seconds_left)}


class TimelineItemOut(Schema):
    """One row of the history: a log entry, a correction, a status change, an attachment,
    a sign-off, or a deadline event (``clock_warned``, ``clock_breached``, …)."""

    at: LocalDateTime
    kind: str = Field(description="log, correction, transition, attachment, signature, or clock_<event>")
    entry_id: int | None = Field(description="The entry's id (for corrects_id); none for deadline events")
    author: PersonRefOut | None
    part_id: int | None
    department: DepartmentRefOut | None = Field(description="The part's department, when about one")
    content: str
    participants: str = Field(description="Departments / people taking part (log entries)")
    from_status: str
    to_status: str
    is_first_contact: bool
    corrects_id: int | None
    data: dict


class AttachmentOut(DocumentOut):
    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        return reverse(
            "api:request_attachment_download", kwargs={"request_id": obj.request_id, "attachment_id": obj.pk}
        )


class RequestStateOut(RequestListItemOut):
    """A request's fields and parts, and what the caller may do now. Writes answer with
    this; ``GET /{id}`` adds the deadlines, the timeline and the attachments."""

    initiator_phone: str = Field(description="Initiator's internal contact number (内部通讯号)")
    background: str
    current_situation: str
    expected_outcome: str
    resources_people: str
    resources_budget: str
    resources_material: str
    related_matter: str = Field(description="Related project or matter")
    cc_supervisor: bool
    satisfaction: int | None = Field(description="Initiator's rating, 1–5")
    satisfaction_comment: str
    remarks: str
    cancel_reason: str
    initiator_head: PersonRefOut | None = Field(description="The initiating department's head who signed")
    initiator_head_signed_at: LocalDateTime | None
    resolved_at: LocalDateTime | None
    confirmed_at: LocalDateTime | None
    signed_at: LocalDateTime | None
    archived_at: LocalDateTime | None
    retain_until: date | None = Field(description="Archived records are kept at least until this date")
    created_at: LocalDateTime
    updated_at: LocalDateTime
    actions: list[str] = Field(
        description="What the caller may do on the request now: edit, submit, cancel, log, attach, confirm, "
        "reopen, sign_initiator, archive"
    )
    parts: list[PartOut]

    @staticmethod
    def resolve_actions(obj) -> list[str]:
        return obj.detail_actions


class RequestOut(RequestStateOut):
    """Everything the request page shows, with what the caller may do now."""

    clocks: list[ClockOut]
    timeline: list[TimelineItemOut]
    attachments: list[AttachmentOut]
    broken_signatures: list[str] = Field(
        description="Departments whose sign-off no longer matches the record (changed after signing)"
    )

    # The API view loads these once (selectors.request_page) and hangs them on the record.
    @staticmethod
    def resolve_clocks(obj):
        return obj.detail_clocks

    @staticmethod
    def resolve_timeline(obj):
        return obj.detail_timeline

    @staticmethod
    def resolve_attachments(obj):
        return obj.detail_attachments


# --- bodies --------------------------------------------------------------------------------

DepartmentRef = Annotated[int | str, Field(description="Department id or code")]


class RequestDraftIn(Schema):
    """A draft's fields; all optional (a draft saves whatever was typed). Submitting checks
    that subject, background, situation, outcome, receivers and expected completion are set."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, description="Subject, at most 200 characters")
    urgency: str | None = enum_field(Urgency.values, "normal, urgent or critical", default=None)
    type: str | None = enum_field(RequestType.values, "Kind of request", default=None)
    type_other: str | None = Field(None, description="What kind, when type is other")
    initiating_department: DepartmentRef | None = Field(
        None, description="A department the caller belongs to (default: their primary one)"
    )
    initiator_phone: str | None = Field(None, description="Internal contact number")
    background: str | None = None
    current_situation: str | None = None
    expected_outcome: str | None = None
    resources_people: str | None = None
    resources_budget: str | None = None
    resources_material: str | None = None
    expected_completion_at: datetime | None = Field(None, description="ISO 8601; local time when no offset")
    related_matter: str | None = None
    cc_supervisor: bool | None = Field(None, description="Copy the initiating department's supervisor")
    confidential: bool | None = None
    receiving_departments: list[DepartmentRef] | None = Field(None, description="Departments that must act")
    informed_departments: list[DepartmentRef] | None = Field(None, description="Departments kept informed")


class RequestUpdateIn(RequestDraftIn):
    version: int = Field(description="The version you read; a stale one is refused with 409")


class SubmitIn(Schema):
    version: int | None = Field(None, description="The version you read; a stale one is refused with 409")


class ReasonIn(Schema):
    reason: str = Field(description="Why (required, not blank)")


class CancelIn(ReasonIn):
    version: int | None = Field(None, description="The version you read; a stale one is refused with 409")


class LogIn(Schema):
    content: str = Field(description="What was discussed or agreed (up to 5,000 characters)")
    participants: str = Field("", description="Departments / people taking part")
    part_id: int | None = Field(None, description="The department part this entry is about")
    is_first_contact: bool = Field(
        False, description="The first confirmation call or meeting (initiator only)"
    )
    corrects_id: int | None = Field(
        None, description="The log entry this one corrects (entries are never edited)"
    )


class LogEntryOut(Schema):
    id: int
    kind: str
    at: LocalDateTime
    author: PersonRefOut | None
    part_id: int | None
    content: str
    participants: str
    is_first_contact: bool
    corrects_id: int | None


class ConfirmIn(Schema):
    satisfaction: int = Field(description="1 (very unsatisfied) – 5 (very satisfied)")
    comment: str = ""
    remarks: str = Field("", description="Reason when unfinished, follow-ups")


class MilestoneIn(Schema):
    date: date
    title: str = Field(description="What is reached on that date")


class LetterFieldsIn(Schema):
    """The 部门资源确认函 [004]: what the department commits (every field optional)."""

    liaison_contact: str = Field("", description="The liaison's contact; their internal number when empty")
    liaison_duties: str = ""
    people_names: str = Field("", description="People committed, by name")
    people_count: int | None = Field(None, description="People committed, as a count")
    budget: Decimal | None = Field(None, description="Budget committed, in yuan")
    material: str = ""
    resources_from: date | None = None
    resources_to: date | None = None
    milestones: list[MilestoneIn] = Field(default_factory=list, description="First milestone dates")
    risks: str = ""


class AcceptIn(LetterFieldsIn):
    liaison_id: int = Field(description="The ONE person of the department who coordinates")
    committed_at: datetime = Field(description="Committed completion time, in the future")
    note: str = ""


class LetterReviseIn(LetterFieldsIn):
    liaison_id: int = Field(description="The ONE person of the department who coordinates")
    change_reason: str = Field(description="What changes and why (required)")


class MilestoneOut(Schema):
    date: str
    title: str


class LetterOut(Schema):
    id: int
    request_id: int
    part_id: int
    department: DepartmentRefOut = Field(alias="part.department")
    version: int
    decision: str = Field(description="accept or decline")
    liaison: PersonRefOut | None
    liaison_contact: str
    liaison_duties: str
    people_names: str
    people_count: int | None
    budget: Decimal | None
    material: str
    resources_from: date | None
    resources_to: date | None
    milestones: list[MilestoneOut]
    risks: str
    decline_reason: str
    alternative: str
    change_reason: str = Field(description="Why this version was written (empty on the first)")
    author: PersonRefOut
    created_at: LocalDateTime
    head: PersonRefOut | None = Field(description="The head who signed this version")
    head_signed_at: LocalDateTime | None
    head_signature: str


class DeclineIn(Schema):
    reason: str
    alternative: str = Field(description="A proposed alternative (required)")


class QuestionIn(Schema):
    question: str = Field(description="What information is needed; the part's clocks pause meanwhile")


class AnswerIn(Schema):
    answer: str


class ResolveIn(Schema):
    resolution: str = Field(description="Solution / collaboration content")
    responsible_id: int = Field(description="The ONE person responsible")
    completed_at: datetime | None = Field(
        None, description="Completion time (default now; not in the future)"
    )


class CommitmentIn(Schema):
    committed_at: datetime = Field(description="The new committed completion time")
    reason: str = Field(description="Why the date changes; everyone involved is told")


class LiaisonIn(Schema):
    liaison_id: int


class RequestRefOut(Schema):
    """A request named by another record."""

    id: int
    number: str | None
    title: str
    status: str
    urgency: str
    initiating_department: DepartmentRefOut


class WorkItemOut(Schema):
    """One thing waiting for the caller."""

    what: str = Field(
        description="respond, resolve, provide_info, confirm, sign, sign_initiator, draft or follow_up"
    )
    request: RequestRefOut
    part_id: int | None
    department: DepartmentRefOut | None = Field(description="The part's department, when about one")
    due_at: LocalDateTime | None
    overdue: bool

    @staticmethod
    def resolve_part_id(obj) -> int | None:
        return obj.part.pk if obj.part else None

    @staticmethod
    def resolve_department(obj):
        return obj.part.department if obj.part else None
