"""Part B's hooks on the project's status (``signals.project_status_changed``), run inside
the transaction that moves the project, so a failure rolls the move back:

- kicked off: the communication plan's regular rows call their meetings;
- running (after the kickoff): the agreed plan is kept as version 1;
- closing: the retrospective opens and its 5-working-day clock starts;
- back to running: the retrospective clock stops;
- closed: the plan's future meetings are called off;
- archived: the archive list of every document is written.
"""

from __future__ import annotations

from django.dispatch import receiver
from django.utils.translation import gettext as _

from .choices import ProjectStatus
from .signals import project_status_changed


@receiver(project_status_changed, dispatch_uid="projects.part_b_status")
def on_project_status(sender, project, old, new, author=None, **kwargs) -> None:
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
