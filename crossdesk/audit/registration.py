"""Which models the audit trail follows, and why the others are left out.

Every model of the domain apps is in exactly one of :data:`AUDITED` and :data:`EXEMPT`;
``tests/test_coverage.py`` walks the apps and fails on a model in neither, so a new model
cannot slip past the trail unnoticed.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps
from django.db import models

# Never worth recording: the moment of the row itself, or bumped on every save.
NOISE_FIELDS = frozenset({"created_at", "updated_at", "version"})

# label → fields to leave out beyond NOISE_FIELDS, ("*mask", …) to record only "changed".
AUDITED: dict[str, dict] = {
    "core.user": {"exclude": {"password", "last_login"}},  # roles: is_staff, is_superuser, is_active
    "collaboration.request": {"exclude": {"next_due_at", "is_overdue"}},  # copied from its clocks
    "collaboration.requestpart": {},
    "collaboration.attachment": {},
    "collaboration.resourceletter": {},
    "meetings.meeting": {},
    "meetings.meetingdepartment": {},
    "meetings.meetinginvitee": {},
    "meetings.meetingmaterial": {},
    "meetings.actionitem": {},
    "projects.project": {},
    "projects.projectdepartment": {},
    "projects.goalmetric": {},
    "projects.subgoal": {},
    "projects.changerequest": {},
    "projects.changeapproval": {},
    "projects.retrospective": {},
    "projects.lesson": {},
    "projects.communicationplanentry": {},
    "projects.communicationoccurrence": {},
    "projects.task": {},
    "projects.racicell": {},
    "projects.taskproblem": {},
    "projects.coordination": {},
    "projects.deliverable": {},
    "projects.deliverableevidence": {},
    "org.department": {},
    "org.person": {},
    "org.membership": {},
    "org.visibilitypolicy": {},
    "workcal.calendarday": {},
    "workcal.calendaryear": {},
    "workcal.worksettings": {},
    "deadlines.timepolicy": {},
    "notify.departmentrobot": {"mask": {"webhook_url", "secret"}},
    "notify.channelpreference": {},
    "knowledge.entry": {"exclude": {"views", "helpful", "tags_text"}},  # counters; tags are recorded
    "knowledge.helpfulmark": {},
    "reports.scorecardtarget": {},
}

APPEND_ONLY = "append-only history: written once in the change's transaction, never edited"
EXEMPT: dict[str, str] = {
    "collaboration.timelineentry": APPEND_ONLY,
    "collaboration.requestinvolvement": "an index of who is involved, copied from the request by its services",
    "meetings.meetingevent": APPEND_ONLY,
    "meetings.minutesversion": APPEND_ONLY,
    "meetings.minutesresponse": APPEND_ONLY,
    "meetings.actionitemupdate": APPEND_ONLY,
    "projects.goalmeasurement": APPEND_ONLY,
    "projects.subgoalprogress": APPEND_ONLY,
    "projects.projectevent": APPEND_ONLY,
    "projects.planversion": APPEND_ONLY,
    "projects.archivelist": APPEND_ONLY,
    "projects.taskupdate": APPEND_ONLY,
    "projects.weeklyreport": APPEND_ONLY,
    "projects.deliverablereview": APPEND_ONLY,
    "projects.deliverablesubmission": APPEND_ONLY,
    "org.importjob": "a background job's progress; what the import changed is audited row by row",
    "deadlines.clock": "written only by the system as records move; each move is a ClockEvent",
    "deadlines.clockevent": APPEND_ONLY,
    "notify.notification": "the inbox: a message to a person, not a change of a record",
    "notify.delivery": "the outbox's delivery attempts, written only by the system",
    "notify.digestitem": "the outbox's digest rows, written only by the system",
    "core.scheduledjobstate": "the scheduler's own clock, written only by the system",
    "core.numbersequence": "the last number handed out; each number is on its record's create row",
}

# The apps whose every model must be in AUDITED or EXEMPT (tests/test_coverage.py).
DOMAIN_APPS = ("collaboration", "meetings", "projects", "knowledge", "org", "workcal", "deadlines", "notify")


def hidden(value: str) -> str:
    """A masked field says only that it changed (a robot's secret never reaches the trail)."""
    return "******" if value not in ("", "None") else value


def tracked_fields(model: type[models.Model], options: dict) -> list[str]:
    skip = NOISE_FIELDS | set(options.get("exclude", ()))
    return [f.name for f in model._meta.concrete_fields if f.name not in skip and not f.primary_key]


def auto_m2m_fields(model: type[models.Model]) -> list[str]:
    """Many-to-many fields whose rows have no model of their own (an explicit ``through``
    model is audited itself)."""
    return [f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]


def register_all() -> None:
    for label, options in AUDITED.items():
        model = apps.get_model(label)
        mask = sorted(options.get("mask", ()))
        auditlog.register(
            model,
            include_fields=tracked_fields(model, options),
            m2m_fields=auto_m2m_fields(model),
            mask_fields=mask,
            mask_callable="crossdesk.audit.registration.hidden" if mask else None,
        )


def is_audited(model: type[models.Model]) -> bool:
    return auditlog.contains(model)
