"""Processes of projects that span apps (CONVENTIONS: flows call public services only;
services never import flows). Connected in ``ProjectsConfig.ready()``.

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

from django.dispatch import receiver
from django.utils.translation import gettext as _

from crossdesk.meetings.signals import minutes_final

from .choices import ProjectStatus
from .signals import project_status_changed


@receiver(minutes_final, dispatch_uid="projects.kickoff_minutes_final")
def kickoff_minutes_final(sender, meeting, author=None, **kwargs) -> None:
    from .services.charter import project_kickoff_minutes_final

    project_kickoff_minutes_final(meeting_id=meeting.pk, author=author)


@receiver(project_status_changed, dispatch_uid="projects.status_changed")
def project_status_moved(sender, project, old, new, author=None, **kwargs) -> None:
    from .services import changes, close, comms

    if new == ProjectStatus.KICKED_OFF:
        comms.comm_generate_for(project)
    elif new == ProjectStatus.RUNNING and old == ProjectStatus.KICKED_OFF:
        changes.plan_version_baseline(project, author=author)
    elif new == ProjectStatus.CLOSING:
        close.retrospective_open(project, author=author)
    elif new == ProjectStatus.RUNNING and old == ProjectStatus.CLOSING:
        close.retrospective_suspend(project)
    elif new == ProjectStatus.CLOSED:
        comms.comm_occurrences_close(project=project, reason=_("The project is closed."))
    elif new == ProjectStatus.ARCHIVED:
        close.archive_list_write(project, author=author)
