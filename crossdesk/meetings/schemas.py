"""API shapes of meetings, minutes and action items: <Noun>In for bodies, <Noun>Out for
answers. Datetimes go out in ISO 8601 with the local offset; references to departments,
people and requests have the request API's shapes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict

from crossdesk.collaboration.schemas import RequestRefOut
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

from .choices import ActionStatus, MeetingKind, MeetingStatus, NextStep, ResponseKind

DepartmentRef = Annotated[int | str, Field(description="Department id or code")]


# --- lists --------------------------------------------------------------------------------


class MeetingListFilter(PageIn):
    """Query parameters of the meeting list; a value that makes no sense is a 400 naming it."""

    kind: str = Field("", description=f"One of: {', '.join(MeetingKind.values)}")
    status: str = Field(
        "", description=f"One status or several, comma-separated: {', '.join(MeetingStatus.values)}"
    )
    department: str = Field("", description="Department code (or id), initiating or taking part")
    date_from: str = Field("", description="Meeting on or after this date, YYYY-MM-DD")
    date_to: str = Field("", description="Meeting on or before this date, YYYY-MM-DD")
    q: str = Field("", description="Text in the number, subject, background, goal or place")
    sort: str = Field("", description="-starts_at (default), starts_at, number, -number, status, -created_at")


class MeetingListItemOut(Schema):
    id: int
    number: str | None = Field(description="2026-MKT-001; none until the notice is sent")
    title: str
    kind: str = enum_field(
        MeetingKind.values, "kickoff, regular sync, special coordination, review, retrospective"
    )
    status: str = enum_field(MeetingStatus.values, "Where the meeting and its minutes stand")
    starts_at: LocalDateTime | None
    ends_at: LocalDateTime | None
    place: str
    online_platform: str
    online_meeting_id: str
    online_link: str
    location: str = Field(
        description="Place, or platform and meeting ID, as one line", validation_alias="location_text"
    )
    initiating_department: DepartmentRefOut
    initiator: PersonRefOut
    recorder: PersonRefOut | None
    departments: list[DepartmentRefOut] = Field(description="Participating departments, initiating first")
    version: int = Field(description="Grows with every change of the meeting; send it back when editing")
    minutes_version: int = Field(description="Grows with every save of the minutes; send it back when saving")
    circulation: int = Field(description="How many times the minutes were circulated")
    sequence: int = Field(description="The calendar invitation's SEQUENCE")

    @staticmethod
    def resolve_departments(obj):
        return [p.department for p in obj.departments.all()]


class MeetingPageOut(PageOut):
    items: list[MeetingListItemOut]


# --- one meeting --------------------------------------------------------------------------


class ParticipationOut(Schema):
    """A participating department: its invitees, representative, answer and sign-off."""

    id: int
    department: DepartmentRefOut
    is_initiating: bool
    representative: PersonRefOut | None = Field(description="Confirms or objects to the minutes")
    invitees: list[PersonRefOut]
    response: str | None = Field(description="confirm or object: the answer to the version now circulated")
    head: PersonRefOut | None = Field(description="The head who signed")
    head_signed_at: LocalDateTime | None
    actions: list[str] = Field(
        description="What the caller may do for this department now: confirm, object, sign"
    )

    @staticmethod
    def resolve_invitees(obj):
        return [i.person for i in obj.invitees.all()]


class MinutesOut(Schema):
    """The minutes as being written (the circulated ones are in ``versions``)."""

    discussion: list[dict] = Field(description='[{"topic", "points"}]')
    disagreements: list[dict] = Field(
        description='[{"topic", "views": [{"department", "person", "position"}], "next_step", "note"}]'
    )
    consensus: list[str]
    minutes_version: int
    minutes_updated_at: LocalDateTime | None


class ActionItemOut(Schema):
    id: int
    meeting_id: int | None
    request_id: int | None
    position: int
    action: str
    owner: PersonRefOut | None = Field(description="The ONE person responsible")
    department: DepartmentRefOut | None = Field(
        description="The owner's department (escalations go to its head)"
    )
    due_at: LocalDateTime | None
    support_needed: str
    support_department: DepartmentRefOut | None
    follow_up_person: PersonRefOut | None = Field(description="跟进人: who follows the item up")
    status: str = enum_field(ActionStatus.values, "not_started, in_progress, delayed, done or cancelled")
    delay_reason: str
    progress_note: str
    result: str = Field(description="The execution feedback reported with completion")
    completed_at: LocalDateTime | None
    reported_at: LocalDateTime | None
    reported_late: bool = Field(description="Completion was reported more than 1 working day after finishing")
    activated_at: LocalDateTime | None = Field(
        description="Tracked since (a meeting's items: from circulation)"
    )
    is_overdue: bool
    version: int
    actions: list[str] = Field(description="What the caller may do now: update_status, complete")

    @staticmethod
    def resolve_actions(obj) -> list[str]:
        return sorted(getattr(obj, "detail_actions", ()))


class ActionItemUpdateOut(Schema):
    at: LocalDateTime
    kind: str
    author: PersonRefOut | None
    from_status: str
    to_status: str
    note: str = Field(description="What the update says", validation_alias="content")
    data: dict


class ActionItemDetailOut(ActionItemOut):
    updates: list[ActionItemUpdateOut]

    @staticmethod
    def resolve_updates(obj):
        return list(obj.updates.all())


class ActionItemPageOut(PageOut):
    items: list[ActionItemOut]


class MinutesVersionOut(Schema):
    number: int
    content: dict = Field(
        description="The minutes exactly as circulated: discussion, disagreements, consensus, action_items"
    )
    digest: str
    circulated_at: LocalDateTime
    circulated_by: PersonRefOut
    note: str


class ResponseOut(Schema):
    id: int
    version: int = Field(validation_alias="minutes.number")
    department: DepartmentRefOut = Field(validation_alias="participation.department")
    person: PersonRefOut
    kind: str = enum_field(ResponseKind.values, "confirm or object")
    text: str
    at: LocalDateTime


class MaterialOut(DocumentOut):
    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        return reverse(
            "api:meeting_material_download", kwargs={"meeting_id": obj.meeting_id, "material_id": obj.pk}
        )


class EventOut(Schema):
    at: LocalDateTime
    kind: str = Field(
        description="transition, notice, update, cancellation, circulation, confirmation, objection, signature, material"
    )
    author: PersonRefOut | None
    from_status: str
    to_status: str
    content: str
    data: dict


class MeetingClockOut(Schema):
    """A deadline on the meeting: the minutes (owner: the recorder) or a department's answer."""

    id: int
    key: str = Field(description="meeting.minutes or meeting.objection", validation_alias="policy.key")
    label: str
    scope: str = Field(description="dept:<participation id> for a department's answer; revision:<n>")
    department: DepartmentRefOut | None
    owner: PersonRefOut | None
    state: str
    started_at: LocalDateTime
    due_at: LocalDateTime
    warn_at: LocalDateTime | None
    met_at: LocalDateTime | None
    breached_at: LocalDateTime | None
    time_left: TimeLeftOut

    @staticmethod
    def resolve_time_left(obj) -> dict:
        left = time_left(obj)
        return {"status": left.status, "seconds_left": int(left.seconds_left)}


class MeetingOut(MeetingListItemOut):
    """Everything the meeting page shows, with what the caller may do now."""

    background: str
    goal: str
    agenda: list[dict] = Field(description='[{"topic", "presenter", "duration"}] (duration in minutes)')
    related_matter: str
    request: RequestRefOut | None = Field(
        description="The collaboration request the meeting is about (null when the caller may not open it)"
    )
    confidential: bool
    notice_sent_at: LocalDateTime | None
    notice_lead_days: int | None = Field(description="Working days between the notice and the meeting")
    notice_late_reason: str = Field(description="Why the notice was shorter than the rule")
    held_at: LocalDateTime | None
    cancel_reason: str
    cancelled_at: LocalDateTime | None
    circulated_at: LocalDateTime | None
    confirmed_at: LocalDateTime | None
    signed_at: LocalDateTime | None
    archived_at: LocalDateTime | None
    retain_until: date | None = Field(description="Archived records are kept at least until this date")
    created_at: LocalDateTime
    updated_at: LocalDateTime

    @staticmethod
    def resolve_request(obj):
        return getattr(obj, "shown_request", None)

    actions: list[str] = Field(
        description="What the caller may do now: edit, send_notice, reschedule, cancel, mark_held, write_minutes, "
        "circulate, revise, attach, archive"
    )
    # The API view loads these once (selectors.meeting_page) and hangs them on the record.
    participants: list[ParticipationOut] = Field(validation_alias="detail.participants_out")
    minutes: MinutesOut
    action_items: list[ActionItemDetailOut] = Field(validation_alias="detail.action_items")
    versions: list[MinutesVersionOut] = Field(validation_alias="detail.versions")
    responses: list[ResponseOut] = Field(validation_alias="detail.responses")
    materials: list[MaterialOut] = Field(validation_alias="detail.materials")
    events: list[EventOut] = Field(validation_alias="detail.events")
    clocks: list[MeetingClockOut] = Field(validation_alias="detail.clocks")
    broken_signatures: list[str] = Field(
        description="Departments whose sign-off no longer matches the record (changed after signing)",
        validation_alias="detail.broken_signatures",
    )

    @staticmethod
    def resolve_actions(obj) -> list[str]:
        return obj.detail.actions_sorted

    @staticmethod
    def resolve_departments(obj):
        return [p.department for p in obj.detail.participations]

    @staticmethod
    def resolve_minutes(obj):
        return obj


class SectionDiffOut(Schema):
    section: str = Field(description="discussion, disagreements, consensus or action_items")
    label: str
    changed: bool
    unified: str = Field(description="A unified diff of the section's lines")
    html: str = Field(description="A side-by-side HTML table (difflib), empty when unchanged")


class NoticeTimingOut(Schema):
    on_time: bool = Field(description="A notice sent now meets the rule")
    lead_days: int = Field(description="Working days from today up to the meeting's day")
    required_days: int
    latest_date: date | None = Field(description="The last day a notice is on time")


class WorkItemOut(Schema):
    """One thing waiting for the caller across meetings."""

    what: str = Field(
        description="action_item, write_minutes, revise_minutes, confirm_minutes or sign_minutes"
    )
    title: str
    url: str
    due_at: LocalDateTime | None
    overdue: bool
    meeting_id: int | None
    action_item_id: int | None

    @staticmethod
    def resolve_meeting_id(obj) -> int | None:
        return obj.meeting.pk if obj.meeting else None

    @staticmethod
    def resolve_action_item_id(obj) -> int | None:
        return obj.item.pk if obj.item else None


# --- bodies -------------------------------------------------------------------------------


class AgendaItemIn(Schema):
    topic: str = ""
    presenter: str = ""
    duration: int | None = Field(None, description="Minutes")


class ParticipantIn(Schema):
    department: DepartmentRef
    people: list[int] = Field(default_factory=list, description="Invitees: person ids of this department")
    representative: int | None = Field(None, description="One of the invitees; confirms the minutes")


class MeetingDraftIn(Schema):
    """A draft's fields; all optional. Sending the notice checks subject, time, place or link,
    goal, agenda, recorder and participants."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, description="Subject, at most 200 characters")
    kind: str | None = enum_field(MeetingKind.values, "Kind of meeting", default=None)
    starts_at: datetime | None = Field(None, description="ISO 8601; local time when no offset")
    ends_at: datetime | None = None
    place: str | None = None
    online_platform: str | None = Field(None, description="e.g. 腾讯会议, 钉钉, 飞书")
    online_meeting_id: str | None = None
    online_link: str | None = None
    initiating_department: DepartmentRef | None = Field(
        None, description="A department the caller belongs to"
    )
    recorder: int | None = Field(None, description="Person id of the recorder (default: the initiator)")
    background: str | None = None
    goal: str | None = Field(None, description="Expected outcome")
    agenda: list[AgendaItemIn] | None = None
    participants: list[ParticipantIn] | None = Field(
        None, description="Participating departments with invitees; the initiating department is always one"
    )
    request: int | None = Field(None, description="Id of a collaboration request the meeting is about")
    related_matter: str | None = None
    confidential: bool | None = Field(
        None,
        description="Only the people named in it and the heads and supervisors of its departments see it",
    )


class MeetingUpdateIn(MeetingDraftIn):
    version: int = Field(description="The version you read; a stale one is refused with 409")


class NoticeIn(Schema):
    late_reason: str = Field("", description="Required when the meeting is less than 3 working days away")
    version: int | None = None


class RescheduleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(description="Why it changes (required); everyone invited is told")
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = None
    online_platform: str | None = None
    online_meeting_id: str | None = None
    online_link: str | None = None
    agenda: list[AgendaItemIn] | None = None
    version: int | None = None


class ReasonIn(Schema):
    reason: str = Field(description="Why (required, not blank)")


class ViewIn(Schema):
    department: int | None = None
    person: int | None = None
    position: str = ""


class DiscussionIn(Schema):
    topic: str = ""
    points: str = ""


class DisagreementIn(Schema):
    topic: str = ""
    views: list[ViewIn] = Field(default_factory=list)
    next_step: str = enum_field(["", *NextStep.values], "evaluate (further) or next_meeting", default="")
    note: str = ""


class MinutesItemIn(Schema):
    id: int | None = Field(None, description="An existing item's id; without one a new item is added")
    action: str = ""
    owner: int | None = Field(None, description="Person id of the ONE person responsible")
    due_at: datetime | None = None
    support_needed: str = ""
    support_department: DepartmentRef | None = None


class MinutesIn(Schema):
    """Any section sent replaces that section; leave out what did not change."""

    model_config = ConfigDict(extra="forbid")

    minutes_version: int = Field(description="The minutes version you read; a stale one is refused with 409")
    discussion: list[DiscussionIn] | None = None
    disagreements: list[DisagreementIn] | None = None
    consensus: list[str] | None = None
    action_items: list[MinutesItemIn] | None = Field(
        None, description="The whole list: items left out are removed (cancelled once tracked)"
    )


class CirculateIn(Schema):
    minutes_version: int | None = None
    note: str = Field("", description="What changed (for a revised version)")


class DepartmentIn(Schema):
    department: DepartmentRef | None = Field(
        None, description="The department you answer or sign for; needed only when you may act for several"
    )


class ObjectionIn(DepartmentIn):
    text: str = Field(description="What is wrong and how it should read (required)")


class ActionItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: str
    owner: int | None = None
    due_at: datetime | None = None
    support_needed: str = ""
    support_department: DepartmentRef | None = None
    minutes_version: int | None = None


class ActionItemFromRequestIn(Schema):
    request_id: int
    action: str
    owner_id: int = Field(description="The ONE person responsible")
    due_at: datetime
    support_needed: str = ""
    support_department: DepartmentRef | None = None


class ActionItemFilterIn(PageIn):
    owner: str = Field("", description="A person id, or `me`")
    status: str = Field("", description=f"One or several, comma-separated: {', '.join(ActionStatus.values)}")
    overdue: str = Field("", description="`true`: only open items past their deadline")
    meeting: str = Field("", description="Meeting id")
    request: str = Field("", description="Collaboration request id")
    due_from: str = Field("", description="Deadline on or after, YYYY-MM-DD")
    due_to: str = Field("", description="Deadline on or before, YYYY-MM-DD")
    sort: str = Field("", description="due_at (default), -due_at, status, -created_at")


class StatusIn(Schema):
    status: str = enum_field([ActionStatus.IN_PROGRESS, ActionStatus.DELAYED], "in_progress or delayed")
    note: str = Field("", description="Progress so far")
    reason: str = Field("", description="Required when delayed")
    new_due_at: datetime | None = Field(None, description="With a delay: the new deadline")
    version: int | None = None


class CompleteIn(Schema):
    result: str = Field(description="What was done (执行情况反馈)")
    completed_at: datetime | None = Field(None, description="When it was finished (default now)")
    version: int | None = None
