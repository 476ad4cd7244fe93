"""The minutes (会议纪要): write, circulate, confirm or object, revise, sign (SPEC §4 [001])."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError, Problems
from crossdesk.core.records import Actor, bump, inputs
from crossdesk.deadlines import services as deadlines
from crossdesk.deadlines.keys import RuleKey
from crossdesk.notify.models import Notification
from crossdesk.org.models import Department, Person

from .. import permissions
from ..choices import (
    MEETING_MACHINE,
    ActionStatus,
    EventKind,
    MeetingKind,
    MeetingStatus,
    NextStep,
    ResponseKind,
)
from ..models import ActionItem, Meeting, MeetingDepartment, MeetingEvent, MinutesResponse, MinutesVersion
from ..selectors import answered_participations
from ..signals import minutes_final
from ..signatures import content_digest, signature_digest
from . import action_items as items_service
from ._common import (
    acting,
    an_id,
    context,
    invitee_ids,
    local_text,
    participations,
    rows_of,
    send,
    text,
)

TEXT_LIMIT = 5000


# --- writing ------------------------------------------------------------------------------


def clean_discussion(value) -> list[dict]:
    """Discussion points by topic: ``[{"topic", "points"}]``; blank rows dropped."""
    cleaned = []
    for n, row in enumerate(rows_of(value, "discussion")):
        where = f"discussion[{n}]"
        if isinstance(row, str):
            row = {"points": row}
        if not isinstance(row, dict):
            raise ApplicationError(_("Each discussion point has a topic and what was said."), field=where)
        topic = text(row.get("topic"), f"{where}.topic", 300)
        points = text(row.get("points"), f"{where}.points", TEXT_LIMIT)
        if topic or points:
            cleaned.append({"topic": topic, "points": points})
    return cleaned


def clean_consensus(value) -> list[str]:
    cleaned = []
    for n, row in enumerate(rows_of(value, "consensus")):
        if isinstance(row, dict):
            row = row.get("text")
        value_ = text(row, f"consensus[{n}]", TEXT_LIMIT)
        if value_:
            cleaned.append(value_)
    return cleaned


def clean_disagreements(value) -> list[dict]:
    """``[{"topic", "views": [{"department", "person", "position"}], "next_step", "note"}]``.

    Each side's view names its department (and, if wanted, the person); the next step is
    "evaluate further" or "discuss at the next meeting" [001]."""
    rows = rows_of(value, "disagreements")
    department_ids = set()
    person_ids = set()
    cleaned = []
    for n, row in enumerate(rows):
        where = f"disagreements[{n}]"
        if not isinstance(row, dict):
            raise ApplicationError(_("Each disagreement has a topic and the views held."), field=where)
        views = []
        for m, view in enumerate(rows_of(row.get("views"), f"{where}.views")):
            vwhere = f"{where}.views[{m}]"
            if not isinstance(view, dict):
                raise ApplicationError(_("Each view names a department and its position."), field=vwhere)
            department = an_id(view.get("department"), f"{vwhere}.department", _("Unknown department."))
            person = an_id(view.get("person"), f"{vwhere}.person", _("Unknown person."))
            position = text(view.get("position"), f"{vwhere}.position", TEXT_LIMIT)
            if department:
                department_ids.add(department)
            if person:
                person_ids.add(person)
            if department or person or position:
                views.append({"department": department, "person": person, "position": position})
        next_step = (row.get("next_step") or "").strip()
        if next_step and next_step not in NextStep.values:
            raise ApplicationError(
                _("The next step is “evaluate further” or “discuss at the next meeting”."),
                field=f"{where}.next_step",
            )
        entry = {
            "topic": text(row.get("topic"), f"{where}.topic", 300),
            "views": views,
            "next_step": next_step,
            "note": text(row.get("note"), f"{where}.note", 1000),
        }
        if entry["topic"] or views or entry["note"]:
            cleaned.append(entry)
    known = set(Department.objects.filter(pk__in=department_ids).values_list("pk", flat=True))
    if missing := department_ids - known:
        raise ApplicationError(
            _("Unknown department: %(value)s.") % {"value": sorted(missing)}, field="disagreements"
        )
    known_people = set(Person.objects.filter(pk__in=person_ids).values_list("pk", flat=True))
    if missing := person_ids - known_people:
        raise ApplicationError(_("Unknown person."), field="disagreements")
    return cleaned


@transaction.atomic
def minutes_save(*, actor: Actor, meeting_id: int, data: dict, minutes_version: int | None = None) -> Meeting:
    """Save the minutes as typed (also the autosave, also live during the meeting). Any of
    ``discussion``, ``disagreements``, ``consensus``, ``action_items`` may be sent; what is
    sent replaces that section. A save based on an old copy is refused (409)."""
    meeting, roles = context(actor, meeting_id, minutes_version=minutes_version)
    permissions.require(roles, meeting, "write_minutes")
    inputs.known(data, {"discussion", "disagreements", "consensus", "action_items"})
    if "discussion" in data:
        meeting.discussion = clean_discussion(data["discussion"])
    if "disagreements" in data:
        meeting.disagreements = clean_disagreements(data["disagreements"])
    if "consensus" in data:
        meeting.consensus = clean_consensus(data["consensus"])
    if "action_items" in data:
        items_service.sync_minutes_items(meeting, data["action_items"], author=acting(roles), actor=actor)
    meeting.minutes_version += 1
    meeting.minutes_updated_at = timezone.now()
    fields = ["discussion", "disagreements", "consensus", "minutes_version", "minutes_updated_at"]
    if meeting.status == MeetingStatus.HELD:
        MEETING_MACHINE.move(meeting, MeetingStatus.MINUTES_DRAFTING, author=roles.person)
        fields.append("status")
    bump(meeting, *fields)
    return meeting


# --- circulating --------------------------------------------------------------------------


def _validate_for_circulation(meeting: Meeting, items: list[ActionItem]) -> None:
    """Everything circulating needs, checked at once: one 400 names every row to fix."""
    if not (meeting.discussion or meeting.consensus or meeting.disagreements or items):
        raise ApplicationError(
            _("The minutes are empty: write what was discussed and agreed."), field="discussion"
        )
    problems = Problems()
    for n, row in enumerate(meeting.discussion):
        if not row.get("points"):
            problems.add(f"discussion[{n}].points", _("Write what was said on each topic."))
    for n, row in enumerate(meeting.disagreements):
        where = f"disagreements[{n}]"
        if not row.get("topic"):
            problems.add(f"{where}.topic", _("Give each disagreement a topic."))
        if not row.get("views") or any(
            not (v.get("department") and v.get("position")) for v in row.get("views", [])
        ):
            problems.add(f"{where}.views", _("Say which department holds which view on each disagreement."))
        if not row.get("next_step"):
            problems.add(
                f"{where}.next_step",
                _("Say what happens next: evaluate further or discuss at the next meeting."),
            )
    now = timezone.now()
    for n, item in enumerate(items):
        where = f"action_items[{n}]"
        if not item.action.strip():
            problems.add(f"{where}.action", _("Say what is to be done."))
        if item.owner_id is None:
            problems.add(f"{where}.owner", _("Name the one person responsible."))
        if item.due_at is None:
            problems.add(f"{where}.due_at", _("Give the deadline."))
        elif item.activated_at is None and item.due_at <= now:
            problems.add(f"{where}.due_at", _("The deadline must be in the future."))
    problems.raise_any()


def department_name(departments: dict[int, str], pk) -> str:
    return departments.get(pk, "") if pk else ""


def snapshot(meeting: Meeting, items: list[ActionItem]) -> dict:
    """The minutes as circulated, self-contained (names, not only ids), for the version row."""
    department_ids = {v.get("department") for d in meeting.disagreements for v in d.get("views", [])}
    department_ids |= {i.support_department_id for i in items}
    departments = dict(
        Department.objects.filter(pk__in={d for d in department_ids if d}).values_list("pk", "name")
    )
    person_ids = {v.get("person") for d in meeting.disagreements for v in d.get("views", [])}
    people = dict(Person.objects.filter(pk__in={p for p in person_ids if p}).values_list("pk", "name"))
    return {
        "discussion": meeting.discussion,
        "disagreements": [
            {
                **row,
                "views": [
                    {
                        **view,
                        "department_name": department_name(departments, view.get("department")),
                        "person_name": people.get(view.get("person"), "") if view.get("person") else "",
                    }
                    for view in row.get("views", [])
                ],
            }
            for row in meeting.disagreements
        ],
        "consensus": meeting.consensus,
        "action_items": [
            {
                "id": item.pk,
                "action": item.action,
                "owner": item.owner_id,
                "owner_name": item.owner.name if item.owner is not None else "",
                "due_at": timezone.localtime(item.due_at).isoformat() if item.due_at else None,
                "support_needed": item.support_needed,
                "support_department": item.support_department_id,
                "support_department_name": department_name(departments, item.support_department_id),
                "status": item.status,
            }
            for item in items
        ],
    }


@transaction.atomic
def minutes_circulate(
    *, actor: Actor, meeting_id: int, minutes_version: int | None = None, note: str = ""
) -> MinutesVersion:
    """Circulate the minutes to every participant for confirmation [001]: the circulated text
    is kept as an immutable version, each department's representative has 1 working day to
    confirm or object, and the action items are tracked from now on."""
    meeting, roles = context(actor, meeting_id, minutes_version=minutes_version)
    permissions.require(roles, meeting, "circulate")
    items = list(
        ActionItem.objects.filter(meeting=meeting)
        .exclude(status=ActionStatus.CANCELLED)
        .select_related("owner")
        .order_by("position", "id")
    )
    _validate_for_circulation(meeting, items)
    now = timezone.now()
    for item in items:
        if item.activated_at is None:
            items_service.activate(item, author=roles.person, actor=actor, now=now)
    content = snapshot(meeting, items)
    meeting.circulation += 1
    version = MinutesVersion.objects.create(
        meeting=meeting,
        number=meeting.circulation,
        content=content,
        digest=content_digest(content),
        circulated_at=now,
        circulated_by=acting(roles),
        note=(note or "").strip()[:2000],
    )
    meeting.circulated_at = now
    MEETING_MACHINE.move(meeting, MeetingStatus.CIRCULATED, author=roles.person)
    bump(meeting, "status", "circulation", "circulated_at")
    deadlines.clocks_stop_for(subject=meeting, key=RuleKey.MEETING_MINUTES, actor=actor)
    parts = participations(meeting)
    for part in parts:
        deadlines.clock_start(
            subject=meeting,
            key=RuleKey.MEETING_OBJECTION,
            owner=part.representative,
            department=part.department,
            scope=part.clock_scope,
            label=_("Confirm the minutes: %(dept)s") % {"dept": part.department.name},
            started_at=now,
            actor=actor,
        )
    MeetingEvent.add(
        meeting,
        EventKind.CIRCULATION,
        author=roles.person,
        content=version.note,
        data={"version": version.number},
    )
    representatives = [p.representative_id for p in parts]
    send(
        meeting,
        representatives,
        event_name="circulated",
        title=_("Please confirm the minutes: %(title)s") % {"title": meeting.title},
        body=_("Version %(n)d. Confirm, or object with your reasons, within 1 working day.")
        % {"n": version.number},
        actor=roles.person,
        level=Notification.Level.ACTION,
    )
    send(
        meeting,
        [p for p in [*invitee_ids(meeting), meeting.initiator_id] if p not in representatives],
        event_name="circulated_cc",
        title=_("Minutes circulated: %(title)s") % {"title": meeting.title},
        body=_("Version %(n)d.") % {"n": version.number},
        actor=roles.person,
    )
    return version


# --- confirming and objecting -------------------------------------------------------------


def _choose_part(
    roles, meeting: Meeting, parts: list[MeetingDepartment], department_id, action: str, answered: set[int]
) -> MeetingDepartment:
    """The participating department the actor answers or signs for: the one named, or the
    only one they may act for now."""
    if department_id not in (None, ""):
        wanted = str(department_id).strip()
        for part in parts:
            if str(part.department_id) == wanted or part.department.code == wanted.upper():
                return part
        raise ApplicationError(_("This department does not take part in the meeting."), field="department")
    candidates = [p for p in parts if action in permissions.part_actions(roles, meeting, p, answered)]
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        raise ApplicationError(_("Say which department you answer for."), field="department")
    mine = [p for p in parts if permissions.has_role(roles, meeting, p, action)]
    return mine[0] if mine else parts[0]


def _respond(
    *, actor: Actor, meeting_id: int, department_id, kind: str, objection: str = ""
) -> MinutesResponse:
    meeting, roles = context(actor, meeting_id)
    parts = participations(meeting)
    answered = answered_participations(meeting)
    action = "confirm" if kind == ResponseKind.CONFIRM else "object"
    part = _choose_part(roles, meeting, parts, department_id, action, answered)
    permissions.require(roles, meeting, action, part, answered=answered)
    objection = (objection or "").strip()
    if kind == ResponseKind.OBJECT and not objection:
        raise ApplicationError(_("Say what is wrong in the minutes and how it should read."), field="text")
    if len(objection) > TEXT_LIMIT:
        raise ApplicationError(_("At most %(n)d characters.") % {"n": TEXT_LIMIT}, field="text")
    minutes = MinutesVersion.objects.get(meeting=meeting, number=meeting.circulation)
    response = MinutesResponse.objects.create(
        meeting=meeting,
        minutes=minutes,
        participation=part,
        person=acting(roles),
        kind=kind,
        text=objection,
        at=timezone.now(),
    )
    deadlines.clocks_stop_for(
        subject=meeting, key=RuleKey.MEETING_OBJECTION, scope=part.clock_scope, actor=actor
    )
    MeetingEvent.add(
        meeting,
        EventKind.CONFIRMATION if kind == ResponseKind.CONFIRM else EventKind.OBJECTION,
        author=roles.person,
        content=objection,
        data={"version": minutes.number, "department": part.department_id},
    )
    answered.add(part.pk)
    fields: list[str] = []
    if kind == ResponseKind.OBJECT:
        if meeting.status == MeetingStatus.CIRCULATED:
            MEETING_MACHINE.move(meeting, MeetingStatus.OBJECTED, author=roles.person, reason=objection)
            fields.append("status")
        send(
            meeting,
            [meeting.recorder_id, meeting.initiator_id],
            event_name="objection",
            title=_("Objection to the minutes from %(dept)s: %(title)s")
            % {"dept": part.department.name, "title": meeting.title},
            body=objection[:500],
            actor=roles.person,
            level=Notification.Level.ACTION,
        )
    elif meeting.status == MeetingStatus.CIRCULATED and all(p.pk in answered for p in parts):
        confirmed = set(
            MinutesResponse.objects.filter(minutes=minutes, kind=ResponseKind.CONFIRM).values_list(
                "participation_id", flat=True
            )
        )
        if confirmed >= {p.pk for p in parts}:
            meeting.confirmed_at = timezone.now()
            MEETING_MACHINE.move(meeting, MeetingStatus.CONFIRMED, author=roles.person)
            fields += ["status", "confirmed_at"]
            send(
                meeting,
                [p.department.head_id for p in parts],
                event_name="sign",
                title=_("Please sign the minutes: %(title)s") % {"title": meeting.title},
                body=_("Every participating department confirmed version %(n)d.") % {"n": minutes.number},
                actor=None,
                level=Notification.Level.ACTION,
            )
    bump(meeting, *fields)
    return response


@transaction.atomic
def minutes_confirm(*, actor: Actor, meeting_id: int, department_id=None) -> MinutesResponse:
    """A department's representative confirms the circulated minutes. When every department
    has confirmed, the heads are asked to sign."""
    return _respond(
        actor=actor, meeting_id=meeting_id, department_id=department_id, kind=ResponseKind.CONFIRM
    )


@transaction.atomic
def minutes_object(*, actor: Actor, meeting_id: int, text: str, department_id=None) -> MinutesResponse:
    """A department's representative objects, saying what is wrong; the recorder revises."""
    return _respond(
        actor=actor,
        meeting_id=meeting_id,
        department_id=department_id,
        kind=ResponseKind.OBJECT,
        objection=text,
    )


@transaction.atomic
def minutes_revise(*, actor: Actor, meeting_id: int) -> Meeting:
    """The recorder takes up the objections: the minutes can be edited again and must be
    circulated anew (on the same time rule as the first circulation)."""
    meeting, roles = context(actor, meeting_id)
    permissions.require(roles, meeting, "revise")
    MEETING_MACHINE.move(meeting, MeetingStatus.REVISING, author=roles.person)
    bump(meeting, "status")
    deadlines.clocks_stop_for(subject=meeting, key=RuleKey.MEETING_OBJECTION, met=False, actor=actor)
    deadlines.clock_start(
        subject=meeting,
        key=RuleKey.MEETING_MINUTES,
        variant="kickoff" if meeting.kind == MeetingKind.KICKOFF else "",
        owner=meeting.recorder,
        department=meeting.initiating_department,
        scope=f"revision:{meeting.circulation}",
        label=_("Circulate the revised minutes"),
        actor=actor,
    )
    parts = participations(meeting)
    send(
        meeting,
        [p.representative_id for p in parts],
        event_name="revising",
        title=_("The minutes are being revised: %(title)s") % {"title": meeting.title},
        body=_("A new version will be circulated for confirmation."),
        actor=roles.person,
    )
    return meeting


# --- signing ------------------------------------------------------------------------------


@transaction.atomic
def minutes_sign(*, actor: Actor, meeting_id: int, department_id=None) -> MeetingDepartment:
    """A participating department's head signs the confirmed minutes (签字确认). When every
    head has signed they are final."""
    meeting, roles = context(actor, meeting_id)
    parts = participations(meeting)
    part = _choose_part(roles, meeting, parts, department_id, "sign", set())
    permissions.require(roles, meeting, "sign", part)
    minutes = MinutesVersion.objects.get(meeting=meeting, number=meeting.circulation)
    now = timezone.now()
    part.head, part.head_signed_at = acting(roles), now
    part.head_signature = signature_digest(
        meeting, minutes, part, part.head.pk, now, meeting.materials.only("id", "name", "size")
    )
    part.save(update_fields=["head", "head_signed_at", "head_signature"])
    MeetingEvent.add(
        meeting,
        EventKind.SIGNATURE,
        author=roles.person,
        content=part.department.name,
        data={"version": minutes.number, "department": part.department_id},
    )
    fields: list[str] = []
    if all(p.head_signed_at for p in parts):
        meeting.signed_at = now
        MEETING_MACHINE.move(meeting, MeetingStatus.SIGNED, author=roles.person)
        fields += ["status", "signed_at"]
        send(
            meeting,
            [meeting.initiator_id, meeting.recorder_id, *invitee_ids(meeting)],
            event_name="signed",
            title=_("Minutes final, all departments signed: %(title)s") % {"title": meeting.title},
            body=_("Version %(n)d, signed %(when)s.") % {"n": minutes.number, "when": local_text(now)},
            actor=roles.person,
        )
    bump(meeting, *fields)
    if "status" in fields:
        minutes_final.send(sender=Meeting, meeting=meeting, author=roles.person)
    return part
