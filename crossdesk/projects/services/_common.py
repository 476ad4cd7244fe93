"""What the project services share (parts A and B): locking, version checks, the history
row, transitions, notifications and input parsing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    TransitionError,
)
from crossdesk.notify.services import notify
from crossdesk.org.models import Department, Person
from crossdesk.org.selectors import Roles, roles_for
from crossdesk.org.selectors import person_required as person_of  # noqa: F401  (the services import it from here)

from ..choices import TRANSITIONS, ProjectEventKind, ProjectStatus
from ..models import Project, ProjectEvent, Task


def lock(project_id: int) -> Project:
    try:
        return (
            Project.objects.select_for_update(of=("self",))
            .select_related("initiating_department", "lead")
            .get(pk=project_id)
        )
    except (Project.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFoundError(_("No such project.")) from exc


def stale(what: str = "") -> ConflictError:
    return ConflictError(
        _("Someone else changed this since you opened it. Reload the page to see their change."),
        field="version",
    )


def check_version(row, version: int | None) -> None:
    """Refuse a write based on an old copy (optimistic locking; ``None`` skips the check)."""
    if version is not None and int(version) != row.version:
        raise stale()


def context(actor, project_id: int, *, version: int | None = None) -> tuple[Project, Roles, Person]:
    """Lock the project, refuse a stale write, and read the actor's roles and person."""
    roles = roles_for(actor)
    if roles.person is None:
        raise PermissionDeniedError(_("Your login is not linked to a person in the organisation."))
    project = lock(project_id)
    check_version(project, version)
    return project, roles, roles.person


def event(
    project: Project,
    kind: str,
    *,
    author: Person | None,
    content: str = "",
    from_status: str = "",
    to_status: str = "",
    data: dict | None = None,
    task: Task | None = None,
) -> ProjectEvent:
    """The project's history row, written in the caller's transaction."""
    return ProjectEvent.objects.create(
        project=project,
        kind=kind,
        at=timezone.now(),
        author=author,
        content=str(content),
        from_status=from_status,
        to_status=to_status,
        data=data or {},
        task=task,
    )


def move(project: Project, new_status: str, *, author: Person | None, reason: str = "") -> None:
    """Change the status as the TRANSITIONS map allows, with a history row (caller saves)."""
    if new_status not in TRANSITIONS[project.status]:
        raise TransitionError(
            _("A project that is “%(old)s” cannot become “%(new)s”.")
            % {"old": project.get_status_display(), "new": ProjectStatus(new_status).label}
        )
    old = project.status
    project.status = new_status
    event(
        project,
        ProjectEventKind.TRANSITION,
        author=author,
        content=reason,
        from_status=old,
        to_status=new_status,
    )


def bump(row, *fields: str) -> None:
    """Save ``fields`` and grow the row's version."""
    row.version += 1
    extra = ["updated_at"] if hasattr(row, "updated_at") else []
    row.save(update_fields=[*fields, "version", *extra])


def participant_ids(project: Project) -> set[int]:
    """Everyone who takes part: the lead, each department's liaison and head, task owners."""
    ids = {project.lead_id}
    for liaison_id, head_id in project.departments.values_list("liaison_id", "department__head_id"):
        ids.add(liaison_id)
        if head_id:
            ids.add(head_id)
    ids.update(project.tasks.values_list("owner_id", flat=True))
    return {i for i in ids if i}


def send(
    project: Project,
    recipients,
    *,
    event_name: str,
    title: str,
    body: str = "",
    actor: Person | None,
    url: str = "",
    subject=None,
    dedupe_key: str | None = None,
) -> int:
    """Notify people about the project (in the caller's transaction, through the outbox)."""
    return notify(
        recipients=recipients,
        exclude=[actor] if actor else [],
        event=f"project.{event_name}",
        title=f"[{project.number}] {title}",
        body=body,
        url=url or project.get_absolute_url(),
        subject=subject if subject is not None else project,
        dedupe_key=dedupe_key,
    )


# --- input ------------------------------------------------------------------------------


def text(data: dict, field: str, limit: int, *, required: bool = False, label: str = "") -> str:
    value = data.get(field)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise ApplicationError(_("%(field)s is required.") % {"field": label or field}, field=field)
    if len(value) > limit:
        raise ApplicationError(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return value


def a_date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ApplicationError(_("Enter a date like 2026-10-12."), field=field) from exc


def a_datetime(value, field: str) -> datetime:
    """An aware datetime from ISO text or a datetime (local time when naive)."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError as exc:
            raise ApplicationError(_("Enter a date and time like 2026-10-12 17:00."), field=field) from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def a_decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(_("Enter a number."), field=field) from exc
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ApplicationError(_("Enter a number."), field=field)
    return number.quantize(Decimal("0.01"))


def an_int(value, field: str, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("Enter a whole number."), field=field) from exc
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ApplicationError(
            _("Enter a number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum}, field=field
        )
    return number


def active_person(value, field: str, *, required: bool = True) -> Person | None:
    pk = getattr(value, "pk", value)
    if pk in (None, ""):
        if required:
            raise ApplicationError(_("Choose a person."), field=field)
        return None
    try:
        person = Person.objects.filter(pk=int(pk), is_active=True).first()
    except (TypeError, ValueError):
        person = None
    if person is None:
        raise ApplicationError(_("Unknown person."), field=field)
    return person


def department_of(value, field: str) -> Department:
    """An active department from its id, its code or itself."""
    if isinstance(value, Department):
        return value
    query = Department.objects.filter(is_active=True)
    found = None
    if isinstance(value, str) and value.strip() and not value.strip().isdigit():
        found = query.filter(code=value.strip().upper()).first()
    else:
        try:
            found = query.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            found = None
    if found is None:
        raise ApplicationError(_("Unknown department: %(value)s.") % {"value": value}, field=field)
    return found


__all__ = [
    "ApplicationError",
    "ConflictError",
    "NotFoundError",
    "PermissionDeniedError",
    "TransitionError",
]
