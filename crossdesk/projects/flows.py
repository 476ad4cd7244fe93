"""Processes of projects that span apps (CONVENTIONS: flows call public services only;
services never import flows). The receivers are connected in ``ProjectsConfig.ready()``.

- the communication plan (SPEC §5 [002][003]): a row added, changed or removed, the
  "generate" button and the daily run write the plan's rows (``services.comms``), which
  says what its occurrences need; the meetings are then called, moved or cancelled here,
  as the system (``comms.PLAN_ACTOR``: history says "系统（沟通计划）"), the row's owner
  named as initiator;
- the kickoff meeting's minutes become final (meetings' ``minutes_final``): its
  kicked-off projects run;
- a project's status changes (``signals.project_status_changed``, sent inside the
  transaction that moves it, so a failure here rolls the move back): kicked off → the
  communication plan's regular rows call their meetings; running after the kickoff → the
  agreed plan is kept as version 1; closing → the retrospective opens and its clock
  starts; back to running → that clock stops; closed → the plan's future meetings are
  called off; archived → the archive list of every document is written.
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError
from crossdesk.core.records import Actor
from crossdesk.meetings import services as meetings
from crossdesk.meetings.signals import minutes_final

from .choices import ProjectStatus
from .models import Project
from .services import comms
from .signals import project_status_changed


def _carry_out(steps: comms.Steps) -> int:
    """Ask the meetings app for what the plan's occurrences need; returns meetings called."""
    for step in steps:
        if step.cancel is not None:
            meetings.meeting_cancel(actor=comms.PLAN_ACTOR, meeting_id=step.cancel.pk, reason=step.reason)
        if step.move is not None:
            meeting_id = step.occurrence.meeting_id
            meetings.meeting_reschedule(
                actor=comms.PLAN_ACTOR, meeting_id=meeting_id, reason=step.reason, **step.move
            )
        if step.call is not None:
            owner = step.occurrence.entry.owner
            draft = meetings.meeting_create_draft(actor=comms.PLAN_ACTOR, data=step.call, initiator=owner)
            # Inside the 3-working-day notice window the recorded reason says it came from the plan.
            called = meetings.meeting_send_notice(
                actor=comms.PLAN_ACTOR, meeting_id=draft.pk, late_reason=comms.generated_reason()
            )
            comms.comm_occurrence_called(step.occurrence, called)
    return sum(step.call is not None for step in steps)


def _with_meetings(service):
    """A write of the plan, then the meetings it asks for, in one transaction."""

    @wraps(service)
    @transaction.atomic
    def flow(**kwargs):
        entry, steps = service(**kwargs)
        _carry_out(steps)
        return entry

    return flow


comm_entry_create = _with_meetings(comms.comm_entry_create)
comm_entry_update = _with_meetings(comms.comm_entry_update)
comm_entry_remove = _with_meetings(comms.comm_entry_remove)


@transaction.atomic
def comm_generate(*, actor: Actor, project_id: int) -> int:
    """Call the meetings of every regular row for the coming 4 weeks now (idempotent)."""
    return _carry_out(comms.comm_generate(actor=actor, project_id=project_id))


def comm_generate_for(project: Project, *, today: date | None = None) -> int:
    """Call the missing meetings of every regular row of ``project`` (locked by the caller).
    A row that cannot is noted in the project's history and tried again by the next run;
    the other rows go ahead."""
    made = 0
    for entry in comms.comm_regular_entries(project):
        try:
            with transaction.atomic():
                made += _carry_out(comms.comm_occurrences_due(entry, project, today=today))
        except ApplicationError as exc:
            comms.comm_generation_failed(project, entry, exc.message)
    return made


def comm_generate_all(*, today: date | None = None) -> int:
    """The periodic job: extend every running project's occurrences to the horizon. One
    transaction per project, so one project's trouble does not hold back the others."""
    made = 0
    for project_id in comms.comm_generating_projects():
        with transaction.atomic():
            if (project := comms.comm_project_locked(project_id)) is not None:
                made += comm_generate_for(project, today=today)
    return made


@receiver(minutes_final, dispatch_uid="projects.kickoff_minutes_final")
def kickoff_minutes_final(sender, meeting, author=None, **kwargs) -> None:
    from .services.charter import project_kickoff_minutes_final

    project_kickoff_minutes_final(meeting_id=meeting.pk, author=author)


@receiver(project_status_changed, dispatch_uid="projects.status_changed")
def project_status_moved(sender, project, old, new, author=None, **kwargs) -> None:
    from .services import changes, close

    if new == ProjectStatus.KICKED_OFF:
        comm_generate_for(project)
    elif new == ProjectStatus.RUNNING and old == ProjectStatus.KICKED_OFF:
        changes.plan_version_baseline(project, author=author)
    elif new == ProjectStatus.CLOSING:
        close.retrospective_open(project, author=author)
    elif new == ProjectStatus.RUNNING and old == ProjectStatus.CLOSING:
        close.retrospective_suspend(project)
    elif new == ProjectStatus.CLOSED:
        _carry_out(comms.comm_occurrences_close(project=project, reason=_("The project is closed.")))
    elif new == ProjectStatus.ARCHIVED:
        close.archive_list_write(project, author=author)
