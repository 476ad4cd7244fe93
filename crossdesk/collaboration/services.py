"""Every write to a collaboration request (SPEC §3).

Each service locks the request row, checks who may do what now (``permissions``),
writes, adds a timeline row for the change, starts or stops the deadline clocks of
SPEC's time rules and writes the notifications, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError, NotFoundError, PermissionDeniedError, Problems
from crossdesk.core.files import RETENTION_YEARS, checked_upload_name, upload_content_type, years_later
from crossdesk.core.numbering import next_number
from crossdesk.core.records import Actor, bump, locked
from crossdesk.core.records.actors import is_system
from crossdesk.core.records.inputs import a_choice, a_moment, an_int, required_text, text
from crossdesk.deadlines import services as deadlines
from crossdesk.deadlines.choices import ClockState
from crossdesk.deadlines.keys import RuleKey
from crossdesk.deadlines.models import Clock
from crossdesk.notify.models import Notification
from crossdesk.notify.services import notifications_batched, notify
from crossdesk.org.models import Department, Membership, Person
from crossdesk.org.selectors import Roles, active_person, person_required, roles_for

from . import permissions
from .choices import (
    PART_MACHINE,
    REQUEST_MACHINE,
    EntryKind,
    PartRole,
    PartStatus,
    RequestStatus,
    RequestType,
    Urgency,
)
from .involvement import involvement_create, involvement_sync
from .letters import accept_content, letter_digest, letter_write
from .models import Attachment, Request, RequestInvolvement, RequestPart, ResourceLetter, TimelineEntry
from .signatures import LOG_KINDS, signature_digest

NUMBER_PREFIX = "XMB"
MAX_FIRST_UPLOADS = 10  # files attached with the first save of a request

DRAFT_TEXT_FIELDS = {
    "title": 200,
    "type_other": 100,
    "initiator_phone": 32,
    "background": 5000,
    "current_situation": 5000,
    "expected_outcome": 5000,
    "resources_people": 500,
    "resources_budget": 200,
    "resources_material": 500,
    "related_matter": 200,
}
DRAFT_FIELDS = set(DRAFT_TEXT_FIELDS) | {
    "urgency",
    "type",
    "initiating_department",
    "expected_completion_at",
    "cc_supervisor",
    "confidential",
    "receiving_departments",
    "informed_departments",
}


# --- helpers ----------------------------------------------------------------------------


def _parts(request: Request) -> list[RequestPart]:
    # Heads and liaisons are who the services notify and hand clocks to: load them with the parts.
    parts = list(request.parts.select_related("department").order_by("id"))
    # The people in one more query rather than five more joins: PostgreSQL spent 3 ms
    # planning the seven-table join, ten times what running it took.
    wanted = {
        pk
        for part in parts
        for pk in (
            part.department.head_id,
            part.department.default_liaison_id,
            part.liaison_id,
            part.responsible_id,
            part.head_id,
        )
        if pk is not None
    }
    people = Person.objects.in_bulk(wanted)
    for part in parts:
        department = part.department
        department.head = people.get(department.head_id)
        department.default_liaison = people.get(department.default_liaison_id)
        part.liaison = people.get(part.liaison_id)
        part.responsible = people.get(part.responsible_id)
        part.head = people.get(part.head_id)
    # The API answers a change with the request and its parts: it reuses these (kept up to
    # date by the service) instead of reading them again.
    request.loaded_parts = parts
    return parts


def _context(
    actor: Actor, request_id: int, action: str | None, *, version: int | None = None
) -> tuple[Request, list[RequestPart], Roles]:
    """Lock the request (with whether the actor may see it, read in the same query) and
    check the actor may take ``action`` on it now."""
    roles = roles_for(actor)
    # The initiator and their department go into clocks and messages of most changes.
    request: Request = locked(
        Request.objects.annotate(viewer_involved=permissions.involved_annotation(roles)),
        request_id,
        version,
        related=("initiator", "initiating_department"),
        not_found=_("No such request."),
        stale_message=_(
            "Someone else changed this request since you opened it. Reload the page to see their change."
        ),
        # A request the actor may not see is "not found" before any version or rule.
        seen=lambda row: is_system(actor) or bool(row.viewer_involved),
    )
    permissions.mark_involved(request, roles)
    parts = _parts(request)
    if action:
        permissions.require(roles, request, parts, action)
    return request, parts, roles


def _acting(roles: Roles) -> Person:
    """The person behind ``roles`` once a rule let them act (every rule needs a person)."""
    if roles.person is None:
        raise PermissionDeniedError(_("Your login is not linked to a person in the organisation."))
    return roles.person


def _part_context(
    actor: Actor, request_id: int, part_id: int, action: str
) -> tuple[Request, list[RequestPart], RequestPart, Roles]:
    """Lock the request, find the department's part and check the actor may do ``action`` on it now."""
    request, parts, roles = _context(actor, request_id, None)
    part = _part(parts, part_id)
    permissions.require(roles, request, parts, action, part)
    return request, parts, part, roles


def _part(parts: list[RequestPart], part_id: int) -> RequestPart:
    for part in parts:
        if part.pk == part_id:
            return part
    raise NotFoundError(_("No such department on this request."))


def _bump(request: Request, *fields: str, sync_involvement: bool = True) -> None:
    bump(request, *fields)
    if fields and sync_involvement:
        involvement_sync(request)


def _move(request: Request, new_status: str, *, author: Person | None, reason: str = "") -> None:
    REQUEST_MACHINE.move(request, new_status, author=author, reason=reason)


def _move_part(
    part: RequestPart, new_status: str, *, request: Request, author: Person | None, reason: str = ""
) -> None:
    PART_MACHINE.move(
        part,
        new_status,
        author=author,
        reason=reason,
        into=request,
        part=part,
        names={"dept": part.department.name},
    )


def _receiving(parts: Iterable[RequestPart]) -> list[RequestPart]:
    return [p for p in parts if p.role == PartRole.RECEIVING]


def _liaison_of(part: RequestPart) -> int | None:
    return part.liaison_id or part.department.default_liaison_id or part.department.head_id


def _everyone_involved(request: Request, parts: list[RequestPart]) -> list[int | None]:
    """The initiator and the liaison of every involved department (SPEC §3: 信息透明)."""
    return [request.initiator_id, *(_liaison_of(p) for p in parts)]


def _notify(
    request: Request, recipients, *, event: str, title: str, body: str = "", actor: Person | None, level=None
):
    notify(
        recipients=recipients,
        exclude=[actor],
        event=f"request.{event}",
        title=f"[{request.number or _('Draft')}] {title}",
        body=body,
        url=request.get_absolute_url(),
        subject=request,
        level=level or Notification.Level.INFO,
    )


def _refresh_due(request: Request) -> None:
    """Keep the request's next deadline and overdue flag in step with its clocks (for lists)."""
    refresh_due_of_requests([request.pk])
    request.next_due_at, request.is_overdue = Request.objects.values_list("next_due_at", "is_overdue").get(
        pk=request.pk
    )


def refresh_due_of_requests(request_ids) -> None:
    """Copy each request's next live deadline and overdue flag from its clocks onto the
    request and its inbox rows: two UPDATEs however many requests (the sweep's batches).
    The clocks are only read here; deadlines writes them."""
    live = Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(Request),
        subject_id=OuterRef("pk"),
        state__in=[ClockState.RUNNING, ClockState.BREACHED],
    )
    next_due = live.order_by().values("subject_id").annotate(first=Min("due_at")).values("first")
    Request.objects.filter(pk__in=list(request_ids)).update(
        next_due_at=Subquery(next_due),
        is_overdue=Exists(live.filter(state=ClockState.BREACHED)),
    )
    copied = Request.objects.filter(pk=OuterRef("request_id"))
    RequestInvolvement.objects.filter(request_id__in=list(request_ids)).update(
        next_due_at=Subquery(copied.values("next_due_at")[:1]),
        is_overdue=Subquery(copied.values("is_overdue")[:1]),
    )


def _department_ids(values, field: str) -> list[int]:
    ids = [an_id for an_id in (an_int(getattr(v, "pk", v), field) for v in values or []) if an_id]
    found = set(Department.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    if missing := [i for i in ids if i not in found]:
        raise ApplicationError(_("Unknown department: %(ids)s.") % {"ids": missing}, field=field)
    return list(dict.fromkeys(ids))


def _future(value, field: str, missing: str) -> datetime:
    """A moment in the future, or a 400 naming ``field``."""
    moment = a_moment(value, field)
    if moment is None:
        raise ApplicationError(missing, field=field)
    if moment <= timezone.now():
        raise ApplicationError(_("The committed completion time must be in the future."), field=field)
    return moment


# --- drafts -----------------------------------------------------------------------------


def _apply_draft_fields(
    request: Request, person: Person, data: dict
) -> tuple[list[int] | None, list[int] | None]:
    unknown = set(data) - DRAFT_FIELDS
    if unknown:
        raise ApplicationError(
            _("Unknown field: %(f)s.") % {"f": ", ".join(sorted(unknown))}, field=sorted(unknown)[0]
        )
    for name, limit in DRAFT_TEXT_FIELDS.items():
        if name in data:
            setattr(request, name, text(data[name], name, limit))
    if "urgency" in data:
        request.urgency = a_choice(data["urgency"], "urgency", Urgency)
    if "type" in data:
        request.type = a_choice(data["type"], "type", RequestType)
    if "initiating_department" in data:
        pk = getattr(data["initiating_department"], "pk", data["initiating_department"])
        if not Membership.objects.filter(person=person, department_id=pk).exists():
            raise ApplicationError(
                _("You can raise a request only for a department you belong to."),
                field="initiating_department",
            )
        request.initiating_department_id = int(pk)
    if "expected_completion_at" in data:
        request.expected_completion_at = a_moment(data["expected_completion_at"], "expected_completion_at")
    for flag in ("cc_supervisor", "confidential"):
        if flag in data:
            setattr(request, flag, bool(data[flag]))
    receiving, informed = (
        _department_ids(data[name], name) if name in data else None
        for name in ("receiving_departments", "informed_departments")
    )
    return receiving, informed


def _set_parts(request: Request, receiving: list[int] | None, informed: list[int] | None) -> None:
    current = {p.department_id: p for p in request.parts.all()}
    if receiving is None:
        receiving = [d for d, p in current.items() if p.role == PartRole.RECEIVING]
    if informed is None:
        informed = [d for d, p in current.items() if p.role == PartRole.INFORMED]
    informed = [d for d in informed if d not in receiving]
    wanted = {**dict.fromkeys(informed, PartRole.INFORMED), **dict.fromkeys(receiving, PartRole.RECEIVING)}
    request.parts.exclude(department_id__in=list(wanted)).delete()
    for department_id, role in wanted.items():
        part = current.get(department_id)
        status = PartStatus.PENDING if role == PartRole.RECEIVING else PartStatus.INFORMED
        if part is None:
            RequestPart.objects.create(request=request, department_id=department_id, role=role, status=status)
        elif part.role != role:
            part.role, part.status = role, status
            part.save(update_fields=["role", "status"])


@transaction.atomic
def request_create_draft(*, actor: Actor, data: dict, uploads: Sequence[UploadedFile] = ()) -> Request:
    """Start a draft. Nothing is required yet: drafts save whatever was typed. ``uploads``
    are attached with it: one refused file (type, size) creates nothing (400 on ``uploads``)."""
    person = person_required(actor)
    primary = Membership.objects.filter(person=person).order_by("-is_primary", "id").first()
    if primary is None:
        raise ApplicationError(_("You belong to no department, so you cannot raise a request."))
    request = Request(
        initiator=person, initiating_department_id=primary.department_id, initiator_phone=person.phone
    )
    receiving, informed = _apply_draft_fields(request, person, data)
    request.save()
    _set_parts(request, receiving or [], informed or [])
    for n, upload in enumerate(uploads):
        if n >= MAX_FIRST_UPLOADS:
            raise ApplicationError(
                _("Attach at most %(n)d files at once.") % {"n": MAX_FIRST_UPLOADS}, field="uploads"
            )
        try:
            attachment_add(actor=actor, request_id=request.pk, upload=upload)
        except ApplicationError as exc:
            raise ApplicationError(f"{upload.name}：{exc.message}", field="uploads") from exc
        request.refresh_from_db(fields=["version"])
    return request


@transaction.atomic
def request_update_draft(*, actor: Actor, request_id: int, data: dict, version: int | None = None) -> Request:
    """Save changes to a draft (the autosave calls this). Refused if someone saved in between."""
    request, parts, roles = _context(actor, request_id, "edit", version=version)
    receiving, informed = _apply_draft_fields(request, _acting(roles), data)
    request.version += 1
    request.save()
    _set_parts(request, receiving, informed)
    return request


def _validate_for_submission(request: Request, parts: list[RequestPart]) -> None:
    """Every field submitting needs, checked at once: one 400 lists them all."""
    problems = Problems()
    required = [
        ("title", _("Give the request a subject.")),
        ("background", _("Describe the background.")),
        ("current_situation", _("Describe the current situation or problem.")),
        ("expected_outcome", _("Describe the expected outcome.")),
    ]
    for field, message in required:
        if not getattr(request, field).strip():
            problems.add(field, message)
    if request.type == RequestType.OTHER and not request.type_other:
        problems.add("type_other", _("Say what kind of request this is."))
    if not _receiving(parts):
        problems.add("receiving_departments", _("Choose at least one department that must act."))
    if any(p.department_id == request.initiating_department_id for p in parts):
        problems.add("receiving_departments", _("Your own department cannot receive its own request."))
    if request.expected_completion_at is None:
        problems.add("expected_completion_at", _("Give the expected completion time."))
    elif request.expected_completion_at <= timezone.now():
        problems.add("expected_completion_at", _("The expected completion time must be in the future."))
    problems.raise_any()


@transaction.atomic
def request_submit(*, actor: Actor, request_id: int, version: int | None = None) -> Request:
    """Submit a draft: it gets its number, the receiving liaisons are told, clocks start."""
    request, parts, roles = _context(actor, request_id, "submit", version=version)
    _validate_for_submission(request, parts)
    now = timezone.now()
    year = timezone.localtime(now).year
    request.year = year
    request.number = f"{NUMBER_PREFIX}-{year}-{next_number(NUMBER_PREFIX, year):03d}"
    request.raised_on = timezone.localdate(now)
    request.submitted_at = now
    # Plan the clocks first: the request's next deadline then goes out with the status change.
    rules = deadlines.Rules(
        RuleKey.REQUEST_RESPOND, RuleKey.REQUEST_NAME_LIAISON, RuleKey.REQUEST_FIRST_CONTACT
    )
    clocks = []
    for part in _receiving(parts):
        respond = deadlines.clock_plan(
            subject=request,
            key=RuleKey.REQUEST_RESPOND,
            variant=request.urgency,
            owner=part.department.default_liaison,
            department=part.department,
            scope=part.clock_scope,
            label=_("Respond: %(dept)s") % {"dept": part.department.name},
            started_at=now,
            rules=rules,
        )
        name_liaison = deadlines.clock_plan(
            subject=request,
            key=RuleKey.REQUEST_NAME_LIAISON,
            owner=part.department.head,
            department=part.department,
            scope=part.clock_scope,
            label=_("Name a liaison: %(dept)s") % {"dept": part.department.name},
            not_later_than=respond.due_at,
            started_at=now,
            rules=rules,
        )
        clocks += [respond, name_liaison]
    clocks.append(
        deadlines.clock_plan(
            subject=request,
            key=RuleKey.REQUEST_FIRST_CONTACT,
            owner=request.initiator,
            department=request.initiating_department,
            label=_("First confirmation call with the liaison"),
            started_at=now,
            rules=rules,
        )
    )
    request.next_due_at = min(c.due_at for c in clocks)
    request.is_overdue = False
    _move(request, RequestStatus.SUBMITTED, author=roles.person)
    _bump(
        request,
        *("year", "number", "raised_on", "submitted_at", "status", "next_due_at", "is_overdue"),
        sync_involvement=False,
    )
    involvement_create(request, parts)
    deadlines.clocks_insert(clocks, actor=actor)
    # The liaisons' and the copied people's messages go in one INSERT.
    with notifications_batched():
        receiving = _receiving(parts)
        _notify(
            request,
            [_liaison_of(p) for p in receiving],
            event="submitted",
            title=_("New request for your department: %(title)s") % {"title": request.title},
            body=_("%(urgency)s · from %(dept)s · respond in time.")
            % {"urgency": request.get_urgency_display(), "dept": request.initiating_department.name},
            actor=roles.person,
            level=Notification.Level.ACTION,
        )
        copied = [request.initiating_department.head_id] + [
            _liaison_of(p) for p in parts if p.role == PartRole.INFORMED
        ]
        if request.cc_supervisor:
            copied += list(request.initiating_department.supervisors.values_list("id", flat=True))
        _notify(
            request,
            copied,
            event="submitted_cc",
            title=_("For your information: %(title)s") % {"title": request.title},
            body=_("Raised by %(who)s (%(dept)s).")
            % {"who": request.initiator.name, "dept": request.initiating_department.name},
            actor=roles.person,
        )
    return request


@transaction.atomic
def request_cancel(*, actor: Actor, request_id: int, reason: str, version: int | None = None) -> Request:
    """The initiator withdraws the request before it is resolved; every clock stops."""
    request, parts, roles = _context(actor, request_id, "cancel", version=version)
    reason = required_text(reason, "reason", _("Say why the request is cancelled."))
    request.cancel_reason = reason
    was_draft = request.status == RequestStatus.DRAFT
    _move(request, RequestStatus.CANCELLED, author=roles.person, reason=request.cancel_reason)
    _bump(request, "status", "cancel_reason")
    deadlines.clocks_stop_for(subject=request, met=False, actor=actor)
    if not was_draft:
        _notify(
            request,
            _everyone_involved(request, parts),
            event="cancelled",
            title=_("Request cancelled: %(title)s") % {"title": request.title},
            body=request.cancel_reason,
            actor=roles.person,
        )
    _refresh_due(request)
    return request


# --- the communication log ----------------------------------------------------------------


@transaction.atomic
def request_log(
    *,
    actor: Actor,
    request_id: int,
    content: str,
    participants: str = "",
    part_id: int | None = None,
    is_first_contact: bool = False,
    corrects_id: int | None = None,
) -> TimelineEntry:
    """Append to the communication log; everyone involved is told (信息透明).

    An entry is never edited: ``corrects_id`` names the entry this one corrects.
    """
    request, parts, roles = _context(actor, request_id, "log")
    content = required_text(content, "content", _("Write what was discussed or agreed."))
    part = _part(parts, part_id) if part_id else None
    corrects = None
    if corrects_id:
        corrects = TimelineEntry.objects.filter(pk=corrects_id, request=request, kind__in=LOG_KINDS).first()
        if corrects is None:
            raise ApplicationError(
                _("The entry to correct is not in this request's log."), field="corrects_id"
            )
    entry = TimelineEntry.add(
        request,
        EntryKind.CORRECTION if corrects else EntryKind.LOG,
        author=roles.person,
        content=content,
        part=part,
        participants=(participants or "").strip()[:500],
        corrects=corrects,
        is_first_contact=bool(is_first_contact and permissions.is_initiator(roles, request)),
    )
    if entry.is_first_contact:
        deadlines.clocks_stop_for(subject=request, key=RuleKey.REQUEST_FIRST_CONTACT, actor=actor)
    _bump(request)
    _notify(
        request,
        _everyone_involved(request, parts),
        event="logged",
        title=_("New log entry: %(title)s") % {"title": request.title},
        body=f"{_acting(roles).name}：{content[:200]}",
        actor=roles.person,
    )
    _refresh_due(request)
    return entry


# --- the receiving side -------------------------------------------------------------------


def _check_member(person_id, department: Department, field: str) -> Person:
    person = active_person(person_id, field)
    assert person is not None
    if not Membership.objects.filter(person=person, department=department).exists():
        raise ApplicationError(
            _("%(name)s is not a member of %(dept)s.") % {"name": person.name, "dept": department.name},
            field=field,
        )
    return person


@transaction.atomic
def part_name_liaison(*, actor: Actor, request_id: int, part_id: int, liaison_id: int) -> RequestPart:
    """The receiving department names its one liaison for this request ([004])."""
    request, parts, part, roles = _part_context(actor, request_id, part_id, "name_liaison")
    liaison = _check_member(liaison_id, part.department, "liaison")
    part.liaison = liaison
    part.save(update_fields=["liaison"])
    TimelineEntry.add(
        request,
        EntryKind.LOG,
        author=roles.person,
        part=part,
        content=_("Liaison named: %(name)s") % {"name": liaison.name},
    )
    deadlines.clocks_stop_for(
        subject=request, key=RuleKey.REQUEST_NAME_LIAISON, scope=part.clock_scope, actor=actor
    )
    deadlines.clocks_reassign(
        subject=request, key=RuleKey.REQUEST_RESPOND, scope=part.clock_scope, owner=liaison
    )
    _bump(request)
    _notify(
        request,
        [liaison.pk, request.initiator_id],
        event="liaison",
        title=_("Liaison named for %(dept)s: %(name)s")
        % {"dept": part.department.name, "name": liaison.name},
        actor=roles.person,
    )
    _refresh_due(request)
    return part


@transaction.atomic
def part_accept(
    *, actor: Actor, request_id: int, part_id: int, liaison_id: int, committed_at, note: str = "", **letter
) -> RequestPart:
    """The receiving department accepts: names its liaison, commits to a completion time and
    writes its 部门资源确认函 [004] (``letter``: the liaison's contact and duties, the people,
    budget, material and dates it commits, first milestones, risks), version 1."""
    request, parts, part, roles = _part_context(actor, request_id, part_id, "accept")
    liaison = _check_member(liaison_id, part.department, "liaison")
    committed = _future(committed_at, "committed_at", _("Commit to a completion time."))
    content = accept_content(letter, liaison)
    letter_write(request, part, content, author=_acting(roles))
    TimelineEntry.add(
        request,
        EntryKind.LETTER,
        author=roles.person,
        part=part,
        content=_("%(dept)s sent its resource confirmation letter (version %(n)d).")
        % {"dept": part.department.name, "n": part.letter_version},
    )
    if part.status == PartStatus.AWAITING_INFO:
        _resume_part_clocks(request, part, actor)
    _move_part(part, PartStatus.ACCEPTED, request=request, author=roles.person, reason=note)
    part.liaison, part.committed_at, part.accepted_at = liaison, committed, timezone.now()
    part.save(update_fields=["status", "liaison", "committed_at", "accepted_at"])
    deadlines.clocks_stop_for(
        subject=request, key=RuleKey.REQUEST_RESPOND, scope=part.clock_scope, actor=actor
    )
    deadlines.clocks_stop_for(
        subject=request, key=RuleKey.REQUEST_NAME_LIAISON, scope=part.clock_scope, actor=actor
    )
    deadlines.clock_start(
        subject=request,
        key=RuleKey.REQUEST_RESOLVE,
        due_at=committed,
        owner=liaison,
        department=part.department,
        scope=part.clock_scope,
        label=_("Resolve: %(dept)s") % {"dept": part.department.name},
        actor=actor,
    )
    if not deadlines.clocks_live_for(subject=request, key=RuleKey.REQUEST_FOLLOW_UP):
        deadlines.clock_start(
            subject=request,
            key=RuleKey.REQUEST_FOLLOW_UP,
            variant=request.urgency,
            owner=request.initiator,
            department=request.initiating_department,
            label=_("Follow up"),
            actor=actor,
        )
    _sync_status(request, parts, roles.person)
    _bump(request, "status")
    _notify(
        request,
        _everyone_involved(request, parts),
        event="accepted",
        title=_("%(dept)s accepted: %(title)s") % {"dept": part.department.name, "title": request.title},
        body=_("Liaison %(name)s, committed to %(when)s.")
        % {"name": liaison.name, "when": timezone.localtime(committed).strftime("%Y-%m-%d %H:%M")},
        actor=roles.person,
    )
    _refresh_due(request)
    return part


@transaction.atomic
def part_decline(
    *, actor: Actor, request_id: int, part_id: int, reason: str, alternative: str
) -> RequestPart:
    """The receiving department declines; a reason and a proposed alternative are required."""
    request, parts, part, roles = _part_context(actor, request_id, part_id, "decline")
    reason = required_text(reason, "reason", _("Give the reason for declining."))
    alternative = required_text(alternative, "alternative", _("Propose an alternative."))
    _move_part(part, PartStatus.DECLINED, request=request, author=roles.person, reason=reason)
    part.decline_reason, part.decline_alternative, part.declined_at = (
        reason,
        alternative,
        timezone.now(),
    )
    part.save(update_fields=["status", "decline_reason", "decline_alternative", "declined_at"])
    letter_write(
        request,
        part,
        {"decision": ResourceLetter.Decision.DECLINE, "decline_reason": reason, "alternative": alternative},
        author=_acting(roles),
    )
    TimelineEntry.add(
        request,
        EntryKind.LETTER,
        author=roles.person,
        part=part,
        content=_("%(dept)s sent its resource confirmation letter: it declines.")
        % {"dept": part.department.name},
    )
    deadlines.clocks_stop_for(subject=request, scope=part.clock_scope, actor=actor)
    _sync_status(request, parts, roles.person)
    _bump(request, "status")
    _notify(
        request,
        _everyone_involved(request, parts),
        event="declined",
        title=_("%(dept)s declined: %(title)s") % {"dept": part.department.name, "title": request.title},
        body=_("Reason: %(reason)s\nAlternative: %(alt)s")
        % {"reason": part.decline_reason, "alt": part.decline_alternative},
        actor=roles.person,
        level=Notification.Level.WARNING,
    )
    _refresh_due(request)
    return part


@transaction.atomic
def letter_revise(
    *, actor: Actor, request_id: int, part_id: int, liaison_id: int, change_reason: str, **letter
) -> ResourceLetter:
    """A department that accepted changes what it committed: the next version of its letter,
    the earlier ones kept as they were (never an overwrite); its head signs again."""
    request, parts, part, roles = _part_context(actor, request_id, part_id, "revise_letter")
    liaison = _check_member(liaison_id, part.department, "liaison")
    reason = required_text(change_reason, "change_reason", _("Say what changes and why."))
    content = accept_content(letter, liaison)
    written = letter_write(request, part, content, author=_acting(roles), change_reason=reason)
    if liaison.pk != part.liaison_id:
        part.liaison = liaison
        part.save(update_fields=["liaison"])
    TimelineEntry.add(
        request,
        EntryKind.LETTER,
        author=roles.person,
        part=part,
        content=_("%(dept)s changed its resource confirmation letter (version %(n)d): %(reason)s")
        % {"dept": part.department.name, "n": written.version, "reason": reason},
    )
    _bump(request)
    _notify(
        request,
        _everyone_involved(request, parts),
        event="letter",
        title=_("%(dept)s changed its committed resources: %(title)s")
        % {"dept": part.department.name, "title": request.title},
        body=reason,
        actor=roles.person,
    )
    return written


@transaction.atomic
def letter_sign(*, actor: Actor, request_id: int, part_id: int) -> ResourceLetter:
    """The head of the receiving department signs the current version of its letter, with
    the date and a digest of what it says."""
    request, parts, part, roles = _part_context(actor, request_id, part_id, "sign_letter")
    signer, now = _acting(roles), timezone.now()
    letter = ResourceLetter.objects.select_for_update().get(part=part, version=part.letter_version)
    letter.head, letter.head_signed_at = signer, now
    letter.head_signature = letter_digest(letter, signer_id=signer.pk, signed_at=now)
    letter.save(update_fields=["head", "head_signed_at", "head_signature"])
    part.letter_signed = True
    part.save(update_fields=["letter_signed"])
    TimelineEntry.add(
        request,
        EntryKind.SIGNATURE,
        author=signer,
        part=part,
        content=_("Resource confirmation letter of %(dept)s, version %(n)d")
        % {"dept": part.department.name, "n": letter.version},
    )
    _bump(request)
    _notify(
        request,
        [request.initiator_id],
        event="letter_signed",
        title=_("%(dept)s signed its resource confirmation letter: %(title)s")
        % {"dept": part.department.name, "title": request.title},
        actor=signer,
    )
    return letter


def _pause_part_clocks(request: Request, part: RequestPart, actor: Actor, reason: str) -> None:
    for clock in deadlines.clocks_live_for(subject=request, scope=part.clock_scope):
        if clock.state != ClockState.PAUSED:
            deadlines.clock_pause(clock=clock, actor=actor, reason=reason)


def _resume_part_clocks(request: Request, part: RequestPart, actor: Actor) -> None:
    for clock in deadlines.clocks_live_for(subject=request, scope=part.clock_scope):
        if clock.state == ClockState.PAUSED:
            deadlines.clock_resume(clock=clock, actor=actor)


@transaction.atomic
def part_request_info(*, actor: Actor, request_id: int, part_id: int, question: str) -> RequestPart:
    """The receiving side waits on the initiator's information; its clocks pause meanwhile."""
    request, parts, part, roles = _part_context(actor, request_id, part_id, "request_info")
    question = required_text(question, "question", _("Say what information you need."))
    part.status_before_wait = part.status
    _move_part(part, PartStatus.AWAITING_INFO, request=request, author=roles.person, reason=question)
    part.save(update_fields=["status", "status_before_wait"])
    _pause_part_clocks(request, part, actor, question)
    _bump(request)
    _notify(
        request,
        [request.initiator_id],
        event="info_requested",
        title=_("%(dept)s needs information: %(title)s")
        % {"dept": part.department.name, "title": request.title},
        body=question,
        actor=roles.person,
        level=Notification.Level.ACTION,
    )
    _refresh_due(request)
    return part


@transaction.atomic
def part_provide_info(*, actor: Actor, request_id: int, part_id: int, answer: str) -> RequestPart:
    """The initiator answers; the department's clocks run again from where they stopped."""
    request, parts, part, roles = _part_context(actor, request_id, part_id, "provide_info")
    answer = required_text(answer, "answer", _("Write the information asked for."))
    back_to = part.status_before_wait or PartStatus.PENDING
    _move_part(part, back_to, request=request, author=roles.person, reason=answer)
    part.status_before_wait = ""
    part.save(update_fields=["status", "status_before_wait"])
    _resume_part_clocks(request, part, actor)
    _bump(request)
    _notify(
        request,
        [_liaison_of(part)],
        event="info_provided",
        title=_("Information provided: %(title)s") % {"title": request.title},
        body=answer[:500],
        actor=roles.person,
        level=Notification.Level.ACTION,
    )
    _refresh_due(request)
    return part


@transaction.atomic
def part_change_commitment(
    *, actor: Actor, request_id: int, part_id: int, committed_at, reason: str
) -> RequestPart:
    """A change of plan: a new committed date, with the reason; everyone involved is told."""
    request, parts, part, roles = _part_context(actor, request_id, part_id, "change_commitment")
    committed = _future(
        committed_at, "committed_at", _("The committed completion time must be in the future.")
    )
    reason = required_text(reason, "reason", _("Say why the date changes."))
    old = part.committed_at
    part.committed_at = committed
    part.save(update_fields=["committed_at"])
    for clock in deadlines.clocks_live_for(
        subject=request, key=RuleKey.REQUEST_RESOLVE, scope=part.clock_scope
    ):
        deadlines.clock_change_due(clock=clock, due_at=committed, actor=actor, reason=reason)
    fmt = "%Y-%m-%d %H:%M"
    TimelineEntry.add(
        request,
        EntryKind.LOG,
        author=roles.person,
        part=part,
        content=_("Committed date changed from %(old)s to %(new)s: %(reason)s")
        % {
            "old": timezone.localtime(old).strftime(fmt) if old else "—",
            "new": timezone.localtime(committed).strftime(fmt),
            "reason": reason,
        },
    )
    _bump(request)
    _notify(
        request,
        _everyone_involved(request, parts),
        event="replanned",
        title=_("Plan changed: %(title)s") % {"title": request.title},
        body=reason,
        actor=roles.person,
        level=Notification.Level.WARNING,
    )
    _refresh_due(request)
    return part


@transaction.atomic
def part_record_delay_reason(*, actor: Actor, request_id: int, part_id: int, reason: str) -> RequestPart:
    """The owner of an overdue part records why it is late (SPEC §3: overdue item)."""
    request, parts, part, roles = _part_context(actor, request_id, part_id, "delay_reason")
    reason = required_text(reason, "reason", _("Give the reason for the delay."))
    for clock in deadlines.clocks_live_for(subject=request, scope=part.clock_scope):
        deadlines.clock_record_delay_reason(clock=clock, actor=actor, reason=reason)
    TimelineEntry.add(
        request,
        EntryKind.LOG,
        author=roles.person,
        part=part,
        content=_("Reason for the delay: %(reason)s") % {"reason": reason},
    )
    _bump(request)
    return part


@transaction.atomic
def part_resolve(
    *, actor: Actor, request_id: int, part_id: int, resolution: str, completed_at=None, responsible_id: int
) -> RequestPart:
    """The receiving department records its resolution: what was done, when, by whom (ONE person)."""
    request, parts, part, roles = _part_context(actor, request_id, part_id, "resolve")
    resolution = required_text(resolution, "resolution", _("Describe the solution or what was done."))
    responsible = active_person(responsible_id, "responsible")
    completed = a_moment(completed_at, "completed_at") or timezone.now()
    if completed > timezone.now() + timedelta(minutes=5):
        raise ApplicationError(_("The completion time cannot be in the future."), field="completed_at")
    _move_part(part, PartStatus.RESOLVED, request=request, author=roles.person, reason=resolution)
    part.resolution, part.completed_at, part.responsible, part.resolved_at = (
        resolution,
        completed,
        responsible,
        timezone.now(),
    )
    part.save(update_fields=["status", "resolution", "completed_at", "responsible", "resolved_at"])
    deadlines.clocks_stop_for(subject=request, scope=part.clock_scope, actor=actor)
    _sync_status(request, parts, roles.person)
    _bump(request, "status", "resolved_at")
    _notify(
        request,
        _everyone_involved(request, parts),
        event="part_resolved",
        title=_("%(dept)s resolved its part: %(title)s")
        % {"dept": part.department.name, "title": request.title},
        body=resolution[:500],
        actor=roles.person,
    )
    if request.status == RequestStatus.RESOLVED:
        _notify(
            request,
            [request.initiator_id],
            event="resolved",
            title=_("Please confirm and rate: %(title)s") % {"title": request.title},
            body=_("Every department has finished. Confirm the result and rate it, or reopen it."),
            actor=None,
            level=Notification.Level.ACTION,
        )
    _refresh_due(request)
    return part


def _sync_status(request: Request, parts: list[RequestPart], author: Person | None) -> None:
    """Move the request as its parts dictate (SPEC §3: resolved when every part is
    resolved or declined)."""
    receiving = _receiving(parts)
    statuses = {p.status for p in receiving}
    if request.status == RequestStatus.SUBMITTED and statuses & {PartStatus.ACCEPTED, PartStatus.RESOLVED}:
        _move(request, RequestStatus.IN_PROGRESS, author=author)
    if request.status in (RequestStatus.SUBMITTED, RequestStatus.IN_PROGRESS) and statuses == {
        PartStatus.DECLINED
    }:
        _move(request, RequestStatus.DECLINED, author=author)
        deadlines.clocks_stop_for(subject=request, met=False)
        return
    if (
        request.status == RequestStatus.IN_PROGRESS
        and statuses <= {PartStatus.RESOLVED, PartStatus.DECLINED}
        and PartStatus.RESOLVED in statuses
    ):
        _move(request, RequestStatus.RESOLVED, author=author)
        request.resolved_at = timezone.now()
        deadlines.clocks_stop_for(subject=request, key=RuleKey.REQUEST_FOLLOW_UP)
        deadlines.clocks_stop_for(subject=request, key=RuleKey.REQUEST_FIRST_CONTACT, met=False)


# --- closing ------------------------------------------------------------------------------


@transaction.atomic
def request_confirm(
    *, actor: Actor, request_id: int, satisfaction: int, comment: str = "", remarks: str = ""
) -> Request:
    """The initiator confirms the result and rates it 1–5; the heads are asked to sign."""
    request, parts, roles = _context(actor, request_id, "confirm")
    rating = an_int(satisfaction, "satisfaction", minimum=1, maximum=5)
    if rating is None:
        raise ApplicationError(_("Rate from 1 to 5."), field="satisfaction")
    request.satisfaction, request.satisfaction_comment = rating, (comment or "").strip()
    if remarks:
        request.remarks = remarks.strip()
    request.confirmed_at = timezone.now()
    _move(request, RequestStatus.CONFIRMED, author=roles.person, reason=request.satisfaction_comment)
    _bump(request, "status", "satisfaction", "satisfaction_comment", "remarks", "confirmed_at")
    heads = [request.initiating_department.head_id] + [
        p.department.head_id for p in parts if p.status == PartStatus.RESOLVED
    ]
    _notify(
        request,
        heads,
        event="sign",
        title=_("Please sign: %(title)s") % {"title": request.title},
        body=_("The initiator confirmed the result (%(n)d/5).") % {"n": rating},
        actor=roles.person,
        level=Notification.Level.ACTION,
    )
    return request


@transaction.atomic
def request_reopen(*, actor: Actor, request_id: int, reason: str) -> Request:
    """The initiator is not satisfied: the resolved parts go back to work with new clocks."""
    request, parts, roles = _context(actor, request_id, "reopen")
    reason = required_text(reason, "reason", _("Say what is still missing."))
    _move(request, RequestStatus.IN_PROGRESS, author=roles.person, reason=reason)
    request.resolved_at = None
    _bump(request, "status", "resolved_at")
    for part in parts:
        if part.status != PartStatus.RESOLVED:
            continue
        _move_part(part, PartStatus.ACCEPTED, request=request, author=roles.person, reason=reason)
        part.resolved_at = None
        part.committed_at = max(part.committed_at or timezone.now(), timezone.now() + timedelta(days=1))
        part.save(update_fields=["status", "resolved_at", "committed_at"])
        deadlines.clock_start(
            subject=request,
            key=RuleKey.REQUEST_RESOLVE,
            due_at=part.committed_at,
            owner=part.liaison,
            department=part.department,
            scope=part.clock_scope,
            label=_("Resolve: %(dept)s") % {"dept": part.department.name},
            actor=actor,
        )
    deadlines.clock_start(
        subject=request,
        key=RuleKey.REQUEST_FOLLOW_UP,
        variant=request.urgency,
        owner=request.initiator,
        department=request.initiating_department,
        label=_("Follow up"),
        actor=actor,
    )
    _notify(
        request,
        _everyone_involved(request, parts),
        event="reopened",
        title=_("Reopened: %(title)s") % {"title": request.title},
        body=reason,
        actor=roles.person,
        level=Notification.Level.ACTION,
    )
    _refresh_due(request)
    return request


def _digest(request: Request, parts, part: RequestPart | None, signer: Person, at: datetime) -> str:
    """The signature of what ``signer`` signs now: the record, its files and its log."""
    attachments = list(request.attachments.all())
    entries = list(request.timeline.filter(kind__in=LOG_KINDS))
    return signature_digest(request, parts, attachments, entries, part, signer.pk, at)


def _maybe_signed(request: Request, parts: list[RequestPart], author: Person) -> None:
    resolved = [p for p in parts if p.status == PartStatus.RESOLVED]
    if request.initiator_head_signed_at and all(p.head_signed_at for p in resolved):
        request.signed_at = timezone.now()
        _move(request, RequestStatus.SIGNED, author=author)
        _notify(
            request,
            [request.initiator_id],
            event="signed",
            title=_("All signatures collected: %(title)s") % {"title": request.title},
            actor=author,
        )


@transaction.atomic
def part_sign(*, actor: Actor, request_id: int, part_id: int) -> RequestPart:
    """The head of a receiving department signs for its part (签字确认)."""
    request, parts, part, roles = _part_context(actor, request_id, part_id, "sign")
    signer, now = _acting(roles), timezone.now()
    part.head, part.head_signed_at = signer, now
    part.head_signature = _digest(request, parts, part, signer, now)
    part.save(update_fields=["head", "head_signed_at", "head_signature"])
    TimelineEntry.add(request, EntryKind.SIGNATURE, author=signer, part=part, content=part.department.name)
    _maybe_signed(request, parts, signer)
    _bump(request, "status", "signed_at")
    return part


@transaction.atomic
def request_sign_initiator(*, actor: Actor, request_id: int) -> Request:
    """The head of the initiating department signs."""
    request, parts, roles = _context(actor, request_id, "sign_initiator")
    signer, now = _acting(roles), timezone.now()
    request.initiator_head, request.initiator_head_signed_at = signer, now
    request.initiator_head_signature = _digest(request, parts, None, signer, now)
    TimelineEntry.add(request, EntryKind.SIGNATURE, author=signer, content=request.initiating_department.name)
    _maybe_signed(request, parts, signer)
    _bump(
        request,
        "status",
        "signed_at",
        "initiator_head",
        "initiator_head_signed_at",
        "initiator_head_signature",
    )
    return request


@transaction.atomic
def request_archive(*, actor: Actor, request_id: int) -> Request:
    """Archive: read-only from now on, kept at least two years (SPEC §6)."""
    request, parts, roles = _context(actor, request_id, "archive")
    now = timezone.now()
    request.archived_at = now
    request.retain_until = years_later(timezone.localdate(now), RETENTION_YEARS)
    _move(request, RequestStatus.ARCHIVED, author=roles.person)
    _bump(request, "status", "archived_at", "retain_until")
    deadlines.clocks_stop_for(subject=request, met=False, actor=actor)
    _refresh_due(request)
    return request


# --- attachments --------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, actor: Actor, request_id: int, upload: UploadedFile) -> Attachment:
    """Attach a document or screenshot (size and type limited)."""
    request, parts, roles = _context(actor, request_id, "attach")
    name = checked_upload_name(upload)
    attachment = Attachment(
        request=request,
        name=name,
        size=upload.size or 0,
        content_type=upload_content_type(upload),
        uploaded_by=roles.person,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    if request.status != RequestStatus.DRAFT:
        TimelineEntry.add(
            request,
            EntryKind.ATTACHMENT,
            author=roles.person,
            content=name,
            data={"attachment": attachment.pk},
        )
    _bump(request)
    return attachment
