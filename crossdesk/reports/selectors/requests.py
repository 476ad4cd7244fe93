"""The collaboration requests' figures per department and period, from history rows and clocks.

Nothing here is typed by anyone: counts come from the requests and their parts, times
from the parts' moments and the timeline's status changes, targets from the deadline
clocks. Which requests a figure covers: those raised (submitted) in the period, by the
company's local date, like the request list's ``date_from`` / ``date_to``; "open now" and
"overdue now" are today's state whatever the period.

Two sides per department, each rolled up along the tree (a department includes its
sub-departments):

* requesting: the requests the departments raised, the answers they got from others
  and the ratings they gave;
* receiving: the parts the departments had to act on (informed parts have no duty and
  are left out), how fast they responded and resolved, and the ratings they earned.

Every figure for any number of departments is read in a fixed number of queries (one
pass over ``values()`` rows), so the ranking of all departments costs what one scorecard
costs. Times are working hours on the company's calendar, less the time a part waited on
the initiator (a part in "waiting for information", from the timeline's status changes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from crossdesk.collaboration.choices import (
    OPEN_STATUSES,
    EntryKind,
    PartRole,
    PartStatus,
    RequestStatus,
    Urgency,
)
from crossdesk.collaboration.models import Request, RequestInvolvement, RequestPart, TimelineEntry
from crossdesk.deadlines.choices import EventKind
from crossdesk.deadlines.keys import RuleKey
from crossdesk.deadlines.models import Clock, ClockEvent
from crossdesk.org.selectors import Roles
from crossdesk.workcal.lib import WorkCalendar
from crossdesk.workcal.selectors import get_calendar

from ..periods import Period
from ..scorecard import FIGURES, target_met, value_at
from .departments import DepartmentNode, department_for_viewer, department_nodes, visible_department_ids
from .meetings import meetings_by_department
from .projects import projects_by_department
from .stats import clock_outcome, median, p90, percent
from .targets import targets_for

SIDES = ("requesting", "receiving")
URGENCIES = tuple(str(u) for u in Urgency.values)
HOUR = 3600.0


# --- what one pass reads ------------------------------------------------------------------


@dataclass
class _Part:
    id: int
    request_id: int
    department_id: int
    initiating_department_id: int
    status: str
    request_status: str
    urgency: str
    raised_on: date
    submitted_at: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    satisfaction: int | None
    has_comment: bool
    pauses: list[tuple[datetime, datetime]] = field(default_factory=list)
    resolved_ever: bool = False
    reopened: bool = False
    respond_clock: tuple[str, datetime, datetime | None] | None = None
    resolve_clock: tuple[str, datetime, datetime | None] | None = None


@dataclass
class _Raised:
    id: int
    department_id: int
    raised_on: date
    status: str
    satisfaction: int | None
    has_comment: bool
    resolved_ever: bool = False
    reopened: bool = False


@dataclass
class _Data:
    parts: list[_Part]
    raised: list[_Raised]
    open_rows: list[tuple[int, int, str, bool, str]]  # request, department, role, overdue, urgency
    escalations: list[tuple[int, str, bool]]  # clock's department, "head"/"supervisor", part clock


def _load(department_ids: set[int], period: Period) -> _Data:
    """Every row the figures of these departments need, in six queries."""
    cohort = Q(request__raised_on__gte=period.start, request__raised_on__lte=period.end) & ~Q(
        request__status=RequestStatus.DRAFT
    )
    part_rows = (
        RequestPart.objects.filter(cohort, role=PartRole.RECEIVING)
        .filter(Q(department_id__in=department_ids) | Q(request__initiating_department_id__in=department_ids))
        .values_list(
            "id",
            "request_id",
            "department_id",
            "request__initiating_department_id",
            "status",
            "request__status",
            "request__urgency",
            "request__raised_on",
            "request__submitted_at",
            "accepted_at",
            "declined_at",
            "resolved_at",
            "request__satisfaction",
            "request__satisfaction_comment",
        )
    )
    parts = [
        _Part(
            id=pk,
            request_id=request_id,
            department_id=dept,
            initiating_department_id=initiating,
            status=status,
            request_status=request_status,
            urgency=urgency,
            raised_on=raised_on,
            submitted_at=submitted,
            responded_at=accepted or declined,
            resolved_at=resolved if status == PartStatus.RESOLVED else None,
            satisfaction=rating,
            has_comment=bool((comment or "").strip()),
        )
        for (
            pk,
            request_id,
            dept,
            initiating,
            status,
            request_status,
            urgency,
            raised_on,
            submitted,
            accepted,
            declined,
            resolved,
            rating,
            comment,
        ) in part_rows
        # Every submitted request has both; the check only tells the type checker so.
        if raised_on is not None and submitted is not None
    ]
    raised = [
        _Raised(pk, dept, raised_on, status, rating, bool((comment or "").strip()))
        for pk, dept, raised_on, status, rating, comment in Request.objects.filter(
            initiating_department_id__in=department_ids,
            raised_on__gte=period.start,
            raised_on__lte=period.end,
        )
        .exclude(status=RequestStatus.DRAFT)
        .values_list(
            "id", "initiating_department_id", "raised_on", "status", "satisfaction", "satisfaction_comment"
        )
        if raised_on is not None
    ]
    request_ids = {p.request_id for p in parts} | {r.id for r in raised}
    by_part = {p.id: p for p in parts}
    by_request = {r.id: r for r in raised}
    if request_ids:
        _read_timeline(request_ids, by_part, by_request)
        _read_clocks(request_ids, by_part)
    escalations = _read_escalations(request_ids, department_ids) if request_ids else []
    open_rows = list(
        RequestInvolvement.objects.filter(
            department_id__in=department_ids,
            status__in=OPEN_STATUSES,
            role__in=[RequestInvolvement.Role.INITIATING, RequestInvolvement.Role.RECEIVING],
        ).values_list("request_id", "department_id", "role", "is_overdue", "urgency")
    )
    return _Data(parts, raised, open_rows, escalations)


def _read_timeline(request_ids: set[int], by_part: dict[int, _Part], by_request: dict[int, _Raised]) -> None:
    """Pauses, resolutions and reopenings from the status changes of the timeline."""
    rows = (
        TimelineEntry.objects.filter(request_id__in=request_ids, kind=EntryKind.TRANSITION)
        .filter(
            Q(to_status__in=[PartStatus.AWAITING_INFO, PartStatus.RESOLVED])
            | Q(from_status__in=[PartStatus.AWAITING_INFO, PartStatus.RESOLVED])
        )
        .order_by("at", "id")
        .values_list("request_id", "part_id", "from_status", "to_status", "at")
    )
    waiting_since: dict[int, datetime] = {}
    for request_id, part_id, old, new, at in rows:
        if part_id is None:
            raised = by_request.get(request_id)
            if raised is not None:
                raised.resolved_ever |= new == RequestStatus.RESOLVED
                raised.reopened |= old == RequestStatus.RESOLVED and new == RequestStatus.IN_PROGRESS
            continue
        part = by_part.get(part_id)
        if part is None:
            continue
        if new == PartStatus.AWAITING_INFO:
            waiting_since[part_id] = at
        elif old == PartStatus.AWAITING_INFO and part_id in waiting_since:
            part.pauses.append((waiting_since.pop(part_id), at))
        part.resolved_ever |= new == PartStatus.RESOLVED
        part.reopened |= old == PartStatus.RESOLVED and new == PartStatus.ACCEPTED
    now = timezone.now()
    for part_id, since in waiting_since.items():  # still waiting: paused until now
        by_part[part_id].pauses.append((since, now))


def _read_clocks(request_ids: set[int], by_part: dict[int, _Part]) -> None:
    """Each part's response clock and its latest resolution clock (a reopening starts a new one)."""
    rows = (
        Clock.objects.filter(
            subject_type=ContentType.objects.get_for_model(Request),
            subject_id__in=request_ids,
            policy__key__in=[RuleKey.REQUEST_RESPOND, RuleKey.REQUEST_RESOLVE],
        )
        .order_by("id")
        .values_list("scope", "policy__key", "state", "due_at", "met_at")
    )
    for scope, key, state, due_at, met_at in rows:
        if not scope.startswith("part:"):
            continue
        part = by_part.get(int(scope.removeprefix("part:")))
        if part is None:
            continue
        if key == RuleKey.REQUEST_RESPOND:
            part.respond_clock = (state, due_at, met_at)
        else:
            part.resolve_clock = (state, due_at, met_at)


def _read_escalations(request_ids: set[int], department_ids: set[int]) -> list[tuple[int, str, bool]]:
    rows = ClockEvent.objects.filter(
        subject_type=ContentType.objects.get_for_model(Request),
        subject_id__in=request_ids,
        kind=EventKind.ESCALATED,
        clock__department_id__in=department_ids,
    ).values_list("clock__department_id", "clock__scope", "data")
    return [
        (dept, str((data or {}).get("to") or ""), scope.startswith("part:")) for dept, scope, data in rows
    ]


# --- the figures --------------------------------------------------------------------------


def _paused_hours(calendar: WorkCalendar, part: _Part, until: datetime | None = None) -> float:
    total = 0.0
    for start, end in part.pauses:
        end = min(end, until) if until is not None else end
        if end > start:
            total += calendar.working_seconds_between(start, end)
    return total / HOUR


def _working_hours(calendar: WorkCalendar, part: _Part, until: datetime) -> float:
    elapsed = calendar.working_seconds_between(part.submitted_at, until) / HOUR
    return max(0.0, elapsed - _paused_hours(calendar, part, until))


def _satisfaction(ratings: list[tuple[int | None, bool]]) -> dict[str, Any]:
    given = [r for r, _c in ratings if r is not None]
    distribution = {str(n): given.count(n) for n in range(1, 6)}
    return {
        "rated": len(given),
        "average": round(sum(given) / len(given), 2) if given else None,
        "distribution": distribution,
        "share_4_5": percent(distribution["4"] + distribution["5"], len(given)),
        "comments": sum(1 for r, has_comment in ratings if r is not None and has_comment),
    }


def _timing(calendar: WorkCalendar, parts: list[_Part], now: datetime) -> dict[str, Any]:
    """Response and resolution figures over these parts."""
    response_by_urgency: dict[str, list[bool]] = {u: [] for u in URGENCIES}
    resolution: list[bool] = []
    respond_hours: list[float] = []
    resolve_hours: list[float] = []
    paused = 0.0
    for part in parts:
        met = clock_outcome(part.respond_clock, now)
        if met is not None:
            response_by_urgency.setdefault(part.urgency, []).append(met)
        on_time = clock_outcome(part.resolve_clock, now)
        if on_time is not None:
            resolution.append(on_time)
        if part.responded_at is not None:
            respond_hours.append(_working_hours(calendar, part, part.responded_at))
        if part.resolved_at is not None:
            resolve_hours.append(_working_hours(calendar, part, part.resolved_at))
        paused += _paused_hours(calendar, part)
    responses = [met for outcomes in response_by_urgency.values() for met in outcomes]
    resolved_ever = [p for p in parts if p.resolved_ever]
    return {
        "response_measured": len(responses),
        "response_within_target": sum(responses),
        "response_within_target_pct": percent(sum(responses), len(responses)),
        "response_by_urgency": {
            urgency: {
                "measured": len(outcomes),
                "within_target": sum(outcomes),
                "pct": percent(sum(outcomes), len(outcomes)),
            }
            for urgency, outcomes in response_by_urgency.items()
        },
        "resolution_measured": len(resolution),
        "resolution_on_time": sum(resolution),
        "resolution_on_time_pct": percent(sum(resolution), len(resolution)),
        "respond_hours_median": median(respond_hours),
        "respond_hours_p90": p90(respond_hours),
        "resolve_hours_median": median(resolve_hours),
        "resolve_hours_p90": p90(resolve_hours),
        "paused_hours": round(paused, 2),
        "resolved": len(resolved_ever),
        "reopened": sum(1 for p in resolved_ever if p.reopened),
        "reopen_rate_pct": percent(sum(1 for p in resolved_ever if p.reopened), len(resolved_ever)),
    }


def _escalation_counts(
    rows: Iterable[tuple[int, str, bool]], group: frozenset[int], part_clock: bool
) -> dict:
    mine = [to for dept, to, is_part in rows if dept in group and is_part == part_clock]
    return {"head": mine.count("head"), "supervisor": mine.count("supervisor")}


def _open_counts(rows: list[tuple[int, int, str, bool, str]], group: frozenset[int], role: str) -> dict:
    open_ids = {req for req, dept, r, _o, _u in rows if dept in group and r == role}
    overdue = {
        (req, urgency)
        for req, dept, r, is_overdue, urgency in rows
        if dept in group and r == role and is_overdue
    }
    return {
        "open_now": len(open_ids),
        "overdue_now": len({req for req, _u in overdue}),
        "overdue_by_urgency": {u: sum(1 for _r, urgency in overdue if urgency == u) for u in URGENCIES},
    }


def _figures(calendar: WorkCalendar, data: _Data, group: frozenset[int], now: datetime) -> dict[str, Any]:
    raised = [r for r in data.raised if r.department_id in group]
    answered = [p for p in data.parts if p.initiating_department_id in group]
    received = [p for p in data.parts if p.department_id in group]
    raised_resolved = [r for r in raised if r.resolved_ever]
    requesting = {
        "requests": len(raised),
        "declined": sum(1 for r in raised if r.status == RequestStatus.DECLINED),
        "cancelled": sum(1 for r in raised if r.status == RequestStatus.CANCELLED),
        **_open_counts(data.open_rows, group, RequestInvolvement.Role.INITIATING),
        **_timing(calendar, answered, now),
        # Reopening is the initiator's act on the whole request: count requests here.
        "resolved": len(raised_resolved),
        "reopened": sum(1 for r in raised_resolved if r.reopened),
        "reopen_rate_pct": percent(sum(1 for r in raised_resolved if r.reopened), len(raised_resolved)),
        "escalations": _escalation_counts(data.escalations, group, part_clock=False),
        "satisfaction": _satisfaction([(r.satisfaction, r.has_comment) for r in raised]),
    }
    received_requests = {p.request_id: p for p in received}
    receiving = {
        "requests": len(received_requests),
        "declined": len({p.request_id for p in received if p.status == PartStatus.DECLINED}),
        "cancelled": sum(
            1 for p in received_requests.values() if p.request_status == RequestStatus.CANCELLED
        ),
        **_open_counts(data.open_rows, group, RequestInvolvement.Role.RECEIVING),
        **_timing(calendar, received, now),
        "escalations": _escalation_counts(data.escalations, group, part_clock=True),
        # A rating is earned by the departments that resolved their part, not by one that declined.
        "satisfaction": _satisfaction(
            [
                (p.satisfaction, p.has_comment)
                for p in {p.request_id: p for p in received if p.status == PartStatus.RESOLVED}.values()
            ]
        ),
    }
    return {"requesting": requesting, "receiving": receiving}


def request_links(node: DepartmentNode, period: Period) -> dict[str, dict[str, str]]:
    """For each side, the request list filtered to the requests behind its counts."""
    base = reverse("collaboration:list")
    dates = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
    links: dict[str, dict[str, str]] = {}
    for side, direction in (("requesting", "raised"), ("receiving", "received")):
        common = {"department": node.code, "direction": direction}
        if len(node.subtree) > 1:
            common["include_sub"] = "true"
        links[side] = {
            "requests": f"{base}?{urlencode({**common, **dates})}",
            "declined": f"{base}?{urlencode({**common, **dates, 'status': RequestStatus.DECLINED})}",
            "cancelled": f"{base}?{urlencode({**common, **dates, 'status': RequestStatus.CANCELLED})}",
            "open_now": f"{base}?{urlencode({**common, 'status': 'open'})}",
            "overdue_now": f"{base}?{urlencode({**common, 'status': 'open', 'overdue': 'true'})}",
        }
    return links


def _load_for(nodes: list[DepartmentNode], period: Period) -> _Data:
    everyone = set().union(*(n.subtree for n in nodes)) if nodes else set()
    return _load(everyone, period) if everyone else _Data([], [], [], [])


def scorecards(
    nodes: Iterable[DepartmentNode], period: Period, *, data: _Data | None = None
) -> list[dict[str, Any]]:
    """The figures of each department (rolled up over its sub-departments), for the
    period; the same fixed number of queries for one department or all of them."""
    chosen = list(nodes)
    data = data if data is not None else _load_for(chosen, period)
    calendar = get_calendar()
    now = timezone.now()
    meetings = meetings_by_department(chosen, period)
    projects = projects_by_department(chosen, period)
    return [
        {
            "department": {"code": n.code, "name": n.name, "depth": n.depth},
            "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
            **_figures(calendar, data, n.subtree, now),
            "meetings": meetings[n.id],
            "projects": projects[n.id],
            "links": request_links(n, period),
        }
        for n in chosen
    ]


def scorecard(*, roles: Roles, code: str, period: Period, with_targets: bool = False) -> dict[str, Any]:
    """One department's figures, or 404 when the viewer may not see them; with
    ``with_targets``, each scorecard figure against its target too."""
    nodes = department_nodes()
    node = department_for_viewer(roles=roles, code=code, nodes=nodes)
    card = scorecards([node], period)[0]
    if with_targets:
        targets = targets_for([node.id])[node.id]
        card["targets"] = [
            {
                "figure": f.key,
                "value": value_at(card, f.path),
                "target": targets.get(f.key),
                "met": target_met(f, value_at(card, f.path), targets.get(f.key)),
            }
            for f in FIGURES
        ]
    return card


def ranking(*, roles: Roles, period: Period) -> list[dict[str, Any]]:
    """The figures of every department the viewer may see, in the tree's order."""
    nodes = department_nodes()
    visible = visible_department_ids(roles, nodes)
    return scorecards([n for pk, n in nodes.items() if pk in visible], period)


# --- the trend ----------------------------------------------------------------------------


def trend_buckets(period: Period) -> list[Period]:
    """Weeks (Monday first) for a period up to a quarter, months for a longer one; the
    first and last are cut to the period."""
    buckets: list[Period] = []
    start = period.start
    weekly = period.days <= 92
    while start <= period.end:
        if weekly:
            following = start - timedelta(days=start.weekday()) + timedelta(days=7)
        else:
            following = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(following - timedelta(days=1), period.end)
        buckets.append(Period(start, end, "week" if weekly else "month"))
        start = end + timedelta(days=1)
    return buckets


def trend(
    nodes: Iterable[DepartmentNode], period: Period, *, data: _Data | None = None
) -> list[dict[str, Any]]:
    """The departments together, week by week (or month by month): requests raised and
    received, responses within target and resolutions on time (receiving side), the
    average rating earned. Read in one pass like :func:`scorecards`."""
    chosen = list(nodes)
    group = frozenset().union(*(n.subtree for n in chosen)) if chosen else frozenset()
    data = data if data is not None else _load_for(chosen, period)
    calendar = get_calendar()
    now = timezone.now()
    rows = []
    for bucket in trend_buckets(period):
        inside = _Data(
            [p for p in data.parts if bucket.start <= p.raised_on <= bucket.end],
            [r for r in data.raised if bucket.start <= r.raised_on <= bucket.end],
            [],
            [],
        )
        figures = _figures(calendar, inside, group, now)
        receiving = figures["receiving"]
        rows.append(
            {
                "from": bucket.start.isoformat(),
                "to": bucket.end.isoformat(),
                "raised": figures["requesting"]["requests"],
                "received": receiving["requests"],
                "response_within_target_pct": receiving["response_within_target_pct"],
                "resolution_on_time_pct": receiving["resolution_on_time_pct"],
                "satisfaction_average": receiving["satisfaction"]["average"],
            }
        )
    return rows


def scorecards_with_trend(
    nodes: Iterable[DepartmentNode], trend_of: Iterable[DepartmentNode], period: Period
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The pages' figures: each department's scorecard and the trend of ``trend_of``,
    from one read of the rows (``trend_of`` lies within ``nodes``' sub-trees)."""
    chosen = list(nodes)
    data = _load_for(chosen, period)
    return scorecards(chosen, period, data=data), trend(trend_of, period, data=data)


def worst_overdue(*, roles: Roles, node: DepartmentNode, limit: int = 5) -> list[RequestInvolvement]:
    """The department's (and its sub-departments') most overdue open requests it must act
    on, the longest overdue first, among those the viewer may open: a scorecard names the
    records behind its worst figure, never one its reader may not see."""
    from crossdesk.collaboration.selectors import visible_requests

    rows = (
        RequestInvolvement.objects.filter(
            department_id__in=node.subtree,
            role=RequestInvolvement.Role.RECEIVING,
            status__in=OPEN_STATUSES,
            is_overdue=True,
            request__in=visible_requests(roles=roles).values("pk"),
        )
        .select_related("request", "department")
        .order_by("next_due_at", "request_id")[: limit * 4]
    )
    found: dict[int, RequestInvolvement] = {}
    for row in rows:
        found.setdefault(row.request_id, row)
    return list(found.values())[:limit]
