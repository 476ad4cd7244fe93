"""What the meeting services share: locking, history rows, notifications, input parsing."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    TransitionError,
)
from crossdesk.notify.models import Notification
from crossdesk.notify.services import notify
from crossdesk.org.models import Department, Membership, Person
from crossdesk.org.selectors import Roles, roles_for
from crossdesk.org.selectors import person_required as person_of  # noqa: F401  (the services import it from here)

from ..choices import TRANSITIONS, MeetingStatus
from ..models import Meeting, MeetingDepartment, MeetingEvent

DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def lock(meeting_id: int) -> Meeting:
    try:
        return (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("initiating_department")
            .get(pk=meeting_id)
        )
    except Meeting.DoesNotExist as exc:
        raise NotFoundError(_("No such meeting.")) from exc


def context(
    actor, meeting_id: int, *, version: int | None = None, minutes_version: int | None = None
) -> tuple[Meeting, Roles]:
    """Lock the meeting, refuse a write based on an old copy, and read the actor's roles."""
    meeting = lock(meeting_id)
    if version is not None and version != meeting.version:
        raise ConflictError(
            _("Someone else changed this meeting since you opened it. Reload the page to see their change."),
            field="version",
        )
    if minutes_version is not None and minutes_version != meeting.minutes_version:
        raise ConflictError(
            _(
                "The minutes were saved elsewhere since you opened them. Copy what you typed, reload "
                "and add it again."
            ),
            field="minutes_version",
        )
    return meeting, roles_for(actor)


def participations(meeting: Meeting) -> list[MeetingDepartment]:
    return list(
        meeting.departments.select_related("department", "department__head", "representative").order_by(
            "-is_initiating", "id"
        )
    )


def invitee_ids(meeting: Meeting) -> list[int]:
    return list(meeting.invitees.values_list("person_id", flat=True))


def event(
    meeting: Meeting,
    kind: str,
    *,
    author: Person | None,
    content: str = "",
    from_status: str = "",
    to_status: str = "",
    data: dict | None = None,
) -> MeetingEvent:
    return MeetingEvent.objects.create(
        meeting=meeting,
        kind=kind,
        at=timezone.now(),
        author=author,
        content=content,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )


def move(meeting: Meeting, new_status: str, *, author: Person | None, reason: str = "") -> None:
    """Change the status as the TRANSITIONS map allows, with a history row."""
    if new_status not in TRANSITIONS[meeting.status]:
        raise TransitionError(
            _("A meeting that is “%(old)s” cannot become “%(new)s”.")
            % {"old": meeting.get_status_display(), "new": MeetingStatus(new_status).label}
        )
    old = meeting.status
    meeting.status = new_status
    event(meeting, "transition", author=author, content=reason, from_status=old, to_status=new_status)


def bump(meeting: Meeting, *fields: str) -> None:
    meeting.version += 1
    meeting.save(update_fields=[*fields, "version", "updated_at"])


def send(
    meeting: Meeting,
    recipients,
    *,
    event_name: str,
    title: str,
    body: str = "",
    actor: Person | None,
    level: str = Notification.Level.INFO,
    url: str = "",
) -> int:
    return notify(
        recipients=recipients,
        exclude=[actor],
        event=f"meeting.{event_name}",
        title=f"[{meeting.number or _('Draft')}] {title}",
        body=body,
        url=url or meeting.get_absolute_url(),
        subject=meeting,
        level=level,
    )


def aware(value, field: str) -> datetime | None:
    """An aware datetime from what a form or the API sent (a date alone means 18:00)."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError as exc:
            raise ApplicationError(_("Enter a date and time like 2026-10-12 17:00."), field=field) from exc
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time()).replace(hour=18)
    if not isinstance(value, datetime):
        raise ApplicationError(_("Enter a date and time like 2026-10-12 17:00."), field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def local_text(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime(DATETIME_FORMAT) if moment else "—"


def department_of(value, field: str) -> Department:
    """A department from its id, its code or itself."""
    if isinstance(value, Department):
        return value
    query = Department.objects.filter(is_active=True)
    if isinstance(value, str) and not value.strip().isdigit():
        found = query.filter(code=value.strip().upper()).first()
    else:
        try:
            found = query.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            found = None
    if found is None:
        raise ApplicationError(_("Unknown department: %(value)s.") % {"value": value}, field=field)
    return found


def person_id_of(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    try:
        return int(pk)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("Unknown person."), field=field) from exc


def active_person(value, field: str) -> Person | None:
    pk = person_id_of(value, field)
    if pk is None:
        return None
    person = Person.objects.filter(pk=pk, is_active=True).first()
    if person is None:
        raise ApplicationError(_("Unknown person."), field=field)
    return person


def primary_department_id(person: Person) -> int | None:
    return (
        Membership.objects.filter(person=person, department__is_active=True)
        .order_by("-is_primary", "id")
        .values_list("department_id", flat=True)
        .first()
    )


def text(value, field: str, limit: int) -> str:
    value = "" if value is None else str(value).strip()
    if len(value) > limit:
        raise ApplicationError(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return value
