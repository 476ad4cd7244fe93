"""API shapes of projects: <Noun>In for bodies, <Noun>Out for answers, <Noun>Filter for
queries. Dates in ISO 8601; datetimes with the local offset."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from ninja import Field, Schema
from pydantic import ConfigDict, create_model

from crossdesk.core.schemas import DepartmentRefOut, LocalDateTime, PersonRefOut, enum_field

from .choices import ProjectStatus, TaskHealth, TaskStatus
from .models import ChangeRequest, CommunicationPlanEntry, Lesson
from .selectors.changes import broken_signatures
from .services import comms as comm_services


def changes_to(
    schema: type[Schema], name: str, *, without=(), doc: str = "", version_doc: str = ""
) -> type[Schema]:
    """The body of a PATCH of what ``schema`` creates: ``version`` (the one read) and every
    other field but ``without``, each optional, so that only the fields sent change."""
    fields: dict[str, Any] = {
        field: (info.annotation | None, None)
        for field, info in schema.model_fields.items()
        if field not in without
    }
    version = (int, Field(description=version_doc or None))
    return create_model(name, __base__=Schema, __doc__=doc or None, version=version, **fields)


# --- the charter -----------------------------------------------------------------------------


class ProjectListFilter(Schema):
    status: str = ""
    department: str = ""
    lead: str = ""
    mine: str = ""
    q: str = ""
    sort: str = ""
    limit: str = ""
    offset: str = ""


class EventOut(Schema):
    id: int
    kind: str
    at: str
    author: str | None
    from_status: str
    to_status: str
    content: str
    task_id: int | None


class ParticipantIn(Schema):
    department: int | str = Field(description="Department id or code")
    liaison: int | None = Field(None, description="Person id; the department's default liaison if empty")
    duties: str = ""


class GoalMetricIn(Schema):
    id: int | None = Field(None, description="Keep and change this metric; omit for a new one")
    metric: str = ""
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    target_date: date | None = None


class ProjectIn(Schema):
    """A new charter. Participants each with exactly one liaison; goal metrics may be
    incomplete in a draft (the SMART check lists what is missing)."""

    name: str
    initiating_department: int | str = Field(description="Department id or code; you must belong to it")
    lead: int | None = Field(None, description="Person id; you if empty")
    background: str = ""
    core_goal: str = ""
    expected_outcomes: str = ""
    planned_start: date | None = None
    planned_finish: date | None = None
    confidential: bool = False
    participants: list[ParticipantIn] = []
    goal_metrics: list[GoalMetricIn] = []


ProjectUpdateIn = changes_to(
    ProjectIn,
    "ProjectUpdateIn",
    without=("initiating_department", "participants"),
    doc="Only the fields sent change. ``goal_metrics`` replaces the list (``id`` keeps a row).",
    version_doc="The version you read; a stale one is refused with 409",
)


class ParticipantSetIn(Schema):
    department: int | str
    liaison: int | None = None
    duties: str = ""


class MeasurementIn(Schema):
    value: Decimal
    measured_on: date | None = None
    note: str = ""


class SubGoalIn(Schema):
    department: int | str
    description: str
    metric: str
    unit: str = ""
    target: Decimal | None = None
    higher_is_better: bool = True
    deadline: date | None = None
    recurrence: str = Field("", description="'' (one deadline), daily, weekly, monthly or within_hours")
    at_time: time | None = None
    weekday: int | None = Field(None, description="0 = Monday … 6 = Sunday")
    day_of_month: int | None = None
    within_hours: int | None = None


SubGoalUpdateIn = changes_to(SubGoalIn, "SubGoalUpdateIn", without=("department",))


class ProgressIn(Schema):
    value: Decimal
    period_start: date | None = None
    period_end: date | None = None
    note: str = ""


class KickoffIn(Schema):
    """Either ``meeting`` (link an existing kickoff meeting) or the new meeting's time and place."""

    version: int | None = None
    meeting: int | None = None
    starts_at: str | None = Field(None, description="2026-10-12T10:00")
    ends_at: str | None = None
    place: str = ""
    online_platform: str = ""
    online_meeting_id: str = ""
    online_link: str = ""
    recorder: int | None = None
    late_reason: str = Field("", description="Needed when the meeting is less than 3 working days away")


class ReasonIn(Schema):
    version: int | None = None
    reason: str = ""


class VersionIn(Schema):
    version: int | None = None


class ParticipantOut(Schema):
    id: int
    department: DepartmentRefOut
    is_initiating: bool
    liaison: PersonRefOut
    duties: str


class GoalMetricOut(Schema):
    id: int
    metric: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    target_date: date | None
    current: Decimal | None
    measured_on: date | None
    progress_percent: int | None = Field(description="How far from baseline to target, 0–100")
    version: int


class SubGoalOut(Schema):
    id: int
    participation_id: int
    description: str
    metric: str
    unit: str
    target: Decimal
    higher_is_better: bool
    deadline: date | None
    recurrence: str
    at_time: time | None
    weekday: int | None
    day_of_month: int | None
    within_hours: int | None
    version: int
    latest_value: Decimal | None = None
    latest_met: bool | None = None


class ProjectListItemOut(Schema):
    id: int
    number: str
    name: str
    status: str = enum_field(ProjectStatus.values, "draft, kicked_off, running, closing, closed or archived")
    initiating_department: DepartmentRefOut
    lead: PersonRefOut
    planned_start: date | None
    planned_finish: date | None
    confidential: bool
    task_count: int = 0
    troubled_count: int = Field(0, description="Open tasks behind, blocked or overdue")
    done_count: int = 0
    version: int


class ProjectPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProjectListItemOut]


class ProjectOut(Schema):
    id: int
    number: str
    name: str
    status: str = enum_field(ProjectStatus.values, "draft, kicked_off, running, closing, closed or archived")
    initiating_department: DepartmentRefOut
    lead: PersonRefOut
    background: str
    core_goal: str
    expected_outcomes: str
    planned_start: date | None
    planned_finish: date | None
    confidential: bool
    kickoff_meeting_id: int | None
    kicked_off_at: LocalDateTime | None
    running_since: LocalDateTime | None
    closing_since: LocalDateTime | None
    closed_at: LocalDateTime | None
    archived_at: LocalDateTime | None
    retain_until: date | None
    version: int
    participants: list[ParticipantOut]
    goal_metrics: list[GoalMetricOut]
    sub_goals: list[SubGoalOut]
    smart_problems: list[str] = Field(description="What keeps the goal from being SMART; empty when it is")
    health_counts: dict[str, int] = Field(description="Tasks per health")
    actions: list[str] = Field(description="What the caller may do now")


# --- tasks and RACI ----------------------------------------------------------------------------


class TaskIn(Schema):
    code: str = Field("", description="T01 … given automatically if empty")
    title: str
    description: str = ""
    responsible: int | str = Field(description="The ONE responsible department (R): id or code")
    owner: int | None = Field(
        None, description="A person of the responsible department; its liaison if empty"
    )
    delivery_standard: str = ""
    deliverable: str = ""
    planned_start: date
    planned_finish: date
    accountable: int | str | None = Field(None, description="The department holding A (at most one)")
    collaborators: list[int | str] = Field([], description="Departments consulted (C)")
    informed: list[int | str] = Field([], description="Departments informed (I)")


TaskUpdateIn = changes_to(TaskIn, "TaskUpdateIn")


class RaciCellIn(Schema):
    version: int | None = None
    participation: int = Field(
        description="The participation id (``participants[].id``), not the department id"
    )
    role: str = Field(description="R, A, C, I or '' to clear")


class RoleOut(Schema):
    participation_id: int
    department_code: str
    role: str


class TaskOut(Schema):
    id: int
    project_id: int
    code: str
    title: str
    description: str
    responsible: ParticipantOut
    owner: PersonRefOut
    delivery_standard: str
    deliverable: str
    planned_start: date
    planned_finish: date
    actual_start: date | None
    actual_finish: date | None
    progress: int
    status: str = enum_field(TaskStatus.values, "not_started, in_progress, done or cancelled")
    health: str = enum_field(TaskHealth.values, "derived, never typed")
    version: int
    roles: list[RoleOut] = Field(description="Every participating department's role on the task (R/A/C/I/'')")
    no_accountable: bool = Field(description="Flagged: the task has no A")


class RaciOut(Schema):
    tasks: list[TaskOut]
    participants: list[ParticipantOut]
    tasks_without_a: list[int]
    departments_without_role: list[int] = Field(description="Participations holding no role on any task")


# --- tracking -----------------------------------------------------------------------------------


class ProgressUpdateIn(Schema):
    version: int | None = None
    progress: int | None = Field(None, description="0–100")
    status: str = Field("", description="in_progress or done (or back to in_progress from done)")
    actual_start: date | None = None
    actual_finish: date | None = None
    note: str = ""


class ProblemIn(Schema):
    description: str
    blocking: bool = False
    support_needed: str = ""


class ResolveIn(Schema):
    resolution: str


class ProblemOut(Schema):
    id: int
    task_id: int
    description: str
    blocking: bool
    support_needed: str
    raised_by: PersonRefOut
    raised_at: LocalDateTime
    resolved_at: LocalDateTime | None
    resolution: str


class TaskUpdateOut(Schema):
    id: int
    kind: str
    at: LocalDateTime
    author: PersonRefOut | None
    progress: int | None
    # The API keeps its names; the row stores them as the record layer's history fields.
    from_value: str = Field(validation_alias="from_status")
    to_value: str = Field(validation_alias="to_status")
    note: str = Field(validation_alias="content")
    by: str = Field(validation_alias="who", description="The person, or the system and why")
    data: dict[str, Any]


class CoordinationMeetingIn(Schema):
    starts_at: str
    ends_at: str | None = None
    place: str = ""
    online_platform: str = ""
    online_meeting_id: str = ""
    recorder: int | None = None
    late_reason: str = ""


class CoordinationIn(Schema):
    version: int | None = None
    meeting: int = Field(description="The special coordination meeting that decided it")
    measures: str
    owner: int = Field(description="ONE person owning the measures")
    new_deadline: date


class CoordinationOut(Schema):
    id: int
    task_id: int
    status: str
    trigger: str
    opened_at: LocalDateTime
    due_at: LocalDateTime = Field(description="48 hours after the task turned troubled")
    meeting_id: int | None
    measures: str
    owner: PersonRefOut | None
    new_deadline: date | None
    old_planned_finish: date | None
    recorded_at: LocalDateTime | None
    recorded_late: bool
    version: int


class TaskDetailOut(TaskOut):
    updates: list[TaskUpdateOut]
    problems: list[ProblemOut]
    coordinations: list[CoordinationOut]
    actions: list[str]


class GanttRowOut(Schema):
    task_id: int
    code: str
    title: str
    health: str
    planned_start: date
    planned_finish: date
    actual_start: date | None
    actual_finish: date | None
    replanned_from: str | None


# --- weekly reports -----------------------------------------------------------------------------


class WeeklyReportOut(Schema):
    id: int
    project_id: int
    week_start: date
    week_end: date
    generated_at: LocalDateTime
    recipients: int
    content: dict[str, Any]


# --- the communication plan -------------------------------------------------------------


class CommEntryIn(Schema):
    scenario: str | None = None
    scenario_detail: str | None = None
    channel: str | None = None
    frequency: str | None = None
    weekdays: list[int] | None = None
    at_time: str | None = None
    working_days_only: bool | None = None
    duration_minutes: int | None = None
    first_date: str | None = None
    last_date: str | None = None
    participants: list[int] | None = None
    participants_note: str | None = None
    output: str | None = None
    output_detail: str | None = None
    owner: int | None = None
    meeting_kind: str | None = None
    place: str | None = None
    version: int | None = None


class CommEntryOut(Schema):
    id: int
    scenario: str
    scenario_label: str = Field(validation_alias="get_scenario_display")
    scenario_detail: str
    channel: str
    channel_label: str = Field(validation_alias="get_channel_display")
    frequency: str
    frequency_text: str
    weekdays: list[int]
    at_time: str | None
    working_days_only: bool
    duration_minutes: int
    first_date: date | None
    last_date: date | None
    participants: list[int]
    participants_note: str
    output: str
    output_label: str = Field(validation_alias="get_output_display")
    output_detail: str
    owner: int = Field(validation_alias="owner_id")
    owner_name: str = Field(validation_alias="owner.name")
    meeting_kind: str
    place: str
    is_active: bool
    version: int

    @staticmethod
    def resolve_frequency_text(obj: CommunicationPlanEntry) -> str:
        return comm_services.frequency_text(obj)

    @staticmethod
    def resolve_at_time(obj: CommunicationPlanEntry) -> str | None:
        return obj.at_time.strftime("%H:%M") if obj.at_time else None

    @staticmethod
    def resolve_participants(obj: CommunicationPlanEntry) -> list[int]:
        return [p.pk for p in obj.participants.all()]


class OccurrenceOut(Schema):
    id: int
    entry: int = Field(validation_alias="entry_id")
    on_date: date
    starts_at: LocalDateTime
    status: str
    status_label: str = Field(validation_alias="get_status_display")
    note: str
    meeting: int | None = Field(None, validation_alias="meeting_id")
    meeting_number: str | None = Field(None, validation_alias="meeting.number")
    meeting_status: str | None = Field(None, validation_alias="meeting.status")


class CommPlanOut(Schema):
    entries: list[CommEntryOut]
    occurrences: list[OccurrenceOut]


class GeneratedOut(Schema):
    meetings_called: int


# --- change requests and plan versions --------------------------------------------------


class ChangeIn(Schema):
    title: str
    aspects: list[str] = []
    description: str
    reason: str
    impact: str = ""
    proposal: dict[str, Any] = {}
    departments: list[int | str] = []


class DecisionIn(Schema):
    decision: str
    comment: str = ""
    department: int | str | None = None
    version: int | None = None


class ApprovalOut(Schema):
    department: int = Field(validation_alias="department_id")
    department_name: str = Field(validation_alias="department.name")
    decision: str
    decision_label: str = Field(validation_alias="get_decision_display")
    head: int | None = Field(None, validation_alias="head_id")
    head_name: str | None = Field(None, validation_alias="head.name")
    comment: str
    decided_at: LocalDateTime | None


class ChangeOut(Schema):
    id: int
    project: int = Field(validation_alias="project_id")
    number: int
    title: str
    aspects: list[str]
    description: str
    reason: str
    impact: str
    proposal: dict[str, Any]
    status: str
    status_label: str = Field(validation_alias="get_status_display")
    requested_by: int = Field(validation_alias="requested_by_id")
    requested_by_name: str = Field(validation_alias="requested_by.name")
    requesting_department: int = Field(validation_alias="requesting_department_id")
    submitted_at: LocalDateTime | None
    decided_at: LocalDateTime | None
    applied_at: LocalDateTime | None
    approvals: list[ApprovalOut]
    # Departments whose head's signed decision no longer matches the stored content.
    broken_signatures: list[str]
    version: int

    @staticmethod
    def resolve_approvals(obj: ChangeRequest) -> list:
        return list(obj.approvals.all())

    @staticmethod
    def resolve_broken_signatures(obj: ChangeRequest) -> list[str]:
        return broken_signatures(obj)


class PlanVersionOut(Schema):
    number: int
    reason: str
    change_request: int | None = Field(None, validation_alias="change_request_id")
    created_at: LocalDateTime
    created_by_name: str = Field(validation_alias="created_by.name")


class PlanVersionDetailOut(PlanVersionOut):
    snapshot: dict[str, Any]


class DiffRowOut(Schema):
    what: str
    key: str
    field: str
    old: Any = None
    new: Any = None


# --- deliverables -----------------------------------------------------------------------


class DeliverableIn(Schema):
    name: str = ""
    description: str = ""


class ReviewIn(Schema):
    comment: str = ""
    version: int | None = None


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    kind: str
    round: int
    url: str


class RoundOut(Schema):
    round: int
    submitted_by: str
    at: LocalDateTime
    note: str
    late: bool
    rework_due_at: LocalDateTime | None
    evidence: list[EvidenceOut]
    decision: str | None
    reviewer: str | None
    comment: str | None
    reviewed_at: LocalDateTime | None


class DeliverableOut(Schema):
    id: int
    project: int = Field(validation_alias="project_id")
    task: int | None = Field(None, validation_alias="task_id")
    task_code: str | None
    name: str
    description: str
    delivery_standard: str
    responsible: str
    status: str
    status_label: str
    round: int
    rework_due_at: LocalDateTime | None
    accepted_at: LocalDateTime | None
    rounds: list[RoundOut]
    actions: list[str]
    version: int


# --- the close: retrospective, archive list, knowledge base -----------------------------


class LessonIn(Schema):
    id: int | None = None
    title: str = ""
    body: str = ""
    recommendation: str = ""
    tags: list[str] = []
    departments: list[int | str] = []


class RetrospectiveIn(Schema):
    summary: str | None = None
    went_well: str | None = None
    to_improve: str | None = None
    lessons: list[LessonIn] | None = None
    version: int | None = None


class LessonOut(Schema):
    id: int
    title: str
    body: str
    recommendation: str
    tags: list[str]
    departments: list[int]
    department_names: list[str]
    project: int | None = Field(None, validation_alias="project_id")
    project_number: str | None = Field(None, validation_alias="project.number")
    project_name: str | None = Field(None, validation_alias="project.name")
    published_at: LocalDateTime | None

    @staticmethod
    def resolve_body(obj: Lesson) -> str:
        return obj.lesson

    @staticmethod
    def resolve_departments(obj: Lesson) -> list[int]:
        return [d.pk for d in obj.departments.all()]

    @staticmethod
    def resolve_department_names(obj: Lesson) -> list[str]:
        return [d.name for d in obj.departments.all()]


class RetrospectiveOut(Schema):
    project: int
    status: str
    summary: str
    went_well: str
    to_improve: str
    due_at: LocalDateTime | None
    finalised_at: LocalDateTime | None
    lessons: list[LessonOut]
    version: int


class ArchiveItemOut(Schema):
    kind: str
    title: str
    ref: str = ""
    url: str = ""
    date: str | None = None
    note: str = ""


class ArchiveOut(Schema):
    project: int
    stored: bool
    retain_until: date | None
    items: list[ArchiveItemOut]


class LessonPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[LessonOut]


class ChatRobotOut(Schema):
    """A robot of the project's group chat; its webhook's token and secret are never shown."""

    id: int
    kind: str
    name: str
    host: str = Field(description="Where the webhook points (the token is not shown)")
    signed: bool
    is_active: bool

    @staticmethod
    def resolve_host(robot) -> str:
        return urlsplit(robot.webhook_url).netloc

    @staticmethod
    def resolve_signed(robot) -> bool:
        return bool(robot.secret)


class GroupChatOut(Schema):
    chat_admin: PersonRefOut | None
    robots: list[ChatRobotOut]
    version: int


class ChatAdminIn(Schema):
    model_config = ConfigDict(extra="forbid")

    chat_admin: int | None = Field(None, description="The 群管理员's person id; null clears it")
    version: int | None = None


class ChatRobotIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = enum_field(["dingtalk", "wecom", "feishu"], "DingTalk, WeCom or Feishu")
    name: str
    webhook_url: str
    secret: str = ""
