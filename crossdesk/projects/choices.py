"""States and kinds of cross-department projects (SPEC §5 [002][003][004])."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crossdesk.core.records import Machine


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    KICKED_OFF = "kicked_off", _("Kicked off")
    RUNNING = "running", _("Running")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


# The one map of moves a project may make. Kicked off → running happens when the kickoff
# meeting's minutes are final; closing → closed needs the retrospective (the close step).
TRANSITIONS: dict[str, set[str]] = {
    ProjectStatus.DRAFT: {ProjectStatus.KICKED_OFF},
    ProjectStatus.KICKED_OFF: {ProjectStatus.RUNNING},
    ProjectStatus.RUNNING: {ProjectStatus.CLOSING},
    ProjectStatus.CLOSING: {ProjectStatus.RUNNING, ProjectStatus.CLOSED},
    ProjectStatus.CLOSED: {ProjectStatus.ARCHIVED},
    ProjectStatus.ARCHIVED: set(),
}

# The charter (basic information, goal, participants, sub-goals) may be edited until the
# project closes; after that only the close step writes.
CHARTER_EDITABLE = (
    ProjectStatus.DRAFT,
    ProjectStatus.KICKED_OFF,
    ProjectStatus.RUNNING,
    ProjectStatus.CLOSING,
)
# Tasks are planned from the draft on and tracked while the project is live.
PLAN_EDITABLE = CHARTER_EDITABLE
TRACKING_OPEN = (ProjectStatus.KICKED_OFF, ProjectStatus.RUNNING, ProjectStatus.CLOSING)
LIVE = (ProjectStatus.KICKED_OFF, ProjectStatus.RUNNING, ProjectStatus.CLOSING)
READ_ONLY = (ProjectStatus.CLOSED, ProjectStatus.ARCHIVED)


class Recurrence(models.TextChoices):
    """How often a sub-goal is due when it has no single deadline [002]."""

    NONE = "", _("One deadline")
    DAILY = "daily", _("Daily by a time")
    WEEKLY = "weekly", _("Weekly on a day")
    MONTHLY = "monthly", _("Monthly on a day")
    WITHIN_HOURS = "within_hours", _("Within hours of a request")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("task status", "In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


TASK_TRANSITIONS: dict[str, set[str]] = {
    TaskStatus.NOT_STARTED: {TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED},
    TaskStatus.IN_PROGRESS: {TaskStatus.DONE, TaskStatus.CANCELLED},
    TaskStatus.DONE: {TaskStatus.IN_PROGRESS},  # reopened when a deliverable is sent back
    TaskStatus.CANCELLED: set(),
}
OPEN_TASK_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


class TaskHealth(models.TextChoices):
    """Derived from dates, progress and open blocking problems, never typed [002][003][004]."""

    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    BLOCKED = "blocked", _("Blocked")
    OVERDUE = "overdue", _("Overdue")
    DONE_EARLY = "done_early", _("Done early")
    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    CANCELLED = "cancelled", _("Cancelled")


# A task turning into one of these needs a special coordination meeting within 48 h [003].
TROUBLED = (TaskHealth.BEHIND, TaskHealth.BLOCKED, TaskHealth.OVERDUE)


class RaciRole(models.TextChoices):
    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


# R lives on the task itself (its one responsible department); the cells hold A, C and I.
CELL_ROLES = (RaciRole.ACCOUNTABLE, RaciRole.CONSULTED, RaciRole.INFORMED)


class TaskUpdateKind(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    PROGRESS = "progress", _("Progress update")
    STATUS = "status", _("Status change")
    HEALTH = "health", _("Health changed")
    PROBLEM = "problem", _("Problem raised")
    PROBLEM_RESOLVED = "problem_resolved", _("Problem resolved")
    COORDINATION = "coordination", _("Coordination recorded")
    REPLANNED = "replanned", _("Dates changed")
    RACI = "raci", _("Roles changed")


class CoordinationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the coordination meeting")
    RECORDED = "recorded", _("Measures recorded")
    WITHDRAWN = "withdrawn", _("No longer needed")


class CommScenario(models.TextChoices):
    PROGRESS_SYNC = "progress_sync", _("Progress sync")
    DECISION = "decision", _("Decision")
    RISK_WARNING = "risk_warning", _("Risk warning")
    REVIEW = "review", _("Review")
    OTHER = "other", _("Other")


class CommChannel(models.TextChoices):
    CHAT_GROUP = "chat_group", _("Chat group")
    WEEKLY_MEETING = "weekly_meeting", _("Weekly meeting")
    SPECIAL_MEETING = "special_meeting", _("Special meeting")
    EMAIL = "email", _("E-mail")
    OTHER = "other", _("Other")


# The channels whose regular rows are meetings (notice, minutes, sign-offs); a chat-group,
# e-mail or other row is a reminder to its owner at its time, never a numbered meeting.
MEETING_CHANNELS = (CommChannel.WEEKLY_MEETING, CommChannel.SPECIAL_MEETING)


class CommFrequency(models.TextChoices):
    REALTIME = "realtime", _("Real time")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")
    ONCE = "once", _("Once")
    AS_NEEDED = "as_needed", _("As needed")


# Frequencies that produce dated meeting occurrences [002][003].
REGULAR_FREQUENCIES = (
    CommFrequency.DAILY,
    CommFrequency.WEEKLY,
    CommFrequency.BIWEEKLY,
    CommFrequency.MONTHLY,
    CommFrequency.ONCE,
)


class CommOutput(models.TextChoices):
    WEEKLY_LIST = "weekly_list", _("Weekly progress list")
    ISSUE_LIST = "issue_list", _("Issue list")
    RISK_PLAN = "risk_plan", _("Risk plan")
    MINUTES = "minutes", _("Minutes")
    CHAT_RECORD = "chat_record", _("Chat record")
    OTHER = "other", _("Other")


class OccurrenceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SCHEDULED = "scheduled", _("Meeting scheduled")
    HELD = "held", _("Held")
    SKIPPED = "skipped", _("Skipped")


class ChangeAspect(models.TextChoices):
    GOAL = "goal", _("Goal")
    SCOPE = "scope", _("Scope")
    DATES = "dates", _("Dates")
    RESOURCES = "resources", _("Resources")


class ChangeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CHANGE_TRANSITIONS: dict[str, set[str]] = {
    ChangeStatus.DRAFT: {ChangeStatus.SUBMITTED, ChangeStatus.WITHDRAWN},
    ChangeStatus.SUBMITTED: {ChangeStatus.APPROVED, ChangeStatus.REJECTED, ChangeStatus.WITHDRAWN},
    ChangeStatus.APPROVED: set(),
    ChangeStatus.REJECTED: set(),
    ChangeStatus.WITHDRAWN: set(),
}


class ApprovalDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DeliverableStatus(models.TextChoices):
    PLANNED = "planned", _("Not yet submitted")
    SUBMITTED = "submitted", _("Submitted for acceptance")
    RETURNED = "returned", _("Sent back for rework")
    ACCEPTED = "accepted", _("Accepted")


DELIVERABLE_TRANSITIONS: dict[str, set[str]] = {
    DeliverableStatus.PLANNED: {DeliverableStatus.SUBMITTED},
    DeliverableStatus.SUBMITTED: {DeliverableStatus.ACCEPTED, DeliverableStatus.RETURNED},
    DeliverableStatus.RETURNED: {DeliverableStatus.SUBMITTED},
    DeliverableStatus.ACCEPTED: set(),
}


class EvidenceKind(models.TextChoices):
    REPORT = "report", _("Report")
    FILE = "file", _("File")
    FEEDBACK = "feedback", _("Feedback")
    OTHER = "other", _("Other")


class ReviewDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Sent back")


class RetrospectiveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class ProjectEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    TRANSITION = "transition", _("Status change")
    EDITED = "edited", _("Charter changed")
    PARTICIPANT = "participant", _("Participants changed")
    GOAL = "goal", _("Goal changed")
    GOAL_MEASURED = "goal_measured", _("Goal measured")
    SUB_GOAL = "sub_goal", _("Sub-goal changed")
    SUB_GOAL_PROGRESS = "sub_goal_progress", _("Sub-goal progress")
    KICKOFF = "kickoff", _("Kickoff scheduled")
    TASK = "task", _("Task changed")
    RACI = "raci", _("RACI changed")
    COORDINATION = "coordination", _("Coordination")
    WEEKLY_REPORT = "weekly_report", _("Weekly progress list")
    COMMUNICATION = "communication", _("Communication plan")
    CHANGE = "change", _("Change request")
    PLAN_VERSION = "plan_version", _("Plan version")
    DELIVERABLE = "deliverable", _("Deliverable")
    RETROSPECTIVE = "retrospective", _("Retrospective")
    LESSON = "lesson", _("Lesson learned")
    ARCHIVE = "archive", _("Archived")


# The machines of the two maps (CONVENTIONS habit 3): the refusal and the history row of a move.
PROJECT_MACHINE = Machine(
    TRANSITIONS,
    ProjectStatus,
    history="projects.ProjectEvent",
    refusal=_("A project that is “%(old)s” cannot become “%(new)s”."),
    transition_kind=ProjectEventKind.TRANSITION,
)
TASK_MACHINE = Machine(
    TASK_TRANSITIONS,
    TaskStatus,
    history="projects.TaskUpdate",
    refusal=_("A task that is “%(old)s” cannot become “%(new)s”."),
    transition_kind=TaskUpdateKind.STATUS,
)
