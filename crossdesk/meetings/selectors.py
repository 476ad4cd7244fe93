"""Reads of meetings, minutes and action items, filtered by what the viewer may see (SPEC §6)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.collaboration.selectors import visible_requests
from crossdesk.core.errors import NotFoundError, TransitionError
from crossdesk.core.models import filter_given
from crossdesk.core.records.registry import WorkSection, or_indexed
from crossdesk.deadlines.choices import ClockState
from crossdesk.deadlines.keys import RuleKey
from crossdesk.deadlines.models import Clock
from crossdesk.deadlines.selectors import live_clocks_by_subject, next_clock
from crossdesk.deadlines.services import policy_get
from crossdesk.org.models import Department
from crossdesk.org.selectors import Roles, roles_for
from crossdesk.workcal.selectors import get_calendar

from . import ics, permissions
from .choices import OPEN_ACTION_STATUSES, RESPONDABLE, MeetingStatus, NextStep
from .models import (
    ActionItem,
    ActionItemUpdate,
    Meeting,
    MeetingDepartment,
    MeetingEvent,
    MeetingInvitee,
    MeetingMaterial,
    MinutesResponse,
    MinutesVersion,
)
from .signatures import broken_signatures
from .timing import latest_notice_date, notice_is_on_time, working_days_ahead

# --- meetings -----------------------------------------------------------------------------


def visible_meetings(*, roles: Roles) -> QuerySet[Meeting]:
    """Meetings the viewer may see: of their own departments (heads: the ones they head;
    supervisors: the ones they supervise), of departments taking part, and those they are
    invited to, initiate or record. Drafts only to their initiator and recorder; admins see
    everything else."""
    meetings = Meeting.objects.all()
    person_id = roles.person.pk if roles.person else None
    own = Q(initiator_id=person_id) | Q(recorder_id=person_id)
    not_someone_elses_draft = ~Q(status=MeetingStatus.DRAFT) | own
    if roles.is_admin:
        return meetings.filter(not_someone_elses_draft)
    if person_id is None:
        return meetings.none()
    if roles.policy.supervisors_see_drafts and roles.supervises_over:
        not_someone_elses_draft |= Q(
            status=MeetingStatus.DRAFT, initiating_department_id__in=roles.supervises_over
        )
    departments = roles.sees_as_member
    taking_part = MeetingDepartment.objects.filter(meeting=OuterRef("pk"), department_id__in=departments)
    invited = MeetingInvitee.objects.filter(meeting=OuterRef("pk"), person_id=person_id)
    visible = own | Q(initiating_department_id__in=departments) | Q(Exists(taking_part)) | Q(Exists(invited))
    # A confidential meeting, like a confidential request: only the people named in it and
    # the heads and supervisors of its departments (and of the departments above them).
    overseen = MeetingDepartment.objects.filter(meeting=OuterRef("pk")).filter(
        Q(department_id__in=roles.oversees) | Q(representative_id=person_id)
    )
    confidential_ok = (
        Q(confidential=False)
        | own
        | Q(initiating_department_id__in=roles.oversees)
        | Q(Exists(overseen))
        | Q(Exists(invited))
    )
    return meetings.filter(visible & confidential_ok & not_someone_elses_draft)


def meeting_get_for_viewer(*, roles: Roles, pk: int) -> Meeting:
    """The meeting, or 404 when it does not exist or the viewer may not see it."""
    meeting = (
        visible_meetings(roles=roles)
        .select_related("initiating_department", "initiator", "recorder", "request")
        .annotate(request_seen=Exists(visible_requests(roles=roles).filter(pk=OuterRef("request_id"))))
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise NotFoundError(_("No such meeting."))
    # A meeting never names a request its viewer may not open (its title, status and
    # urgency stay with the request).
    meeting.shown_request = meeting.request if meeting.request_seen else None  # type: ignore[attr-defined]
    return meeting


@dataclass
class MeetingFilter:
    """One filter for the meeting list page, its API twin and its export."""

    kind: str = ""
    statuses: list[str] = field(default_factory=list)
    department: int | None = None  # initiating or taking part
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    sort: str = "-starts_at"


SORTS = {
    "-starts_at": ("-starts_at", "-id"),
    "starts_at": ("starts_at", "id"),
    "number": ("number", "id"),
    "-number": ("-number", "-id"),
    "status": ("status", "-id"),
    "-created_at": ("-created_at", "-id"),
}


def _day_start(day: date | None) -> datetime | None:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone()) if day else None


def _day_end(day: date | None) -> datetime | None:
    return datetime.combine(day, datetime.max.time(), tzinfo=timezone.get_current_timezone()) if day else None


TEXT_FIELDS = ("number", "title", "background", "goal", "place")  # what the list's search reads


def meeting_list(*, roles: Roles, filters: MeetingFilter) -> QuerySet[Meeting]:
    """The filtered, sorted list; callers paginate. Joins only what a list row shows."""
    meetings = filter_given(
        visible_meetings(roles=roles),
        kind=filters.kind,
        status__in=filters.statuses,
        starts_at__gte=_day_start(filters.date_from),
        starts_at__lte=_day_end(filters.date_to),
    )
    if filters.department:
        meetings = meetings.filter(
            Q(initiating_department_id=filters.department)
            | Q(
                Exists(
                    MeetingDepartment.objects.filter(meeting=OuterRef("pk"), department_id=filters.department)
                )
            )
        )
    if filters.text:
        text = filters.text.strip()
        found = reduce(or_, (Q(**{f"{name}__icontains": text}) for name in TEXT_FIELDS))
        # The search index finds the words in any order, and in the agenda and the minutes.
        meetings = meetings.filter(or_indexed(found, "meetings.meeting", text))
    order = SORTS.get(filters.sort, SORTS["-starts_at"])
    return (
        meetings.select_related("initiating_department", "initiator", "recorder")
        .prefetch_related(
            Prefetch(
                "departments",
                queryset=MeetingDepartment.objects.select_related("department").order_by(
                    "-is_initiating", "id"
                ),
            )
        )
        .order_by(*order)
    )


def answered_participations(meeting: Meeting) -> set[int]:
    """Departments that answered the version now circulated."""
    if not meeting.circulation:
        return set()
    return set(
        MinutesResponse.objects.filter(meeting=meeting, minutes__number=meeting.circulation).values_list(
            "participation_id", flat=True
        )
    )


@dataclass
class MeetingPage:
    """Everything the meeting page shows, loaded with a fixed number of queries."""

    meeting: Meeting
    participations: list[MeetingDepartment]
    versions: list[MinutesVersion]
    responses: list[MinutesResponse]
    current_responses: dict[int, MinutesResponse]
    action_items: list[ActionItem]
    materials: list[MeetingMaterial]
    events: list[MeetingEvent]
    clocks: list[Clock]
    actions: set[str]
    part_actions: dict[int, set[str]]
    item_actions: dict[int, set[str]]
    broken_signatures: list[str] = field(default_factory=list)

    @property
    def current_version(self) -> MinutesVersion | None:
        return self.versions[-1] if self.versions else None


def meeting_page(*, roles: Roles, pk: int) -> MeetingPage:
    meeting = meeting_get_for_viewer(roles=roles, pk=pk)
    parts = list(
        meeting.departments.select_related("department", "department__head", "representative", "head")
        .prefetch_related(
            Prefetch("invitees", queryset=MeetingInvitee.objects.select_related("person").order_by("id"))
        )
        .order_by("-is_initiating", "id")
    )
    versions = list(meeting.minutes_versions.select_related("circulated_by").order_by("number"))
    responses = list(
        meeting.responses.select_related("person", "participation__department", "minutes").order_by(
            "at", "id"
        )
    )
    current = {r.participation_id: r for r in responses if r.minutes.number == meeting.circulation}
    items = list(
        meeting.action_items.select_related("owner", "department", "support_department", "follow_up_person")
        .prefetch_related(
            Prefetch(
                "updates", queryset=ActionItemUpdate.objects.select_related("author").order_by("at", "id")
            )
        )
        .order_by("position", "id")
    )
    meeting_type = ContentType.objects.get_for_model(Meeting)
    clocks = list(
        Clock.objects.filter(subject_type=meeting_type, subject_id=meeting.pk)
        .select_related("policy", "owner", "department")
        .order_by("due_at")
    )
    answered = set(current)
    materials = list(meeting.materials.select_related("uploaded_by"))
    return MeetingPage(
        meeting=meeting,
        participations=parts,
        versions=versions,
        responses=responses,
        current_responses=current,
        action_items=items,
        materials=materials,
        events=list(meeting.events.select_related("author").order_by("at", "id")),
        clocks=clocks,
        actions=permissions.meeting_actions(roles, meeting),
        part_actions={p.pk: permissions.part_actions(roles, meeting, p, answered) for p in parts},
        item_actions={i.pk: permissions.item_actions(roles, i) for i in items},
        broken_signatures=broken_signatures(meeting, versions[-1] if versions else None, parts, materials),
    )


def department_names(page: MeetingPage) -> dict[int, str]:
    """Names of the departments the minutes mention by id (disagreements, support)."""
    names = {p.department_id: p.department.name for p in page.participations}
    wanted = {v.get("department") for d in page.meeting.disagreements for v in d.get("views", [])}
    wanted |= {i.support_department_id for i in page.action_items}
    missing = {pk for pk in wanted if pk and pk not in names}
    if missing:
        names.update(Department.objects.filter(pk__in=missing).values_list("pk", "name"))
    return names


def invitee_names(page: MeetingPage) -> dict[int, str]:
    return {i.person_id: i.person.name for part in page.participations for i in part.invitees.all()}


def material_for_viewer(*, roles: Roles, meeting_id: int, material_id: int) -> MeetingMaterial:
    """A material to download; 404 unless the viewer may see its meeting."""
    meeting = meeting_get_for_viewer(roles=roles, pk=meeting_id)
    material = meeting.materials.filter(pk=material_id).first()
    if material is None:
        raise NotFoundError(_("No such material."))
    return material


# --- the notice rule ----------------------------------------------------------------------

NOTICE_RULE = RuleKey.MEETING_NOTICE


@dataclass(frozen=True)
class NoticeTiming:
    """Whether a notice sent now is early enough (SPEC §4 [001]: ≥ 3 working days)."""

    on_time: bool
    lead_days: int
    required_days: int
    latest_date: date | None


def notice_check(meeting: Meeting, *, at: datetime | None = None) -> tuple[bool, int, int]:
    """(on time, working days ahead, working days required) for a notice sent ``at`` (now)."""
    rule = policy_get(NOTICE_RULE)
    calendar = get_calendar()
    at = at or timezone.now()
    starts_at = meeting.starts_at
    assert starts_at is not None, "a meeting without a start has no notice rule"
    required = int(rule.target_amount or 0)
    on_time = notice_is_on_time(calendar, at, starts_at, rule.target_amount or 0, rule.target_unit)
    return on_time, working_days_ahead(calendar, at, starts_at), required


def notice_timing(*, roles: Roles, pk: int) -> NoticeTiming | None:
    """For the notice form: is now early enough, and the last on-time day. None without a time."""
    meeting = meeting_get_for_viewer(roles=roles, pk=pk)
    if meeting.starts_at is None:
        return None
    on_time, lead, required = notice_check(meeting)
    latest = latest_notice_date(get_calendar(), meeting.starts_at, required) if required else None
    return NoticeTiming(on_time, lead, required, latest)


# --- minutes versions and their differences -----------------------------------------------


SECTIONS = ("discussion", "disagreements", "consensus", "action_items")


def section_labels() -> dict[str, str]:
    return {
        "discussion": _("Discussion points"),
        "disagreements": _("Disagreements"),
        "consensus": _("Consensus points"),
        "action_items": _("Action items"),
    }


def section_lines(content: dict, section: str) -> list[str]:
    """A section of circulated minutes as plain lines, the way the printed record reads."""
    lines: list[str] = []
    rows = content.get(section) or []
    for n, row in enumerate(rows, start=1):
        if section == "discussion":
            lines.append(f"{n}. {row.get('topic') or ''}".rstrip())
            lines += [f"   {line}" for line in (row.get("points") or "").splitlines()]
        elif section == "consensus":
            lines.append(f"{n}. {row}")
        elif section == "disagreements":
            lines.append(f"{n}. {row.get('topic') or ''}")
            for view in row.get("views") or []:
                who = " ".join(p for p in (view.get("department_name"), view.get("person_name")) if p)
                lines.append(f"   {who}：{view.get('position') or ''}")
            step = row.get("next_step")
            if step:
                lines.append("   " + _("Next step: %(step)s") % {"step": NextStep(step).label})
            if row.get("note"):
                lines.append(f"   {row['note']}")
        elif section == "action_items":
            due = (row.get("due_at") or "")[:16].replace("T", " ")
            support = row.get("support_needed") or ""
            if row.get("support_department_name"):
                support = f"{support}（{row['support_department_name']}）"
            lines.append(
                f"{n}. {row.get('action')} | {row.get('owner_name')} | {due} | {support}".rstrip(" |")
            )
    return lines


@dataclass(frozen=True)
class SectionDiff:
    section: str
    label: str
    changed: bool
    unified: str
    html: str


def minutes_diff(*, roles: Roles, pk: int, from_version: int, to_version: int) -> list[SectionDiff]:
    """What changed between two circulated versions, section by section: a unified diff for
    the API and an HTML side-by-side table for the page."""
    meeting = meeting_get_for_viewer(roles=roles, pk=pk)
    versions = {
        v.number: v
        for v in MinutesVersion.objects.filter(meeting=meeting, number__in=[from_version, to_version])
    }
    if from_version not in versions or to_version not in versions:
        raise NotFoundError(_("No such version of the minutes."))
    old, new = versions[from_version], versions[to_version]
    labels = section_labels()
    diffs = []
    for section in SECTIONS:
        a, b = section_lines(old.content, section), section_lines(new.content, section)
        name_a, name_b = f"v{old.number}", f"v{new.number}"
        unified = "\n".join(difflib.unified_diff(a, b, fromfile=name_a, tofile=name_b, lineterm=""))
        html = (
            difflib.HtmlDiff(wrapcolumn=60).make_table(a, b, name_a, name_b, context=True) if a != b else ""
        )
        diffs.append(SectionDiff(section, labels[section], a != b, unified, html))
    return diffs


# --- the calendar invitation --------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    filename: str
    text: str
    method: str  # REQUEST, or CANCEL once the meeting is called off


def invitation_of(meeting: Meeting, *, base_url: str = "") -> Invitation:
    """The .ics of a meeting whose notice went out, as it stands now: the one content of
    the download, the API and the notice e-mails' attachment (3 queries)."""
    invitees = list(
        MeetingInvitee.objects.filter(meeting=meeting)
        .select_related("person")
        .order_by("participation_id", "id")
    )
    people = {i.person_id: i.person for i in invitees}
    if meeting.recorder is not None and meeting.recorder.pk not in people:
        people[meeting.recorder.pk] = meeting.recorder
    attendees = [
        ics.Attendee(name=p.name, email=p.email, key=str(p.pk), chair=p.pk == meeting.initiator_id)
        for p in people.values()
    ]
    organizer = ics.Attendee(
        name=meeting.initiator.name, email=meeting.initiator.email, key=str(meeting.initiator_id)
    )
    url = f"{base_url.rstrip('/')}{meeting.get_absolute_url()}" if base_url else ""
    text = ics.invitation(meeting, organizer=organizer, attendees=attendees, dtstamp=timezone.now(), url=url)
    method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"
    return Invitation(filename=f"{meeting.number or meeting.pk}.ics", text=text, method=method)


def meeting_invitation(*, roles: Roles, pk: int, base_url: str = "") -> Invitation:
    """The .ics of a meeting the viewer may see: the invitation as last sent (REQUEST), or
    the cancellation (CANCEL). A draft has none yet (409)."""
    meeting = meeting_get_for_viewer(roles=roles, pk=pk)
    if meeting.notice_sent_at is None:
        raise TransitionError(_("The notice has not been sent yet, so there is no invitation."))
    return invitation_of(meeting, base_url=base_url)


# --- action items -------------------------------------------------------------------------


def visible_action_items(*, roles: Roles) -> QuerySet[ActionItem]:
    """Tracked action items of meetings and requests the viewer may see, their own, and those
    their department is asked to support."""
    items = ActionItem.objects.filter(activated_at__isnull=False)
    if roles.person is None and not roles.is_admin:
        return items.none()
    person_id = roles.person.pk if roles.person else None
    return items.filter(
        Q(meeting__in=visible_meetings(roles=roles).values("pk"))
        | Q(request__in=visible_requests(roles=roles).values("pk"))
        | Q(owner_id=person_id)
        | Q(follow_up_person_id=person_id)
        | Q(support_department_id__in=roles.sees_as_member)
    )


@dataclass
class ActionItemFilter:
    owner: int | None = None
    statuses: list[str] = field(default_factory=list)
    overdue: bool = False
    meeting: int | None = None
    request: int | None = None
    due_from: date | None = None
    due_to: date | None = None
    sort: str = "due_at"


ITEM_SORTS = {
    "due_at": ("due_at", "id"),
    "-due_at": ("-due_at", "-id"),
    "status": ("status", "due_at"),
    "-created_at": ("-created_at", "-id"),
}


def action_item_list(*, roles: Roles, filters: ActionItemFilter) -> QuerySet[ActionItem]:
    items = filter_given(
        visible_action_items(roles=roles),
        owner_id=filters.owner,
        status__in=filters.statuses,
        meeting_id=filters.meeting,
        request_id=filters.request,
        due_at__gte=_day_start(filters.due_from),
        due_at__lte=_day_end(filters.due_to),
    )
    if filters.overdue:
        items = items.filter(status__in=OPEN_ACTION_STATUSES, due_at__lt=timezone.now())
    order = ITEM_SORTS.get(filters.sort, ITEM_SORTS["due_at"])
    return items.select_related(
        "owner", "department", "support_department", "follow_up_person", "meeting", "request"
    ).order_by(*order)


def action_item_get_for_viewer(*, roles: Roles, pk: int) -> ActionItem:
    item = (
        visible_action_items(roles=roles)
        .select_related("owner", "department", "support_department", "follow_up_person", "meeting", "request")
        .prefetch_related(
            Prefetch(
                "updates", queryset=ActionItemUpdate.objects.select_related("author").order_by("at", "id")
            )
        )
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise NotFoundError(_("No such action item."))
    return item


def due_clock(clocks: list[Clock]) -> Clock | None:
    """An action item's deadline clock among its live ones (not the weekly progress request)."""
    return next_clock([c for c in clocks if c.policy.key == RuleKey.ACTION_ITEM_DUE])


def action_items_for_request(*, roles: Roles, request_id: int) -> list[ActionItem]:
    """The action items raised on a request, for its page (the request must be visible)."""
    if not visible_requests(roles=roles).filter(pk=request_id).exists():
        raise NotFoundError(_("No such request."))
    return list(
        ActionItem.objects.filter(request_id=request_id, activated_at__isnull=False)
        .select_related("owner", "support_department")
        .order_by("due_at", "id")
    )


# --- the workbench ------------------------------------------------------------------------


@dataclass
class WorkItem:
    """One thing waiting for me on the workbench's meetings section."""

    title: str
    url: str
    what: str  # action_item / write_minutes / revise_minutes / confirm_minutes / sign_minutes
    due_at: datetime | None
    overdue: bool
    meeting: Meeting | None = None
    item: ActionItem | None = None
    clock: Clock | None = None


def _meeting_row(meeting: Meeting, what: str) -> WorkItem:
    return WorkItem(str(meeting), meeting.get_absolute_url(), what, None, False, meeting)


def workbench_items(*, roles: Roles, limit: int = 200) -> list[WorkItem]:
    """What waits for me across meetings: action items I own, minutes I must write, revise,
    confirm or sign. Overdue first, then by deadline; five queries whatever the numbers."""
    if roles.person is None:
        return []
    person_id = roles.person.pk
    now = timezone.now()
    owned = (
        ActionItem.objects.filter(
            owner_id=person_id, activated_at__isnull=False, status__in=OPEN_ACTION_STATUSES
        )
        .only("id", "action", "due_at", "status", "meeting_id", "request_id")
        .order_by("due_at")[:limit]
    )
    items = [
        WorkItem(
            i.action, i.get_absolute_url(), "action_item", i.due_at, bool(i.due_at and i.due_at < now), item=i
        )
        for i in owned
    ]
    writing = (
        MeetingStatus.HELD,
        MeetingStatus.MINUTES_DRAFTING,
        MeetingStatus.OBJECTED,
        MeetingStatus.REVISING,
    )
    recording = (
        Meeting.objects.filter(recorder_id=person_id, status__in=writing)
        .select_related("initiating_department")
        .order_by("held_at")[:limit]
    )
    # Each meeting row with the slot of its deadline clock: the minutes' or one department's.
    rows: list[tuple[WorkItem, str | None]] = [
        (_meeting_row(m, "write_minutes" if m.status in writing[:2] else "revise_minutes"), "minutes")
        for m in recording
    ]
    answered = MinutesResponse.objects.filter(
        participation=OuterRef("pk"), minutes__number=OuterRef("meeting__circulation")
    )
    to_confirm = (
        MeetingDepartment.objects.filter(representative_id=person_id, meeting__status__in=RESPONDABLE)
        .exclude(Exists(answered))
        .select_related("meeting", "department")
        .order_by("meeting__circulated_at")[:limit]
    )
    rows += [(_meeting_row(p.meeting, "confirm_minutes"), p.clock_scope) for p in to_confirm]
    to_sign = (
        MeetingDepartment.objects.filter(
            department_id__in=roles.head_of,
            meeting__status=MeetingStatus.CONFIRMED,
            head_signed_at__isnull=True,
        )
        .select_related("meeting")
        .order_by("meeting__confirmed_at")[:limit]
    )
    rows += [(_meeting_row(p.meeting, "sign_minutes"), None) for p in to_sign]
    # Deadlines of the meeting rows come from their clocks, in one query.
    clocks = Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(Meeting),
        subject_id__in={row.meeting.pk for row, _slot in rows if row.meeting},
        state__in=[ClockState.RUNNING, ClockState.BREACHED],
    ).values_list("subject_id", "policy__key", "scope", "due_at", "state")
    due: dict[tuple[int, str], tuple[datetime, bool]] = {}
    for subject_id, key, scope, due_at, state in clocks:
        at = (subject_id, scope if key == RuleKey.MEETING_OBJECTION else "minutes")
        if at not in due or due_at < due[at][0]:
            due[at] = (due_at, state == ClockState.BREACHED)
    for row, slot in rows:
        found = due.get((row.meeting.pk, slot)) if row.meeting and slot is not None else None
        if found:
            row.due_at, row.overdue = found[0], found[1] or found[0] < now
        items.append(row)
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    items.sort(key=lambda i: (not i.overdue, i.due_at or far))
    return items[:limit]


def _pk(record: Any) -> int:
    return record.pk if record is not None else 0


def work_section(user: Any, roles: Roles | None = None) -> WorkSection | None:
    """The meetings' section of the workbench (registered in ``MeetingsConfig.ready()``): each
    row with its deadline clock for the badge (two more queries whatever the number)."""
    roles = roles or roles_for(user)
    items = workbench_items(roles=roles)
    if not items:
        return None
    item_clocks = live_clocks_by_subject(ActionItem, (i.item.pk for i in items if i.item))
    meeting_clocks = live_clocks_by_subject(
        Meeting, (i.meeting.pk for i in items if i.meeting and not i.item)
    )
    for row in items:
        clocks = item_clocks.get(row.item.pk, []) if row.item else meeting_clocks.get(_pk(row.meeting), [])
        row.clock = next((c for c in clocks if c.due_at == row.due_at), None) or next_clock(clocks)
    overdue = sum(1 for row in items if row.overdue)
    return WorkSection(
        name="meetings",
        template="meetings/_workbench.html",
        items=items,
        overdue=overdue,
        order=20,
        context={"items": items, "overdue": overdue},
    )
