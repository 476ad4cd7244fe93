"""The communication plan (沟通计划) and the meetings its regular rows produce
(SPEC §5 [002][003]).

A row says scenario, channel, frequency, participants, output and owner. A daily or weekly
row produces one dated occurrence per matching day of the working-day calendar over a
horizon (4 weeks, extended every day by the periodic job): a meeting called through the
meetings services with its notice, the row's owner as initiator. A daily row on working
days only skips weekends and holidays and includes 调休 working Saturdays; a weekly row
whose day is a holiday gets a *skipped* occurrence that says why. Generating twice
creates nothing new (one occurrence per row and day). Editing a row moves or replaces the
future occurrences not yet held; removing it cancels them (invitees get the .ics
CANCEL); past occurrences never change.

These services write the plan's own rows and return the :class:`MeetingStep` list of what
the meetings app must do; ``projects.flows`` carries it out as the system (history says
"系统（沟通计划）"), so an owner needs no login.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from crossdesk.audit.services import audited_update
from crossdesk.core.errors import ApplicationError, TransitionError
from crossdesk.core.records import SYSTEM, Actor, bump, check_version, inputs, locked
from crossdesk.core.records.history import recorder
from crossdesk.meetings.choices import MeetingKind, MeetingStatus
from crossdesk.meetings.models import Meeting
from crossdesk.notify.services import scope_robot_create, scope_robot_delete
from crossdesk.org.models import Membership
from crossdesk.org.selectors import active_person
from crossdesk.workcal.lib import DayKind, WorkCalendar
from crossdesk.workcal.selectors import get_calendar

from ..choices import (
    MEETING_CHANNELS,
    PLAN_EDITABLE,
    REGULAR_FREQUENCIES,
    CommChannel,
    CommFrequency,
    CommOutput,
    CommScenario,
    ProjectEventKind,
    ProjectStatus,
)
from ..models import CommunicationOccurrence, CommunicationPlanEntry, Project, ProjectDepartment, ProjectEvent
from ..models.comms import OccurrenceState
from ._common import belongs_to, context, require_manager, require_writable, send

PLAN_ACTOR = SYSTEM.for_reason(gettext_lazy("Communication plan"))  # who calls the plan's meetings
HORIZON_DAYS = 28  # generate the next 4 weeks; the daily job keeps the horizon ahead
GENERATING = (ProjectStatus.KICKED_OFF, ProjectStatus.RUNNING)
# The frequencies a row may have: the structured kinds of the paper templates [002][003].
FREQUENCIES = tuple(CommFrequency)
REGULAR = REGULAR_FREQUENCIES  # rows that become dated meetings
ANCHORED = (CommFrequency.BIWEEKLY, CommFrequency.MONTHLY, CommFrequency.ONCE)  # counted from first_date
NOT_HELD = (MeetingStatus.DRAFT, MeetingStatus.NOTIFIED)
# Fields whose change moves a future meeting; any other change of the row replaces it.
MOVING_FIELDS = {"at_time", "duration_minutes", "place"}
SHAPING_FIELDS = {
    "scenario",
    "scenario_detail",
    "output",
    "output_detail",
    "owner",
    "meeting_kind",
    "participants",
}
DATING_FIELDS = {"frequency", "weekdays", "working_days_only", "first_date", "last_date"}
ENTRY_FIELDS = MOVING_FIELDS | SHAPING_FIELDS | DATING_FIELDS | {"channel", "participants_note"}


def generated_reason() -> str:
    return _("Generated from the communication plan")


# --- the frequency, in words and in dates -------------------------------------------------


def _weekday_short(n: int) -> str:
    names = (
        pgettext("weekday in a frequency", "Mon"),
        pgettext("weekday in a frequency", "Tue"),
        pgettext("weekday in a frequency", "Wed"),
        pgettext("weekday in a frequency", "Thu"),
        pgettext("weekday in a frequency", "Fri"),
        pgettext("weekday in a frequency", "Sat"),
        pgettext("weekday in a frequency", "Sun"),
    )
    return names[n]


def frequency_text(entry: CommunicationPlanEntry) -> str:
    """The frequency as people say it: 每日 17:00, 每周一、三 10:00, 按需."""
    at = entry.at_time.strftime("%H:%M") if entry.at_time else ""
    if entry.frequency == CommFrequency.DAILY:
        if entry.working_days_only:
            return _("every working day %(time)s") % {"time": at}
        return _("daily %(time)s") % {"time": at}
    weekdays = sorted(entry.weekdays or [])
    days = pgettext("between weekdays", ", ").join(_weekday_short(d) for d in weekdays)
    if entry.frequency == CommFrequency.WEEKLY:
        return _("weekly on %(days)s %(time)s") % {"days": days, "time": at}
    if entry.frequency == CommFrequency.BIWEEKLY:
        return _("every two weeks on %(days)s %(time)s") % {"days": days, "time": at}
    if entry.frequency == CommFrequency.MONTHLY and entry.first_date:
        return _("monthly on day %(day)d %(time)s") % {"day": entry.first_date.day, "time": at}
    if entry.frequency == CommFrequency.ONCE and entry.first_date:
        return _("once on %(date)s %(time)s") % {"date": entry.first_date.isoformat(), "time": at}
    if entry.frequency == CommFrequency.AS_NEEDED:
        return _("as needed")
    if entry.frequency == CommFrequency.REALTIME:
        return _("in real time")
    return entry.get_frequency_display()


@dataclass(frozen=True)
class PlannedDay:
    day: date
    skipped: str = ""  # why no meeting is held on this day ("" when one is)


def plan_days(
    *,
    frequency: str,
    weekdays: list[int],
    working_days_only: bool,
    first: date,
    last: date,
    is_working_day: Callable[[date], bool],
    day_name: Callable[[date], str] = lambda d: "",
    anchor: date | None = None,
) -> list[PlannedDay]:
    """The days in ``first`` … ``last`` a regular row meets on, with the days it skips.

    Daily on working days only: every working day (a 调休 Saturday included); a weekday that
    is a holiday is listed as skipped, ordinary weekends are not listed. Daily on every day:
    every day. Weekly: each listed weekday; on working days only, one that is a day off is
    skipped with the reason. Every two weeks, monthly and once count from ``anchor`` (the
    row's first date), skipping days off in the same way: every two weeks on the listed
    weekdays of ``anchor``'s week and of every second week after it; monthly on ``anchor``'s
    day of the month (a month without that day, e.g. the 31st, has no meeting); once on
    ``anchor``.
    """
    out: list[PlannedDay] = []
    day = first
    while day <= last:
        working = is_working_day(day)
        if frequency == CommFrequency.DAILY:
            if not working_days_only or working:
                out.append(PlannedDay(day))
            elif day.weekday() < 5:
                out.append(PlannedDay(day, _skip_reason(day, day_name(day))))
        elif frequency != CommFrequency.DAILY and _meets(frequency, weekdays, anchor, day):
            skipped = "" if working or not working_days_only else _skip_reason(day, day_name(day))
            out.append(PlannedDay(day, skipped))
        day += timedelta(days=1)
    return out


def _meets(frequency: str, weekdays: list[int], anchor: date | None, day: date) -> bool:
    if frequency == CommFrequency.WEEKLY:
        return day.weekday() in weekdays
    if anchor is None:
        return False
    if frequency == CommFrequency.BIWEEKLY:
        weeks = (day - (anchor - timedelta(days=anchor.weekday()))).days // 7
        return day.weekday() in weekdays and weeks % 2 == 0
    if frequency == CommFrequency.MONTHLY:
        return day.day == anchor.day
    return frequency == CommFrequency.ONCE and day == anchor


def _skip_reason(day: date, name: str) -> str:
    if name:
        return _("%(day)s is a day off (%(name)s): no meeting that day.") % {
            "day": day.isoformat(),
            "name": name,
        }
    return _("%(day)s is a day off: no meeting that day.") % {"day": day.isoformat()}


def _day_namer(calendar: WorkCalendar) -> Callable[[date], str]:
    def name(day: date) -> str:
        try:
            info = calendar.day_info(day)
        except ValueError:
            return ""
        if info.kind in (DayKind.HOLIDAY, DayKind.COMPANY_OFF):
            return info.name or info.holiday_name
        return ""

    return name


def _is_working(calendar: WorkCalendar) -> Callable[[date], bool]:
    def working(day: date) -> bool:
        try:
            return calendar.is_working_day(day)
        except ValueError:  # outside the calendar's years: weekdays only
            return day.weekday() < 5

    return working


# --- input -----------------------------------------------------------------------------------


def _choice(data: dict, field: str, choices, label: str) -> str:
    value = str(data.get(field) or "").strip()
    if value not in choices:
        raise ApplicationError(_("Choose the %(what)s.") % {"what": label}, field=field)
    return value


def _apply(entry: CommunicationPlanEntry, project: Project, data: dict) -> tuple[dict, list[int] | None]:
    """Set the row's fields from ``data``; returns ({field: [old, new]}, participation ids or None)."""
    inputs.known(data, ENTRY_FIELDS)
    creating = entry.pk is None
    changes: dict = {}
    put = recorder(entry, changes)
    for name, values, label in (
        ("scenario", CommScenario.values, _("scenario")),
        ("channel", CommChannel.values, _("channel")),
        ("frequency", [str(f) for f in FREQUENCIES], _("frequency")),
        ("output", CommOutput.values, _("output")),
    ):
        if creating or name in data:
            put(name, _choice(data, name, values, label))
    for name, limit in (("scenario_detail", 200), ("participants_note", 300), ("output_detail", 200)):
        if name in data:
            put(name, inputs.text(data.get(name), name, limit))
    if "place" in data:
        put("place", inputs.text(data.get("place"), "place", 200))
    if "weekdays" in data:
        raw = data["weekdays"]
        if isinstance(raw, str):
            raw = [p for p in raw.replace("，", ",").split(",") if p.strip()]
        if not isinstance(raw, list | tuple):
            raise ApplicationError(_("List the weekdays (0 = Monday … 6 = Sunday)."), field="weekdays")
        put("weekdays", sorted({inputs.an_int(d, "weekdays", minimum=0, maximum=6) for d in raw}))
    if "at_time" in data:
        at = inputs.a_time(data["at_time"], "at_time")
        put("at_time", at and at.replace(second=0, microsecond=0))
    if "working_days_only" in data:
        put("working_days_only", bool(data["working_days_only"]))
    if "duration_minutes" in data:
        minutes = inputs.an_int(data["duration_minutes"], "duration_minutes", minimum=5, maximum=8 * 60)
        put("duration_minutes", minutes or 60)
    for name in ("first_date", "last_date"):
        if name in data:
            put(name, inputs.a_date(data[name], name))
    if creating or "owner" in data:
        owner = active_person(data.get("owner") or project.lead_id, "owner")
        if entry.owner_id != owner.pk:
            changes["owner"] = [entry.owner_id, owner.pk]
            entry.owner = owner
    if "meeting_kind" in data:
        kind = str(data["meeting_kind"] or "").strip()
        if kind and kind not in (MeetingKind.REGULAR, MeetingKind.SPECIAL, MeetingKind.REVIEW):
            raise ApplicationError(
                _("Choose regular sync, special coordination or review."), field="meeting_kind"
            )
        put("meeting_kind", kind)
    participations = None
    if "participants" in data:
        raw = data["participants"] or []
        if not isinstance(raw, list | tuple):
            raise ApplicationError(_("List the participating departments."), field="participants")
        ids = [inputs.an_int(p, "participants", minimum=1) for p in raw]
        found = set(project.departments.filter(pk__in=[i for i in ids if i]).values_list("pk", flat=True))
        if set(ids) - found:
            raise ApplicationError(_("Choose departments taking part in the project."), field="participants")
        participations = sorted(found)
        old = sorted(entry.participants.values_list("pk", flat=True)) if not creating else []
        if old != participations:
            changes["participants"] = [old, participations]
    _validate(entry, project, participations)
    return changes, participations


def _validate(entry: CommunicationPlanEntry, project: Project, participations: list[int] | None) -> None:
    if entry.first_date and entry.last_date and entry.last_date < entry.first_date:
        raise ApplicationError(_("The last date cannot be before the first."), field="last_date")
    if entry.frequency not in REGULAR:
        return
    if entry.at_time is None:
        raise ApplicationError(_("A daily or weekly row needs the time of day."), field="at_time")
    if entry.frequency in ANCHORED and entry.first_date is None:
        raise ApplicationError(_("Give the first date: this frequency counts from it."), field="first_date")
    if entry.frequency in (CommFrequency.WEEKLY, CommFrequency.BIWEEKLY) and not entry.weekdays:
        raise ApplicationError(_("A weekly row needs at least one weekday."), field="weekdays")
    if entry.channel not in MEETING_CHANNELS:
        return  # a reminder to the owner: no place, no meeting to call
    if not entry.place:
        raise ApplicationError(
            _("A regular row becomes meetings: give the place (a room, or the online group)."), field="place"
        )
    if not Membership.objects.filter(person=entry.owner).exists():
        raise ApplicationError(
            _("The owner belongs to no department, so cannot call meetings."), field="owner"
        )
    if participations is not None and participations == []:
        return  # everyone takes part: checked below on the project's departments
    if project.departments.count() < 2:
        raise ApplicationError(
            _("A meeting needs at least two departments: add a participating department first."),
            field="participants",
        )


def _snapshot(entry: CommunicationPlanEntry) -> dict:
    return {
        "scenario": entry.scenario,
        "channel": entry.channel,
        "frequency": frequency_text(entry),
        "output": entry.output,
        "owner": entry.owner_id,
    }


# --- what the plan asks of the meetings app ---------------------------------------------------


@dataclass
class MeetingStep:
    """What one occurrence needs from the meetings app, carried out by ``flows`` in this
    order: call off ``cancel``, reschedule its meeting with ``move``, call a new meeting from
    ``call`` (the draft's data; the row's owner initiates) and record it with
    :func:`comm_occurrence_called`. Every write of the plan's own rows is done already."""

    occurrence: CommunicationOccurrence
    reason: str = ""
    cancel: Meeting | None = None
    move: dict | None = None
    call: dict | None = None


Steps = list[MeetingStep]


def comm_occurrence_called(occurrence: CommunicationOccurrence, meeting: Meeting) -> None:
    """The occurrence of a ``call`` step now has its meeting."""
    occurrence.meeting = meeting
    occurrence.status, occurrence.note = OccurrenceState.SCHEDULED, ""
    if occurrence.pk:
        occurrence.version += 1
    occurrence.save()


# --- writes ----------------------------------------------------------------------------------


def _require_plan(roles, project: Project) -> None:
    require_manager(roles, project)
    require_writable(project)
    if project.status not in PLAN_EDITABLE:  # pragma: no cover - READ_ONLY is the complement
        raise TransitionError(_("This project's communication plan can no longer change."))


@transaction.atomic
def comm_entry_create(*, actor: Actor, project_id: int, data: dict) -> tuple[CommunicationPlanEntry, Steps]:
    """Add a row to the communication plan; a regular row of a project under way gets its
    meetings for the coming 4 weeks at once (the steps returned)."""
    project, roles, person = context(actor, project_id)
    _require_plan(roles, project)
    entry = CommunicationPlanEntry(project=project, position=project.communication_plan.count())
    if "meeting_kind" not in data:
        entry.meeting_kind = (
            MeetingKind.SPECIAL if data.get("channel") == CommChannel.SPECIAL_MEETING else MeetingKind.REGULAR
        )
    _changes, participations = _apply(entry, project, data)
    entry.save()
    if participations:
        entry.participants.set(participations)
    row = {"row": str(entry), "freq": frequency_text(entry)}
    added = _("Communication plan: added %(row)s, %(freq)s") % row
    _log(project, entry, person, added, added=_snapshot(entry))
    return entry, comm_occurrences_due(entry, project)


@transaction.atomic
def comm_entry_update(
    *, actor: Actor, entry_id: int, data: dict, version: int | None = None
) -> tuple[CommunicationPlanEntry, Steps]:
    """Change a row; its future meetings not yet held follow (moved, or cancelled and called
    again), those already held stay as they were."""
    project, person, entry = _locked(actor, entry_id, version, _("This row was removed from the plan."))
    changes, participations = _apply(entry, project, data)
    if not changes:
        return entry, []
    entry.version += 1
    entry.save()
    if participations is not None:
        entry.participants.set(participations)
    row = {"row": str(entry), "freq": frequency_text(entry)}
    _log(project, entry, person, _("Communication plan: changed %(row)s, %(freq)s") % row, changes=changes)
    steps = _follow_change(entry, project, set(changes))
    return entry, steps + comm_occurrences_due(entry, project)


@transaction.atomic
def comm_entry_remove(
    *, actor: Actor, entry_id: int, reason: str = "", version: int | None = None
) -> tuple[CommunicationPlanEntry, Steps]:
    """Take a row off the plan: its future meetings are cancelled (invitees get the
    cancellation), held ones stay; the row stays in the history."""
    project, person, entry = _locked(
        actor, entry_id, version, _("This row was already removed from the plan.")
    )
    entry.is_active = False
    entry.removed_at = timezone.now()
    bump(entry, "is_active", "removed_at")
    why = (reason or "").strip() or _("The row was removed from the communication plan.")
    steps = _cancel_future(entry, why)
    removed = _("Communication plan: removed %(row)s") % {"row": str(entry)}
    _log(project, entry, person, removed, removed=True, reason=why, cancelled=len(steps))
    return entry, steps


def _log(project: Project, entry: CommunicationPlanEntry, actor: Actor, content: str, **data) -> None:
    """The plan's row in the project's history: a person, or the system for scheduled runs."""
    ProjectEvent.add(
        project,
        ProjectEventKind.COMMUNICATION,
        actor=actor,
        content=content,
        data={"entry": entry.pk, **data},
    )


def _locked(actor: Actor, entry_id, version, removed_message: str):
    """The active row and its project, locked, for a manager of a plan that can still change."""
    missing = _("No such row of the communication plan.")
    project, roles, person = context(actor, belongs_to(CommunicationPlanEntry, entry_id, missing=missing))
    entry = locked(CommunicationPlanEntry, entry_id, related=("owner",), not_found=missing)
    _require_plan(roles, project)
    if not entry.is_active:
        raise TransitionError(removed_message)
    check_version(entry, version)
    return project, person, entry


@transaction.atomic
def comm_generate(*, actor: Actor, project_id: int) -> Steps:
    """The missing meetings of every regular row for the coming 4 weeks, asked for now."""
    project, roles, _person = context(actor, project_id)
    _require_plan(roles, project)
    if project.status not in GENERATING:
        raise TransitionError(_("Meetings are generated once the project is kicked off and until it closes."))
    return [step for entry in comm_regular_entries(project) for step in comm_occurrences_due(entry, project)]


def comm_generation_failed(project: Project, entry: CommunicationPlanEntry, why: str) -> None:
    """A scheduled run could not call a row's meetings (its owner left, a department lost its
    head): noted in the project's history as the system; the next run tries again."""
    failed = _("Could not call the meetings of %(row)s: %(why)s") % {"row": str(entry), "why": why}
    _log(project, entry, PLAN_ACTOR, failed, failed=why)


def comm_generating_projects() -> list[int]:
    """The projects whose regular rows call meetings (kicked off or running)."""
    return list(Project.objects.filter(status__in=GENERATING).values_list("pk", flat=True))


def comm_project_locked(project_id: int) -> Project | None:
    """The project locked for the periodic run, or ``None`` once it no longer calls meetings."""
    project = locked(Project, project_id, related=("initiating_department", "lead"))
    return project if project.status in GENERATING else None


def comm_regular_entries(project: Project) -> list[CommunicationPlanEntry]:
    return list(
        project.communication_plan.filter(is_active=True, frequency__in=REGULAR).select_related("owner")
    )


# --- occurrences -------------------------------------------------------------------------------


def _window(entry: CommunicationPlanEntry, today: date) -> tuple[date, date] | None:
    first = max(today, entry.first_date or today)
    last = today + timedelta(days=HORIZON_DAYS - 1)
    if entry.last_date:
        last = min(last, entry.last_date)
    return (first, last) if first <= last else None


def _planned(entry: CommunicationPlanEntry, window: tuple[date, date]) -> list[PlannedDay]:
    """The row's days in ``window`` on the working-day calendar."""
    calendar = get_calendar()
    return plan_days(
        frequency=entry.frequency,
        weekdays=list(entry.weekdays or []),
        working_days_only=entry.working_days_only,
        first=window[0],
        last=window[1],
        is_working_day=_is_working(calendar),
        day_name=_day_namer(calendar),
        anchor=entry.first_date,
    )


def _starts(entry: CommunicationPlanEntry, day: date) -> datetime:
    assert entry.at_time is not None  # a regular row has its time (checked in the database)
    return timezone.make_aware(datetime.combine(day, entry.at_time))


def comm_occurrences_due(
    entry: CommunicationPlanEntry, project: Project, *, today: date | None = None
) -> Steps:
    """The missing occurrences of ``entry`` up to the horizon: days off are written as
    skipped (with the reason), the others returned as meetings to call. Idempotent: one
    occurrence per row and day. Nothing while the project is not under way."""
    if project.status not in GENERATING or not entry.is_active or entry.frequency not in REGULAR:
        return []
    now = timezone.now()
    today = today or timezone.localdate(now)
    window = _window(entry, today)
    if window is None:
        return []
    existing = {o.on_date: o for o in entry.occurrences.select_for_update().filter(on_date__range=window)}
    steps = []
    for planned in _planned(entry, window):
        starts = _starts(entry, planned.day)
        if starts <= now:
            continue
        occurrence = existing.get(planned.day)
        if occurrence is not None and occurrence.status != OccurrenceState.CANCELLED:
            continue  # already generated: nothing new
        if occurrence is None:
            occurrence = CommunicationOccurrence(entry=entry, project=project, on_date=planned.day)
        occurrence.starts_at = starts
        if planned.skipped:
            occurrence.meeting = None
            occurrence.status, occurrence.note = OccurrenceState.SKIPPED, planned.skipped
            if occurrence.pk:
                occurrence.version += 1
            occurrence.save()
        elif entry.channel not in MEETING_CHANNELS:
            # A chat-group (or e-mail, other) cadence reminds its owner; no meeting is called.
            occurrence.meeting = None
            occurrence.status, occurrence.note, occurrence.reminded_at = OccurrenceState.REMINDER, "", None
            if occurrence.pk:
                occurrence.version += 1
            occurrence.save()
        else:
            steps.append(MeetingStep(occurrence, call=_meeting_data(entry, project, starts)))
    return steps


def _owner_department(entry: CommunicationPlanEntry, parts: list[ProjectDepartment]) -> int | None:
    mine = set(Membership.objects.filter(person=entry.owner).values_list("department_id", flat=True))
    for part in parts:
        if part.department_id in mine:
            return part.department_id
    return None


def _meeting_data(entry: CommunicationPlanEntry, project: Project, starts: datetime) -> dict:
    """The draft of the row's meeting on ``starts``, the row's owner initiating it."""
    chosen = list(entry.participants.select_related("department"))
    parts = chosen or list(project.departments.select_related("department"))
    initiating = _owner_department(entry, parts)
    participants = []
    seen: set[int] = set()
    for part in parts:
        people = [part.liaison_id] if part.liaison_id not in seen else []
        if part.department_id == initiating and entry.owner_id not in seen:
            people.append(entry.owner_id)
        people = list(dict.fromkeys(people))
        seen |= set(people)
        participants.append(
            {
                "department": part.department_id,
                "people": people,
                "representative": people[0] if people else None,
            }
        )
    subject = entry.scenario_detail or entry.get_scenario_display()
    output = entry.output_detail or entry.get_output_display()
    data = {
        "title": _("%(project)s %(subject)s (%(freq)s)")
        % {"project": project.name, "subject": subject, "freq": frequency_text(entry)},
        "kind": entry.meeting_kind or MeetingKind.REGULAR,
        "starts_at": starts,
        "ends_at": starts + timedelta(minutes=entry.duration_minutes or 60),
        "place": entry.place,
        "background": _("Communication plan of project %(number)s: %(subject)s.")
        % {"number": project.number, "subject": subject},
        "goal": _("Output: %(output)s") % {"output": output},
        "related_matter": project.number,
        "recorder": entry.owner_id,
        "agenda": [
            {"topic": str(subject), "presenter": entry.owner.name, "duration": entry.duration_minutes or 60}
        ],
        "participants": participants,
    }
    if initiating:
        data["initiating_department"] = initiating
    return data


def _future(entry: CommunicationPlanEntry) -> list[CommunicationOccurrence]:
    """Occurrences not yet held: in the future, meeting still scheduled (or none: skipped)."""
    return list(
        entry.occurrences.select_for_update(of=("self",))
        .select_related("meeting")
        .filter(starts_at__gt=timezone.now())
        .exclude(status=OccurrenceState.CANCELLED)
    )


def _not_held(occurrence: CommunicationOccurrence) -> bool:
    """No meeting (a skipped day), or one not held yet: the plan may still change it."""
    return occurrence.meeting is None or occurrence.meeting.status in NOT_HELD


def _cancel_future(entry: CommunicationPlanEntry, reason: str) -> Steps:
    steps = []
    for occurrence in filter(_not_held, _future(entry)):  # held early or cancelled by hand: left
        steps.append(MeetingStep(occurrence, reason, cancel=occurrence.meeting))
        occurrence.status, occurrence.note = OccurrenceState.CANCELLED, reason
        occurrence.version += 1
        occurrence.save(update_fields=["status", "note", "version"])
    return steps


def _follow_change(entry: CommunicationPlanEntry, project: Project, changed: set[str]) -> Steps:
    """Make the future occurrences match the changed row."""
    reason = _("The communication plan row changed: %(row)s, %(freq)s")
    reason %= {"row": str(entry), "freq": frequency_text(entry)}
    if "channel" in changed:
        # Meetings become reminders or the other way round: the future is made again
        # (comm_occurrences_due refills the cancelled days).
        return _cancel_future(entry, reason)
    window = _window(entry, timezone.localdate())
    wanted: dict[date, str] = {}
    if window and entry.frequency in REGULAR:
        wanted = {planned.day: planned.skipped for planned in _planned(entry, window)}
    now = timezone.now()
    steps = []
    for occurrence in filter(_not_held, _future(entry)):
        meeting = occurrence.meeting
        keep = occurrence.on_date in wanted and not wanted[occurrence.on_date]
        starts = _starts(entry, occurrence.on_date) if keep and entry.at_time else None
        if not keep or starts is None or starts <= now:
            steps.append(MeetingStep(occurrence, reason, cancel=meeting))
            skipped = wanted.get(occurrence.on_date)
            if skipped:
                occurrence.meeting = None
                occurrence.status, occurrence.note = OccurrenceState.SKIPPED, skipped
            else:
                occurrence.status, occurrence.note = OccurrenceState.CANCELLED, reason
        elif occurrence.status == OccurrenceState.REMINDER:
            if occurrence.starts_at == starts:
                continue
            occurrence.starts_at = starts  # a reminder moves with the row's time
        elif meeting is None:
            continue  # a skipped day that is still wanted and held: comm_occurrences_due fills it
        elif changed & SHAPING_FIELDS or "frequency" in changed:
            occurrence.starts_at = starts
            call = _meeting_data(entry, project, starts)
            steps.append(MeetingStep(occurrence, reason, cancel=meeting, call=call))
            continue  # saved with its new meeting (comm_occurrence_called)
        elif changed & (MOVING_FIELDS | {"weekdays", "working_days_only"}):
            ends = starts + timedelta(minutes=entry.duration_minutes or 60)
            if meeting.starts_at != starts or meeting.ends_at != ends or meeting.place != entry.place:
                move = {"starts_at": starts, "ends_at": ends, "place": entry.place}
                steps.append(MeetingStep(occurrence, reason, move=move))
            occurrence.starts_at = starts
        else:
            continue
        occurrence.version += 1
        occurrence.save()
    # Skipped days that now have a meeting are refilled by comm_occurrences_due: make them
    # generable again.
    refill = entry.occurrences.filter(
        status=OccurrenceState.SKIPPED,
        starts_at__gt=now,
        on_date__in=[d for d, why in wanted.items() if not why],
    )
    audited_update(refill, status=OccurrenceState.CANCELLED)
    return steps


def comm_occurrences_close(*, project: Project, reason: str) -> Steps:
    """A project that closes calls off its future regular meetings (asked by the status hook)."""
    entries = project.communication_plan.filter(is_active=True, frequency__in=REGULAR)
    return [step for entry in entries for step in _cancel_future(entry, reason)]


# --- reminders of the rows that are not meetings ----------------------------------------------

REMINDER_LEAD = timedelta(minutes=30)  # the owner is reminded this long before the time


def comm_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the owners of the chat-group (e-mail, other) rows whose time is near. A run
    that catches up after downtime sends each row's latest missed reminder only, never one
    per missed day; the older ones are marked as not sent. Returns the reminders sent."""
    now = now or timezone.now()
    due = list(
        CommunicationOccurrence.objects.select_for_update(of=("self",))
        .filter(
            status=OccurrenceState.REMINDER,
            reminded_at__isnull=True,
            starts_at__lte=now + REMINDER_LEAD,
            entry__is_active=True,
            project__status__in=GENERATING,
        )
        .select_related("entry__owner", "project")
        .order_by("entry_id", "-starts_at")
    )
    sent = 0
    latest: set[int] = set()
    for occurrence in due:
        entry = occurrence.entry
        if entry.pk in latest or occurrence.starts_at < now - timedelta(days=1):
            occurrence.note = _("Not sent: its time passed while reminders were not running.")
        else:
            latest.add(entry.pk)
            sent += _remind(occurrence)
        occurrence.reminded_at = now
        occurrence.save(update_fields=["reminded_at", "note"])
    return sent


def _remind(occurrence: CommunicationOccurrence) -> int:
    entry, project = occurrence.entry, occurrence.project
    when = timezone.localtime(occurrence.starts_at)
    what = entry.scenario_detail or entry.get_scenario_display()
    title = _("%(time)s %(what)s (%(channel)s)") % {
        "time": when.strftime("%H:%M"),
        "what": what,
        "channel": entry.get_channel_display(),
    }
    output = entry.output_detail or entry.get_output_display()
    body = _("Communication plan: %(freq)s. Expected output: %(output)s.") % {
        "freq": frequency_text(entry),
        "output": output,
    }
    return send(
        project,
        [entry.owner_id, project.chat_admin_id],
        event_name="communication_reminder",
        title=title,
        body=body,
        actor=None,
        dedupe_key=f"project.comm_reminder:{occurrence.pk}",
        level="action",
        chat_scope=chat_scope_of(project) if entry.channel == CommChannel.CHAT_GROUP else "",
    )


# --- the project's group chat [002]: its robot and its 群管理员 ---------------------------------


def chat_scope_of(project: Project) -> str:
    """The key of the project's group chat among the notification robots."""
    return f"project:{project.pk}"


@transaction.atomic
def project_chat_admin_set(*, actor: Actor, project_id: int, chat_admin: Any, version: Any = None) -> Project:
    """Name (or, empty, clear) the project's 群管理员, who keeps its group chat."""
    project, roles, person = context(actor, project_id, version=version)
    _require_plan(roles, project)
    admin = active_person(chat_admin, "chat_admin", required=False)
    if admin is not None and admin.pk == project.chat_admin_id:
        return project
    project.chat_admin = admin
    bump(project, "chat_admin")
    content = (
        _("Group chat administrator: %(name)s") % {"name": admin.name}
        if admin
        else _("Group chat administrator cleared")
    )
    ProjectEvent.add(
        project,
        ProjectEventKind.COMMUNICATION,
        actor=person,
        content=content,
        data={"chat_admin": admin.pk if admin else None},
    )
    return project


@transaction.atomic
def project_chat_robot_add(*, actor: Actor, project_id: int, data: dict):
    """Connect the robot of the project's group chat (DingTalk, WeCom or Feishu): the plan's
    chat-group rows post their reminders there, @mentioning who must act."""
    project, roles, person = context(actor, project_id)
    _require_plan(roles, project)
    data = inputs.known(data or {}, {"kind", "name", "webhook_url", "secret"})
    robot = scope_robot_create(
        department=project.initiating_department,
        chat_scope=chat_scope_of(project),
        kind=str(data.get("kind") or ""),
        name=str(data.get("name") or ""),
        webhook_url=str(data.get("webhook_url") or ""),
        secret=str(data.get("secret") or ""),
    )
    ProjectEvent.add(
        project,
        ProjectEventKind.COMMUNICATION,
        actor=person,
        content=_("Group chat robot connected: %(name)s") % {"name": robot.name},
        data={"robot": robot.pk, "kind": robot.kind},
    )
    return robot


@transaction.atomic
def project_chat_robot_remove(*, actor: Actor, project_id: int, robot_id: Any) -> None:
    """Disconnect a robot of the project's group chat."""
    project, roles, person = context(actor, project_id)
    _require_plan(roles, project)
    pk = inputs.an_id(robot_id, "robot", _("No such robot."))
    scope_robot_delete(chat_scope=chat_scope_of(project), robot_id=pk or 0)
    ProjectEvent.add(
        project,
        ProjectEventKind.COMMUNICATION,
        actor=person,
        content=_("Group chat robot disconnected"),
        data={"robot": pk},
    )
