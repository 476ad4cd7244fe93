"""Deliverables (成果交付清单): submission with evidence, acceptance against the delivery
standard, sending back and rework (SPEC §5 [004]).

Who is who (decided here, shown on the page):
- the *delivering side* — the task's owner, or its responsible department's liaison or
  head — records the deliverable and submits it with evidence files and a note;
- the *requesting side* accepts or sends back: the liaison or head of the task's
  accountable department (the A of the RACI grid), and the project lead, who answers for
  every deliverable of the project; nobody reviews what they submitted themselves.

Sending back starts the ``deliverable.rework`` clock (3 working days on the calendar);
the resubmission stops it (met or late). Every round keeps its submission, its evidence
and its review.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from crossdesk.core.files import checked_upload_name, upload_content_type
from crossdesk.core.records import Actor, Machine, inputs, locked
from crossdesk.deadlines import services as deadlines
from crossdesk.deadlines.keys import RuleKey
from crossdesk.org.selectors import Roles

from .. import permissions
from ..choices import (
    DELIVERABLE_TRANSITIONS,
    TASK_MACHINE,
    TRACKING_OPEN,
    DeliverableStatus,
    EvidenceKind,
    ProjectEventKind,
    RaciRole,
    ReviewDecision,
    TaskStatus,
)
from ..models import (
    Deliverable,
    DeliverableEvidence,
    DeliverableReview,
    Project,
    ProjectEvent,
    Task,
)
from ..models.delivery import DeliverableSubmission
from ._common import belongs_to, context, require_writable, send_about

REWORK_RULE = RuleKey.DELIVERABLE_REWORK
DELIVERABLES = Machine(
    DELIVERABLE_TRANSITIONS,
    DeliverableStatus,
    refusal=gettext_lazy("This deliverable is “%(old)s”: it cannot become “%(new)s” now."),
)
MAX_FILES = 20


# --- who ---------------------------------------------------------------------------------------


def delivers(roles: Roles, task: Task) -> bool:
    """The delivering side: the task's owner, its responsible department's liaison or head."""
    if roles.person is None:
        return False
    return task.owner_id == roles.person.pk or permissions.answers_for(roles, task.responsible)


def accountable_part(task: Task):
    """The task's accountable department (A), or None."""
    for cell in task.raci_cells.all():
        if cell.role == RaciRole.ACCOUNTABLE:
            return cell.participation
    return None


def reviews(roles: Roles, project: Project, task: Task) -> bool:
    """The requesting side: the A department's liaison or head, or the project lead."""
    if roles.person is None:
        return False
    if project.lead_id == roles.person.pk:
        return True
    part = accountable_part(task)
    return part is not None and permissions.answers_for(roles, part)


def deliverable_actions(roles: Roles, project: Project, deliverable: Deliverable) -> set[str]:
    """What ``roles`` may do on the deliverable now (the page and the API show these)."""
    if project.status not in TRACKING_OPEN or deliverable.task is None:
        return set()
    actions: set[str] = set()
    task = deliverable.task
    if delivers(roles, task) and DELIVERABLES.can(deliverable.status, DeliverableStatus.SUBMITTED):
        actions.add("submit")
    if (
        deliverable.status == DeliverableStatus.SUBMITTED
        and reviews(roles, project, task)
        and deliverable.submitted_by_id != getattr(roles.person, "pk", None)
    ):
        actions |= {"accept", "return"}
    return actions


# --- writes ------------------------------------------------------------------------------------


def _log(project: Project, deliverable: Deliverable, person, content: str, **data) -> None:
    """The deliverable's row in the project's history (and its task's)."""
    data = {"deliverable": deliverable.pk, **data}
    kind = ProjectEventKind.DELIVERABLE
    ProjectEvent.add(project, kind, author=person, task=deliverable.task, content=content, data=data)


def _open(project: Project) -> None:
    require_writable(project)
    if project.status not in TRACKING_OPEN:
        raise TransitionError(_("Deliverables are handed in once the project is kicked off."))


@transaction.atomic
def deliverable_create(*, actor: Actor, task_id: int, data: dict) -> Deliverable:
    """Record a deliverable of a task (what will be handed in); the task's delivery
    standard is the yardstick it is accepted against."""
    inputs.known(data, {"name", "description"})
    project, roles, person = context(actor, belongs_to(Task, task_id, missing=_("No such task.")))
    task = Task.objects.select_related("responsible").get(pk=task_id)
    if not (delivers(roles, task) or permissions.is_manager(roles, project)):
        raise PermissionDeniedError(
            _(
                "The task's owner, its department's liaison or head, or the project lead records its deliverables."
            )
        )
    _open(project)
    if task.status == TaskStatus.CANCELLED:
        raise TransitionError(_("A cancelled task delivers nothing."))
    name = inputs.text(data.get("name"), "name", 200) or task.deliverable or task.title
    deliverable = Deliverable.objects.create(
        project=project,
        task=task,
        name=name,
        description=inputs.text(data.get("description"), "description", 5000),
        delivery_standard=task.delivery_standard,
        responsible=task.responsible,
    )
    _log(project, deliverable, person, _("Deliverable recorded: %(n)s") % {"n": name}, created=True)
    return deliverable


def _locked(actor: Actor, deliverable_id, version):
    missing = _("No such deliverable.")
    project, roles, person = context(actor, belongs_to(Deliverable, deliverable_id, missing=missing))
    related = ("task", "task__responsible", "responsible__department")
    deliverable = locked(Deliverable, deliverable_id, version, related=related, not_found=missing)
    return project, roles, person, deliverable


@transaction.atomic
def deliverable_submit(
    *,
    actor: Actor,
    deliverable_id: int,
    files: list[UploadedFile],
    note: str = "",
    kind: str = EvidenceKind.FILE,
    version: int | None = None,
) -> Deliverable:
    """Hand the deliverable in with its evidence (reports, files, feedback) for acceptance.
    A resubmission after sending back stops the rework clock, on time or late."""
    project, roles, person, deliverable = _locked(actor, deliverable_id, version)
    if deliverable.task is None or not delivers(roles, deliverable.task):
        raise PermissionDeniedError(
            _("The task's owner or its department's liaison or head submits the deliverable.")
        )
    _open(project)
    DELIVERABLES.move(deliverable, DeliverableStatus.SUBMITTED)
    files = [f for f in (files or []) if f]
    if not files:
        raise ApplicationError(_("Attach the evidence: at least one file."), field="files")
    if len(files) > MAX_FILES:
        raise ApplicationError(_("At most %(n)d files at a time.") % {"n": MAX_FILES}, field="files")
    if kind not in EvidenceKind.values:
        raise ApplicationError(_("Choose the kind of evidence."), field="kind")
    names = [checked_upload_name(f, "files") for f in files]
    note = inputs.text(note, "note", 5000)
    now = timezone.now()
    returned = deliverable.round > 0 and deliverable.rework_due_at is not None
    late = returned and now > deliverable.rework_due_at
    if returned:  # whether it came late is on the clock
        deadlines.clocks_stop_for(subject=deliverable, key=REWORK_RULE, met=True, actor=actor)
    deliverable.round += 1
    deliverable.submitted_by, deliverable.submitted_at = person, now
    for upload, name in zip(files, names, strict=True):
        evidence = DeliverableEvidence(
            deliverable=deliverable,
            name=name,
            size=upload.size or 0,
            content_type=upload_content_type(upload),
            uploaded_by=person,
            kind=kind,
            round=deliverable.round,
            note=note,
        )
        evidence.file.save(name, upload, save=False)
        evidence.save()
    DeliverableSubmission.objects.create(
        deliverable=deliverable,
        round=deliverable.round,
        note=note,
        submitted_by=person,
        at=now,
        rework_due_at=deliverable.rework_due_at if returned else None,
        late=late,
    )
    deliverable.version += 1
    deliverable.save()
    content = _("%(n)s submitted (round %(r)d)") % {"n": deliverable.name, "r": deliverable.round}
    if late:
        content += " · " + _("after the rework deadline")
    _log(project, deliverable, person, content, round=deliverable.round, files=names, late=late)
    part = accountable_part(deliverable.task)
    reviewers = {project.lead_id}
    if part is not None:
        reviewers |= {part.liaison_id, part.department.head_id}
    title = _("Accept or send back: %(n)s") % {"n": deliverable.name}
    body = _("Delivery standard: %(s)s") % {"s": deliverable.delivery_standard or "—"}
    body += "\n" + note if note else ""
    send_about(project, deliverable, reviewers, "deliverable_submitted", title, person, body)
    return deliverable


def _review(actor: Actor, deliverable_id, version, decision: str, comment: str):
    project, roles, person, deliverable = _locked(actor, deliverable_id, version)
    if deliverable.task is None or not reviews(roles, project, deliverable.task):
        raise PermissionDeniedError(
            _("The task's accountable department or the project lead accepts deliverables.")
        )
    if deliverable.submitted_by_id == person.pk and deliverable.status == DeliverableStatus.SUBMITTED:
        raise PermissionDeniedError(
            _("You submitted this deliverable; someone of the requesting side reviews it.")
        )
    _open(project)
    DELIVERABLES.move(
        deliverable,
        DeliverableStatus.ACCEPTED if decision == ReviewDecision.ACCEPTED else DeliverableStatus.RETURNED,
    )
    comment = inputs.text(comment, "comment", 5000)
    if decision == ReviewDecision.RETURNED and not comment:
        raise ApplicationError(
            _("Say what falls short of the delivery standard, so it can be reworked."), field="comment"
        )
    now = timezone.now()
    DeliverableReview.objects.create(
        deliverable=deliverable,
        round=deliverable.round,
        decision=decision,
        reviewer=person,
        comment=comment,
        at=now,
    )
    return project, person, deliverable, comment, now


@transaction.atomic
def deliverable_accept(
    *, actor: Actor, deliverable_id: int, comment: str = "", version: int | None = None
) -> Deliverable:
    """The requesting side accepts the submission against the delivery standard."""
    project, person, deliverable, comment, now = _review(
        actor, deliverable_id, version, ReviewDecision.ACCEPTED, comment
    )
    deliverable.accepted_at, deliverable.accepted_by = now, person
    deliverable.version += 1
    deliverable.save()
    content = _("%(n)s accepted (round %(r)d)") % {"n": deliverable.name, "r": deliverable.round}
    content += f": {comment}" if comment else ""
    _log(project, deliverable, person, content, round=deliverable.round, decision=ReviewDecision.ACCEPTED)
    told = {deliverable.submitted_by_id, deliverable.task.owner_id, deliverable.responsible.liaison_id}
    title = _("Deliverable accepted: %(n)s") % {"n": deliverable.name}
    send_about(project, deliverable, told, "deliverable_accepted", title, person, comment)
    return deliverable


@transaction.atomic
def deliverable_return(
    *, actor: Actor, deliverable_id: int, comment: str, version: int | None = None
) -> Deliverable:
    """Send the submission back with what falls short; the rework is due within 3 working
    days (``deliverable.rework``), reminded and escalated by the sweep. A task already
    marked done is reopened."""
    project, person, deliverable, comment, now = _review(
        actor, deliverable_id, version, ReviewDecision.RETURNED, comment
    )
    owner = deliverable.submitted_by or deliverable.task.owner
    clock = deadlines.clock_start(
        subject=deliverable,
        key=REWORK_RULE,
        owner=owner,
        department=deliverable.responsible.department,
        label=_("Rework %(n)s") % {"n": deliverable.name},
        started_at=now,
        actor=actor,
    )
    deliverable.returned_at, deliverable.rework_due_at = now, clock.due_at
    deliverable.version += 1
    deliverable.save()
    task = deliverable.task
    if task.status == TaskStatus.DONE:
        _reopen(task, person, comment)
    content = _("%(n)s sent back (round %(r)d): %(c)s")
    content %= {"n": deliverable.name, "r": deliverable.round, "c": comment}
    decision = {"round": deliverable.round, "decision": ReviewDecision.RETURNED}
    _log(project, deliverable, person, content, **decision, rework_due=clock.due_at.isoformat())
    due = timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")
    title = _("Rework by %(due)s: %(n)s") % {"n": deliverable.name, "due": due}
    told = {owner.pk, task.owner_id, deliverable.responsible.liaison_id}
    send_about(project, deliverable, told, "deliverable_returned", title, person, comment)
    return deliverable


def _reopen(task: Task, person, why: str) -> None:
    """A done task whose deliverable is sent back is in progress again (TASK_TRANSITIONS)."""
    from .tracking import refresh_health

    task = Task.objects.select_for_update().select_related("project").get(pk=task.pk)
    note = _("Deliverable sent back: %(c)s") % {"c": why}
    TASK_MACHINE.move(task, TaskStatus.IN_PROGRESS, author=person, reason=note)
    # Back in progress: below 100 % (a task at 100 % is done), as ``task_update_progress`` reopens.
    task.actual_finish, task.progress = None, min(task.progress, 90)
    task.version += 1
    task.save(update_fields=["status", "actual_finish", "progress", "version", "updated_at"])
    refresh_health(task, author=person)
