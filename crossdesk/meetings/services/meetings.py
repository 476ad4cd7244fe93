"""The meeting's life: draft, notice, reschedule, cancel, held, archive; materials (SPEC §4)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.audit.services import audited_bulk_create
from crossdesk.collaboration.choices import RequestStatus
from crossdesk.collaboration.selectors import visible_requests
from crossdesk.core.errors import ApplicationError, Problems, TransitionError
from crossdesk.core.files import RETENTION_YEARS, checked_upload_name, upload_content_type, years_later
from crossdesk.core.numbering import next_number
from crossdesk.core.records import Actor, bump, inputs
from crossdesk.deadlines import services as deadlines
from crossdesk.deadlines.keys import RuleKey
from crossdesk.notify.models import Notification
from crossdesk.org.models import Membership, Person
from crossdesk.org.selectors import roles_for

from .. import permissions
from ..choices import MEETING_MACHINE, OPEN_ACTION_STATUSES, EventKind, MeetingKind, MeetingStatus
from ..models import ActionItem, Meeting, MeetingDepartment, MeetingEvent, MeetingInvitee, MeetingMaterial
from ..selectors import notice_check
from ._common import (
    a_moment,
    acting,
    active_person,
    an_id,
    context,
    department_of,
    invitee_ids,
    local_text,
    participations,
    person_of,
    primary_department_id,
    send,
    text,
)

NUMBER_SCOPE = "MTG-{code}"

DRAFT_TEXT_FIELDS = {
    "title": 200,
    "place": 200,
    "online_platform": 100,
    "online_meeting_id": 100,
    "online_link": 500,
    "background": 5000,
    "goal": 5000,
    "related_matter": 200,
}
DRAFT_FIELDS = set(DRAFT_TEXT_FIELDS) | {
    "kind",
    "starts_at",
    "ends_at",
    "initiating_department",
    "recorder",
    "agenda",
    "participants",
    "request",
    "confidential",
}
PLACE_FIELDS = ("place", "online_platform", "online_meeting_id", "online_link")
MAX_AGENDA_ITEMS = 50
# "1. ", "2、", "(3)", "（四）": the agenda numbers its items itself, so a typed number goes.
TYPED_NUMBER = re.compile(
    r"^\s*(?:[(（]\s*(?:\d+|[一二三四五六七八九十]+)\s*[)）]|(?:\d+|[一二三四五六七八九十]+)\s*[.、．)）](?!\d))\s*"
)


# --- drafts -------------------------------------------------------------------------------


def clean_agenda(items, *, field: str = "agenda") -> list[dict]:
    """Agenda items as ``{"topic", "presenter", "duration"}``; blank rows are dropped."""
    if items is None:
        return []
    if not isinstance(items, list | tuple):
        raise ApplicationError(_("The agenda is a list of items."), field=field)
    if len(items) > MAX_AGENDA_ITEMS:
        raise ApplicationError(_("At most %(n)d agenda items.") % {"n": MAX_AGENDA_ITEMS}, field=field)
    cleaned = []
    for n, item in enumerate(items):
        where = f"{field}[{n}]"
        if isinstance(item, str):
            item = {"topic": item}
        if not isinstance(item, dict):
            raise ApplicationError(_("Each agenda item needs a topic."), field=where)
        topic = TYPED_NUMBER.sub("", text(item.get("topic"), f"{where}.topic", 300), count=1)
        presenter = text(item.get("presenter"), f"{where}.presenter", 100)
        duration = item.get("duration")
        if duration in ("", None):
            duration = None
        else:
            try:
                duration = int(duration)
            except (TypeError, ValueError) as exc:
                raise ApplicationError(_("Give the duration in minutes."), field=f"{where}.duration") from exc
            if not 0 < duration <= 24 * 60:
                raise ApplicationError(_("Give the duration in minutes."), field=f"{where}.duration")
        if topic or presenter or duration:
            cleaned.append({"topic": topic, "presenter": presenter, "duration": duration})
    return cleaned


def _apply_draft_fields(meeting: Meeting, person: Person, data: dict):
    inputs.known(data, DRAFT_FIELDS)
    for name, limit in DRAFT_TEXT_FIELDS.items():
        if name in data:
            setattr(meeting, name, text(data[name], name, limit))
    if "kind" in data:
        if data["kind"] not in MeetingKind.values:
            raise ApplicationError(_("Choose the kind of meeting."), field="kind")
        meeting.kind = data["kind"]
    for name in ("starts_at", "ends_at"):
        if name in data:
            setattr(meeting, name, a_moment(data[name], name))
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        raise ApplicationError(_("The meeting must end after it starts."), field="ends_at")
    if data.get("initiating_department") not in (None, ""):
        department = department_of(data["initiating_department"], "initiating_department")
        if not Membership.objects.filter(person=person, department=department).exists():
            raise ApplicationError(
                _("You can call a meeting only for a department you belong to."),
                field="initiating_department",
            )
        meeting.initiating_department = department
    if "recorder" in data:
        meeting.recorder = active_person(data["recorder"], "recorder", required=False)
    if "agenda" in data:
        meeting.agenda = clean_agenda(data["agenda"])
    if "request" in data:
        meeting.request = _visible_request(person, data["request"])
    if "confidential" in data:
        meeting.confidential = inputs.a_bool(data["confidential"])
    return data.get("participants")


def _visible_request(person: Person, value):
    pk = an_id(value, "request", _("No such collaboration request."))
    if pk is None:
        return None
    roles = roles_for(person.user) if person.user_id else None
    found = (
        visible_requests(roles=roles).exclude(status=RequestStatus.DRAFT).filter(pk=pk).first()
        if roles
        else None
    )
    if found is None:
        raise ApplicationError(_("No such collaboration request."), field="request")
    return found


def _set_participants(meeting: Meeting, participants) -> None:
    """Replace the participating departments and invitees. The initiating department always
    takes part; without a row of its own its initiator represents it."""
    rows = [] if participants is None else participants
    if not isinstance(rows, list | tuple):
        raise ApplicationError(_("List the participating departments."), field="participants")
    wanted: dict[int, tuple[list[int], int | None]] = {}
    seen_people: set[int] = set()
    for n, row in enumerate(rows):
        where = f"participants[{n}]"
        if not isinstance(row, dict):
            raise ApplicationError(_("Each participating department needs a department."), field=where)
        department = department_of(row.get("department"), f"{where}.department")
        if department.pk in wanted:
            raise ApplicationError(
                _("%(dept)s is listed twice.") % {"dept": department.name}, field=f"{where}.department"
            )
        named = [an_id(p, f"{where}.people", _("Unknown person.")) for p in row.get("people") or []]
        representative = an_id(row.get("representative"), f"{where}.representative", _("Unknown person."))
        people = [p for p in dict.fromkeys([*named, representative]) if p]
        members = set(
            Membership.objects.filter(
                department=department, person_id__in=people, person__is_active=True
            ).values_list("person_id", flat=True)
        )
        if strangers := [p for p in people if p not in members]:
            names = ", ".join(Person.objects.filter(pk__in=strangers).values_list("name", flat=True)) or str(
                strangers
            )
            raise ApplicationError(
                _("Not in %(dept)s: %(names)s. Invite people on behalf of their own department.")
                % {"dept": department.name, "names": names},
                field=f"{where}.people",
            )
        if twice := seen_people & set(people):
            raise ApplicationError(
                _("A person is invited for one department only."),
                field=f"{where}.people",
                extra={"people": sorted(twice)},
            )
        seen_people |= set(people)
        wanted[department.pk] = (people, representative)
    initiating = meeting.initiating_department_id
    if initiating not in wanted:
        initiator = meeting.initiator_id
        wanted = {
            initiating: ([initiator], initiator) if initiator not in seen_people else ([], None),
            **wanted,
        }
    meeting.invitees.all().delete()
    meeting.departments.exclude(department_id__in=list(wanted)).delete()
    current = {p.department_id: p for p in meeting.departments.all()}
    for department_id, (people, representative) in wanted.items():
        participation = current.get(department_id)
        if participation is None:
            participation = MeetingDepartment(meeting=meeting, department_id=department_id)
        participation.is_initiating = department_id == initiating
        participation.representative_id = representative
        participation.save()
        audited_bulk_create(
            MeetingInvitee.objects,
            [MeetingInvitee(meeting=meeting, participation=participation, person_id=p) for p in people],
        )


@transaction.atomic
def meeting_create_draft(*, actor: Actor, data: dict, initiator: Person | None = None) -> Meeting:
    """Start a draft (any kind). Nothing is required yet: drafts save whatever was typed.
    The initiator records unless someone else is named. ``initiator``: the person the
    system calls the meeting for (scheduled work; no login needed)."""
    person = person_of(actor) if initiator is None else initiator
    department_id = primary_department_id(person)
    if department_id is None:
        raise ApplicationError(_("You belong to no department, so you cannot call a meeting."))
    meeting = Meeting(initiator=person, initiating_department_id=department_id, recorder=person)
    if initiator is not None:
        permissions.require(roles_for(actor), meeting, "call_for", actor=actor)
    participants = _apply_draft_fields(meeting, person, data)
    meeting.save()
    _set_participants(meeting, participants)
    return meeting


@transaction.atomic
def meeting_update_draft(*, actor: Actor, meeting_id: int, data: dict, version: int | None = None) -> Meeting:
    """Save changes to a draft (the autosave calls this). Refused if someone saved in between."""
    meeting, roles = context(actor, meeting_id, version=version)
    permissions.require(roles, meeting, "edit")
    old_department = meeting.initiating_department_id
    participants = _apply_draft_fields(meeting, acting(roles), data)
    meeting.version += 1
    meeting.save()
    if participants is not None or meeting.initiating_department_id != old_department:
        if participants is None:
            participants = [
                {
                    "department": p.department_id,
                    "people": [i.person_id for i in p.invitees.all()],
                    "representative": p.representative_id,
                }
                for p in meeting.departments.prefetch_related("invitees")
                if not (p.is_initiating and p.department_id != meeting.initiating_department_id)
            ]
        _set_participants(meeting, participants)
    return meeting


# --- the notice ---------------------------------------------------------------------------


def _validate_place_and_time(meeting: Meeting) -> None:
    if meeting.starts_at is None:
        raise ApplicationError(_("Give the date and start time."), field="starts_at")
    if meeting.ends_at is None:
        raise ApplicationError(_("Give the end time."), field="ends_at")
    if meeting.ends_at <= meeting.starts_at:
        raise ApplicationError(_("The meeting must end after it starts."), field="ends_at")
    if meeting.starts_at <= timezone.now():
        raise ApplicationError(_("The meeting must start in the future."), field="starts_at")
    if not meeting.place and not (
        meeting.online_platform and (meeting.online_meeting_id or meeting.online_link)
    ):
        raise ApplicationError(
            _("Give the place, or the online platform with the meeting ID or link."), field="place"
        )


def _validate_for_notice(meeting: Meeting, parts: list[MeetingDepartment]) -> None:
    """Everything a notice needs, checked at once: one 400 lists every field to fill in."""
    problems = Problems()
    if not meeting.title.strip():
        problems.add("title", _("Give the meeting a subject."))
    problems.check(lambda: _validate_place_and_time(meeting))
    if not meeting.goal.strip():
        problems.add("goal", _("Say what the meeting should achieve."))
    if not any(item.get("topic") for item in meeting.agenda):
        problems.add("agenda", _("Give at least one agenda item."))
    if any(not item.get("topic") for item in meeting.agenda):
        problems.add("agenda", _("Each agenda item needs a topic."))
    if meeting.recorder_id is None:
        problems.add("recorder", _("Name the recorder."))
    if len(parts) < 2:
        problems.add(
            "participants", _("Invite at least one other department: this is a cross-department meeting.")
        )
    for part in parts:
        if part.representative_id is None:
            problems.add(
                "participants",
                _("Name the representative of %(dept)s (one of its invitees).")
                % {"dept": part.department.name},
            )
        if part.department.head_id is None:
            problems.add(
                "participants",
                _("%(dept)s has no head to sign the minutes; ask an administrator to name one.")
                % {"dept": part.department.name},
            )
    problems.raise_any()


def _agenda_text(meeting: Meeting) -> str:
    lines = []
    for n, item in enumerate(meeting.agenda, start=1):
        line = f"{n}. {item.get('topic', '')}"
        if item.get("presenter"):
            line += f"（{item['presenter']}）"
        if item.get("duration"):
            line += _(" %(n)d min") % {"n": item["duration"]}
        lines.append(line)
    return "\n".join(lines)


def notice_body(meeting: Meeting) -> str:
    """Time, place or link, agenda and materials: what every invitee needs [001]."""
    materials = list(meeting.materials.values_list("name", flat=True))
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    invitation = settings.CROSSDESK_BASE_URL.rstrip("/") + reverse("meetings:invite", args=[meeting.pk])
    parts = [
        _("Time: %(start)s – %(end)s")
        % {"start": start.strftime("%Y-%m-%d %H:%M"), "end": end.strftime("%H:%M")},
        _("Place: %(place)s") % {"place": meeting.location_text},
        _("Agenda:") + "\n" + _agenda_text(meeting),
    ]
    if materials:
        parts.append(_("Materials: %(names)s") % {"names": "、".join(materials)})
    parts.append(_("Calendar invitation (.ics): %(url)s") % {"url": invitation})
    return "\n".join(parts)


@transaction.atomic
def meeting_send_notice(
    *, actor: Actor, meeting_id: int, late_reason: str = "", version: int | None = None
) -> Meeting:
    """Send the notice: the meeting gets its number and every invitee is told time, place,
    agenda and materials. Less than 3 working days ahead needs a reason, which is kept."""
    meeting, roles = context(actor, meeting_id, version=version)
    permissions.require(roles, meeting, "send_notice", actor=actor)
    parts = participations(meeting)
    _validate_for_notice(meeting, parts)
    now = timezone.now()
    on_time, lead, required = notice_check(meeting, at=now)
    reason = (late_reason or "").strip()
    if not on_time and not reason:
        raise ApplicationError(
            _(
                "The notice should go out at least %(required)d working days before the meeting; "
                "this one is %(lead)d working days ahead. Give the reason for the short notice."
            )
            % {"required": required, "lead": lead},
            field="late_reason",
        )
    code = meeting.initiating_department.code
    year = timezone.localtime(meeting.starts_at).year
    meeting.year = year
    meeting.number = f"{year}-{code}-{next_number(NUMBER_SCOPE.format(code=code), year):03d}"
    meeting.notice_sent_at = now
    meeting.notice_lead_days = min(lead, 32767)
    meeting.notice_late_reason = "" if on_time else reason
    MEETING_MACHINE.move(meeting, MeetingStatus.NOTIFIED, author=roles.person, actor=actor)
    bump(meeting, "year", "number", "notice_sent_at", "notice_lead_days", "notice_late_reason", "status")
    MeetingEvent.add(
        meeting,
        EventKind.NOTICE,
        author=roles.person,
        actor=actor,
        content=meeting.notice_late_reason,
        data={"lead_days": lead, "required": required, "late": not on_time, "sequence": meeting.sequence},
    )
    body = notice_body(meeting)
    if not on_time:
        body += "\n" + _("Short notice: %(reason)s") % {"reason": reason}
    send(
        meeting,
        [*invitee_ids(meeting), meeting.recorder_id],
        event_name="notice",
        title=_("Meeting notice: %(title)s") % {"title": meeting.title},
        body=body,
        actor=roles.person,
        level=Notification.Level.ACTION,
    )
    return meeting


def _when_and_where(meeting: Meeting) -> dict:
    """What a reschedule may change, as its history row keeps it before and after."""
    return {
        "starts_at": local_text(meeting.starts_at),
        "ends_at": local_text(meeting.ends_at),
        "location": meeting.location_text,
        "agenda": meeting.agenda,
    }


@transaction.atomic
def meeting_reschedule(
    *, actor: Actor, meeting_id: int, reason: str, version: int | None = None, **changes
) -> Meeting:
    """Move the meeting or change where it happens (or its agenda): everyone invited gets the
    update, and the calendar invitation's sequence grows so calendars replace the old one."""
    meeting, roles = context(actor, meeting_id, version=version)
    permissions.require(roles, meeting, "reschedule", actor=actor)
    inputs.known(changes, {"starts_at", "ends_at", "agenda", *PLACE_FIELDS})
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the meeting changes."), field="reason")
    before = _when_and_where(meeting)
    for name in ("starts_at", "ends_at"):
        if changes.get(name) is not None:
            setattr(meeting, name, a_moment(changes[name], name))
    for name in PLACE_FIELDS:
        if changes.get(name) is not None:
            setattr(meeting, name, text(changes[name], name, DRAFT_TEXT_FIELDS[name]))
    if changes.get("agenda") is not None:
        meeting.agenda = clean_agenda(changes["agenda"])
        if not meeting.agenda or any(not item.get("topic") for item in meeting.agenda):
            raise ApplicationError(_("Each agenda item needs a topic."), field="agenda")
    _validate_place_and_time(meeting)
    after = _when_and_where(meeting)
    if after == before:
        raise ApplicationError(_("Nothing changes: give a new time, place or agenda."), field="starts_at")
    on_time, lead, required = notice_check(meeting)
    meeting.sequence += 1
    bump(meeting, "starts_at", "ends_at", "agenda", "sequence", *PLACE_FIELDS)
    MeetingEvent.add(
        meeting,
        EventKind.UPDATE,
        author=roles.person,
        actor=actor,
        content=reason,
        data={
            "before": before,
            "after": after,
            "sequence": meeting.sequence,
            "late": not on_time,
            "lead_days": lead,
        },
    )
    send(
        meeting,
        [*invitee_ids(meeting), meeting.recorder_id],
        event_name="updated",
        title=_("Meeting changed: %(title)s") % {"title": meeting.title},
        body=_("Why: %(reason)s") % {"reason": reason} + "\n" + notice_body(meeting),
        actor=roles.person,
        level=Notification.Level.WARNING,
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Actor, meeting_id: int, reason: str) -> Meeting:
    """Call the meeting off before it is held, with the reason; invitees get a cancellation."""
    meeting, roles = context(actor, meeting_id)
    permissions.require(roles, meeting, "cancel", actor=actor)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the meeting is cancelled."), field="reason")
    was_noticed = meeting.status == MeetingStatus.NOTIFIED
    meeting.cancel_reason = reason
    meeting.cancelled_at = timezone.now()
    MEETING_MACHINE.move(meeting, MeetingStatus.CANCELLED, author=roles.person, actor=actor, reason=reason)
    if was_noticed:
        meeting.sequence += 1
        MeetingEvent.add(
            meeting,
            EventKind.CANCELLATION,
            author=roles.person,
            actor=actor,
            content=reason,
            data={"sequence": meeting.sequence},
        )
    bump(meeting, "status", "cancel_reason", "cancelled_at", "sequence")
    deadlines.clocks_stop_for(subject=meeting, met=False, actor=actor)
    if was_noticed:
        send(
            meeting,
            [*invitee_ids(meeting), meeting.recorder_id],
            event_name="cancelled",
            title=_("Meeting cancelled: %(title)s") % {"title": meeting.title},
            body=_("%(when)s · %(reason)s") % {"when": local_text(meeting.starts_at), "reason": reason},
            actor=roles.person,
            level=Notification.Level.WARNING,
        )
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: Actor, meeting_id: int) -> Meeting:
    """The meeting took place: the recorder's minutes clock starts (2 working days, a kickoff
    24 hours [001][002]); circulating the minutes meets it."""
    meeting, roles = context(actor, meeting_id)
    permissions.require(roles, meeting, "mark_held")
    now = timezone.now()
    meeting.held_at = now
    MEETING_MACHINE.move(meeting, MeetingStatus.HELD, author=roles.person)
    bump(meeting, "status", "held_at")
    clock = deadlines.clock_start(
        subject=meeting,
        key=RuleKey.MEETING_MINUTES,
        variant="kickoff" if meeting.kind == MeetingKind.KICKOFF else "",
        owner=meeting.recorder,
        department=meeting.initiating_department,
        label=_("Circulate the minutes"),
        started_at=now,
        actor=actor,
    )
    send(
        meeting,
        [meeting.recorder_id],
        event_name="held",
        title=_("Write and circulate the minutes: %(title)s") % {"title": meeting.title},
        body=_("Circulate them for confirmation by %(due)s.") % {"due": local_text(clock.due_at)},
        actor=roles.person,
        level=Notification.Level.ACTION,
    )
    return meeting


@transaction.atomic
def meeting_archive(*, actor: Actor, meeting_id: int) -> Meeting:
    """Archive the signed (or cancelled) record: read-only from now on, kept at least two
    years [001]. Open action items are finished or cancelled first: the archive holds the
    record and its execution feedback together."""
    meeting, roles = context(actor, meeting_id)
    permissions.require(roles, meeting, "archive")
    open_items = ActionItem.objects.filter(meeting=meeting, status__in=OPEN_ACTION_STATUSES).count()
    if open_items:
        raise TransitionError(
            _("%(n)d action items are still open: archive once they are done or cancelled.")
            % {"n": open_items}
        )
    now = timezone.now()
    meeting.archived_at = now
    meeting.retain_until = years_later(timezone.localdate(now), RETENTION_YEARS)
    MEETING_MACHINE.move(meeting, MeetingStatus.ARCHIVED, author=roles.person)
    bump(meeting, "status", "archived_at", "retain_until")
    deadlines.clocks_stop_for(subject=meeting, met=False, actor=actor)
    return meeting


# --- materials ----------------------------------------------------------------------------


@transaction.atomic
def material_add(*, actor: Actor, meeting_id: int, upload: UploadedFile) -> MeetingMaterial:
    """Add background material for the meeting (size and type limited like request attachments)."""
    meeting, roles = context(actor, meeting_id)
    permissions.require(roles, meeting, "attach")
    name = checked_upload_name(upload)
    material = MeetingMaterial(
        meeting=meeting,
        name=name,
        size=upload.size or 0,
        content_type=upload_content_type(upload),
        uploaded_by=roles.person,
    )
    material.file.save(name, upload, save=False)
    material.save()
    if meeting.status != MeetingStatus.DRAFT:
        MeetingEvent.add(
            meeting, EventKind.MATERIAL, author=roles.person, content=name, data={"material": material.pk}
        )
        send(
            meeting,
            invitee_ids(meeting),
            event_name="material",
            title=_("New material for the meeting: %(title)s") % {"title": meeting.title},
            body=name,
            actor=roles.person,
        )
    bump(meeting)
    return material
