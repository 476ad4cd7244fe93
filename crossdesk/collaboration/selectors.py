"""Reads of collaboration requests, filtered by what the viewer may see (SPEC §6)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import NotFoundError
from crossdesk.core.models import filter_given
from crossdesk.core.records.registry import WorkSection, or_indexed
from crossdesk.deadlines.choices import LIVE_STATES
from crossdesk.deadlines.models import Clock, ClockEvent
from crossdesk.deadlines.selectors import live_clocks_by_subject, next_clock
from crossdesk.org.selectors import Roles, descendant_ids_of, roles_for

from . import permissions
from .choices import OPEN_STATUSES, PartRole, PartStatus, RequestStatus, Urgency
from .letters import letter_signature_valid
from .models import Attachment, Request, RequestInvolvement, RequestPart, ResourceLetter, TimelineEntry
from .signatures import broken_signatures


def visible_requests(*, roles: Roles) -> QuerySet[Request]:
    """Requests the viewer may see (the one rule: ``permissions.visible_q``)."""
    return Request.objects.filter(permissions.visible_q(roles))


def request_get_for_viewer(*, roles: Roles, pk: int) -> Request:
    """The request, or 404 when it does not exist or the viewer may not see it."""
    request = (
        visible_requests(roles=roles)
        .select_related("initiating_department", "initiator", "initiator_head")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise NotFoundError(_("No such request."))
    permissions.mark_involved(request, roles, True)
    return request


@dataclass
class LetterPage:
    """One department's resource confirmation letters on a request: every version, newest
    first, and the one shown (the current one unless another was asked for)."""

    request: Request
    part: RequestPart
    letters: list[ResourceLetter]
    letter: ResourceLetter
    signature_valid: bool | None
    actions: set[str]


def letter_page(*, roles: Roles, pk: int, part_id: int, version: int | None = None) -> LetterPage:
    """A part's letters for whoever may see the request (404 otherwise, or before a letter)."""
    request = request_get_for_viewer(roles=roles, pk=pk)
    part = (
        request.parts.select_related("department", "department__head", "liaison").filter(pk=part_id).first()
    )
    if part is None:
        raise NotFoundError(_("No such department on this request."))
    letters = list(
        part.letters.select_related("liaison", "author", "head").order_by("-version")  # type: ignore[attr-defined]
    )
    if not letters:
        raise NotFoundError(_("This department has not sent a resource confirmation letter yet."))
    shown = letters[0] if version is None else next((x for x in letters if x.version == version), None)
    if shown is None:
        raise NotFoundError(_("No such version of the letter."))
    return LetterPage(
        request=request,
        part=part,
        letters=letters,
        letter=shown,
        signature_valid=letter_signature_valid(shown),
        actions=permissions.part_actions(roles, request, part),
    )


@dataclass
class RequestFilter:
    """One filter for the department inbox page, its API twin and its Excel export."""

    status: str = ""
    urgency: str = ""
    type: str = ""
    overdue: bool = False
    department: int | None = None  # involved (initiating or receiving/informed)
    direction: str = ""  # "raised" / "received" relative to ``department``
    include_sub: bool = False  # ``department`` with its sub-departments (the reports' roll-up)
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    sort: str = "-submitted_at"
    statuses: list[str] = field(default_factory=list)


# Most urgent first: the stored values would sort alphabetically (critical, normal, urgent).
URGENCY_RANK = Case(
    When(urgency=Urgency.CRITICAL, then=Value(0)),
    When(urgency=Urgency.URGENT, then=Value(1)),
    default=Value(2),
)

SORTS: dict[str, tuple[str | Combinable, str]] = {
    "-submitted_at": ("-submitted_at", "-id"),
    "submitted_at": ("submitted_at", "id"),
    "next_due_at": ("next_due_at", "id"),
    "-next_due_at": ("-next_due_at", "-id"),
    "number": ("number", "id"),
    "-number": ("-number", "-id"),
    "urgency": (URGENCY_RANK, "-id"),
    "status": ("status", "-id"),
}


def _filtered(rows: QuerySet, filters: RequestFilter) -> QuerySet:
    """The filters that requests and their inbox index rows answer alike (same field names)."""
    return filter_given(
        rows,
        status=filters.status,
        status__in=filters.statuses,
        urgency=filters.urgency,
        type=filters.type,
        is_overdue=filters.overdue,
        raised_on__gte=filters.date_from,
        raised_on__lte=filters.date_to,
    )


def request_list(*, roles: Roles, filters: RequestFilter) -> QuerySet[Request]:
    """The filtered, sorted list; callers paginate. Joins only what a list row shows."""
    requests = _filtered(visible_requests(roles=roles).exclude(status=RequestStatus.DRAFT), filters)
    if filters.department:
        departments = descendant_ids_of(filters.department) if filters.include_sub else [filters.department]
        raised = Q(initiating_department_id__in=departments)
        received = Q(
            Exists(RequestPart.objects.filter(request=OuterRef("pk"), department_id__in=departments))
        )
        if filters.direction == "raised":
            requests = requests.filter(raised)
        elif filters.direction == "received":
            requests = requests.filter(received)
        else:
            requests = requests.filter(raised | received)
    if filters.text:
        text = filters.text.strip()
        found = (
            Q(number__icontains=text)
            | Q(title__icontains=text)
            | Q(background__icontains=text)
            | Q(current_situation__icontains=text)
            | Q(expected_outcome__icontains=text)
        )
        # The search index finds the words in any order, and in the log and the resolutions.
        requests = requests.filter(or_indexed(found, "collaboration.request", text))
    order = SORTS.get(filters.sort, SORTS["-submitted_at"])
    requests = (
        requests.select_related("initiating_department", "initiator")
        .prefetch_related(
            Prefetch("parts", queryset=RequestPart.objects.select_related("department").order_by("id"))
        )
        .order_by(*order)
    )
    fast_ids = _inbox_ids(roles=roles, filters=filters)
    if fast_ids is None:
        return requests
    return InboxQuerySet.wrap(requests, fast_ids)


# The sorts the inbox index serves, as orderings of RequestInvolvement.
INVOLVEMENT_SORTS = {
    "-submitted_at": ("-submitted_at", "-request_id"),
    "submitted_at": ("submitted_at", "request_id"),
    "next_due_at": ("next_due_at", "request_id"),
    "-next_due_at": ("-next_due_at", "-request_id"),
}


def _inbox_ids(*, roles: Roles, filters: RequestFilter) -> QuerySet | None:
    """The same rows as ``request_list``, as request ids read from the inbox index alone —
    or None when this query is not one the index answers exactly.

    It answers a department's inbox for a viewer who sees every request involving that
    department (an administrator, its head, its supervisor): visibility then adds nothing,
    confidential ones included (SPEC §6), so the index rows are exactly the visible rows.
    """
    department = filters.department
    if not department or filters.include_sub or filters.text or filters.sort not in INVOLVEMENT_SORTS:
        return None
    if not (roles.is_admin or department in roles.oversees):
        return None
    rows = RequestInvolvement.objects.filter(department_id=department)
    if filters.direction == "raised":
        rows = rows.filter(role=RequestInvolvement.Role.INITIATING)
    elif filters.direction == "received":
        rows = rows.exclude(role=RequestInvolvement.Role.INITIATING)
    return (
        _filtered(rows, filters)
        .order_by(*INVOLVEMENT_SORTS[filters.sort])
        .values_list("request_id", flat=True)
    )


class InboxQuerySet(QuerySet):
    """A request list that counts and pages through the inbox index (``_inbox_ids``) and
    loads only the requests of the page asked for; anything else (iterating for an
    export, ``exists()``…) is the ordinary query, which returns the same rows."""

    _inbox_ids: QuerySet | None = None

    @classmethod
    def wrap(cls, requests: QuerySet, ids: QuerySet) -> InboxQuerySet:
        inbox = cast(InboxQuerySet, requests.all())
        inbox.__class__ = cls
        inbox._inbox_ids = ids
        return inbox

    def _clone(self):
        clone = super()._clone()
        clone._inbox_ids = self._inbox_ids
        return clone

    def count(self) -> int:
        if self._inbox_ids is None or self.query.is_sliced:
            return super().count()
        return self._inbox_ids.count()

    def __getitem__(self, key):
        if self._inbox_ids is None or not isinstance(key, slice) or self._result_cache is not None:
            return super().__getitem__(key)
        ids = list(self._inbox_ids[key])
        if not ids:
            return []
        found = self._chain()
        found._inbox_ids = None
        found.query.clear_ordering(force=True)
        rows = list(found.filter(pk__in=ids))
        position = {pk: index for index, pk in enumerate(ids)}
        key_of = (
            (lambda row: position[row["id"]])
            if rows and isinstance(rows[0], dict)
            else (lambda row: position[row.pk])
        )
        return sorted(rows, key=key_of)


@dataclass
class TimelineItem:
    at: datetime
    kind: str
    entry: TimelineEntry | None = None
    event: ClockEvent | None = None


@dataclass
class RequestPage:
    """Everything the request page shows, loaded with a fixed number of queries."""

    request: Request
    parts: list[RequestPart]
    timeline: list[TimelineItem]
    clocks: list[Clock]
    attachments: list[Attachment]
    actions: set[str]
    part_actions: dict[int, set[str]]
    next_clock: Clock | None
    broken_signatures: list[str] = field(default_factory=list)


def request_page(*, roles: Roles, pk: int) -> RequestPage:
    request = request_get_for_viewer(roles=roles, pk=pk)
    parts = list(
        request.parts.select_related(
            "department", "department__head", "liaison", "responsible", "head"
        ).order_by("id")
    )
    entries = list(request.timeline.select_related("author", "part__department").order_by("at", "id"))
    request_type = ContentType.objects.get_for_model(Request)
    events = list(
        ClockEvent.objects.filter(subject_type=request_type, subject_id=request.pk)
        .exclude(kind="started")
        .select_related("clock", "clock__policy")
        .order_by("at", "id")
    )
    clocks = list(
        Clock.objects.filter(subject_type=request_type, subject_id=request.pk)
        .select_related("policy", "owner", "department")
        .order_by("due_at")
    )
    timeline = [TimelineItem(e.at, e.kind, entry=e) for e in entries] + [
        TimelineItem(ev.at, f"clock_{ev.kind}", event=ev) for ev in events
    ]
    timeline.sort(key=lambda item: item.at)
    live = [c for c in clocks if c.state in LIVE_STATES and c.state != "paused"]
    actions = permissions.request_actions(roles, request, parts)
    attachments = list(request.attachments.select_related("uploaded_by"))
    return RequestPage(
        request=request,
        parts=parts,
        timeline=timeline,
        clocks=clocks,
        attachments=attachments,
        actions=actions,
        part_actions={p.pk: permissions.part_actions(roles, request, p) for p in parts},
        next_clock=min(live, key=lambda c: c.due_at) if live else None,
        broken_signatures=broken_signatures(request, parts, attachments, entries),
    )


@dataclass
class WorkItem:
    """One thing waiting for me on my workbench."""

    request: Request
    what: str  # respond / resolve / provide_info / confirm / sign / follow_up / draft
    part: RequestPart | None
    due_at: datetime | None
    overdue: bool
    clock: Clock | None = None  # the deadline badge's clock (``work_section``)


def workbench_items(*, roles: Roles, limit: int = 200) -> list[WorkItem]:
    """Everything waiting for me across requests: overdue first, then by deadline."""
    if roles.person is None:
        return []
    person_id = roles.person.pk
    handled_departments = roles.liaison_of | roles.head_of
    part_rows = (
        RequestPart.objects.filter(role=PartRole.RECEIVING)
        .filter(request__status__in=[RequestStatus.SUBMITTED, RequestStatus.IN_PROGRESS])
        .filter(
            Q(liaison_id=person_id)
            | Q(liaison__isnull=True, department_id__in=handled_departments)
            | Q(department_id__in=roles.head_of)
        )
        .filter(status__in=[PartStatus.PENDING, PartStatus.ACCEPTED])
        .select_related("request", "request__initiating_department", "department")
        .order_by("request__next_due_at")[:limit]
    )
    items: list[WorkItem] = []
    part_ids = []
    for part in part_rows:
        part_ids.append(part.pk)
        what = "respond" if part.status == PartStatus.PENDING else "resolve"
        items.append(WorkItem(part.request, what, part, None, False))
    own = (
        Request.objects.filter(initiator_id=person_id)
        .filter(status__in=[RequestStatus.DRAFT, RequestStatus.RESOLVED])
        .select_related("initiating_department")
        .order_by("-updated_at")[:limit]
    )
    for request in own:
        items.append(
            WorkItem(
                request, "draft" if request.status == RequestStatus.DRAFT else "confirm", None, None, False
            )
        )
    waiting_info = (
        RequestPart.objects.filter(request__initiator_id=person_id, status=PartStatus.AWAITING_INFO)
        .select_related("request", "request__initiating_department", "department")
        .order_by("id")[:limit]
    )
    for part in waiting_info:
        items.append(WorkItem(part.request, "provide_info", part, None, False))
    to_sign = (
        RequestPart.objects.filter(
            request__status=RequestStatus.CONFIRMED,
            status=PartStatus.RESOLVED,
            head_signed_at__isnull=True,
            department_id__in=roles.head_of,
        )
        .select_related("request", "request__initiating_department", "department")
        .order_by("id")[:limit]
    )
    for part in to_sign:
        items.append(WorkItem(part.request, "sign", part, None, False))
    initiating_to_sign = Request.objects.filter(
        status=RequestStatus.CONFIRMED,
        initiator_head_signed_at__isnull=True,
        initiating_department_id__in=roles.head_of,
    ).select_related("initiating_department")[:limit]
    for request in initiating_to_sign:
        items.append(WorkItem(request, "sign_initiator", None, None, False))

    # Deadlines for the part items come from their clocks, in one query.
    request_type = ContentType.objects.get_for_model(Request)
    scopes = {f"part:{pid}" for pid in part_ids}
    clocks = Clock.objects.filter(
        subject_type=request_type,
        subject_id__in={i.request.pk for i in items},
        state__in=["running", "breached"],
    ).values_list("subject_id", "scope", "due_at", "state")
    due_by_scope: dict[tuple[int, str], tuple[datetime, bool]] = {}
    for subject_id, scope, due_at, state in clocks:
        key = (subject_id, scope if scope in scopes else "")
        current = due_by_scope.get(key)
        if current is None or due_at < current[0]:
            due_by_scope[key] = (due_at, state == "breached" or (current[1] if current else False))
    now = timezone.now()
    for item in items:
        scope = item.part.clock_scope if item.part else ""
        found = due_by_scope.get((item.request.pk, scope))
        if found:
            item.due_at, item.overdue = found[0], found[1] or found[0] < now
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    items.sort(key=lambda i: (not i.overdue, i.due_at or far))
    return items[:limit]


# The order of the counters on the workbench: what others wait on first.
WORK_ORDER = ["respond", "resolve", "provide_info", "confirm", "sign", "sign_initiator", "follow_up", "draft"]


def work_section(user: Any, roles: Roles | None = None) -> WorkSection | None:
    """The requests' section of the workbench (registered in ``CollaborationConfig.ready()``):
    each item with its deadline clock for the badge (one more query whatever the number)."""
    roles = roles or roles_for(user)
    items = workbench_items(roles=roles)
    if not items:
        return None
    clocks = live_clocks_by_subject(Request, (item.request.pk for item in items))
    for item in items:
        item.clock = next_clock(clocks.get(item.request.pk, []), item.part.clock_scope if item.part else "")
    counts = Counter(item.what for item in items)
    overdue = sum(1 for item in items if item.overdue)
    return WorkSection(
        name="requests",
        template="collaboration/_workbench.html",
        items=items,
        overdue=overdue,
        order=10,
        context={
            "items": items,
            "counts": [(what, counts[what]) for what in WORK_ORDER if counts[what]],
            "overdue_count": overdue,
        },
    )


def open_request_count(*, roles: Roles) -> int:
    return visible_requests(roles=roles).filter(status__in=OPEN_STATUSES).count()
