"""Reads of the knowledge base, filtered by what the viewer may see, and the drafts an entry
starts from: what a resolved request, a project lesson or a meeting's consensus says."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from crossdesk.collaboration.choices import PartStatus, RequestStatus
from crossdesk.collaboration.selectors import request_page
from crossdesk.core.errors import ApplicationError, NotFoundError, PermissionDeniedError, TransitionError
from crossdesk.core.records import inputs
from crossdesk.core.records.registry import or_indexed, visible_rows
from crossdesk.meetings.choices import MeetingStatus
from crossdesk.meetings.selectors import meeting_get_for_viewer
from crossdesk.org.selectors import Roles, roles_for
from crossdesk.projects.selectors.close import visible_lessons

from .models import Entry, HelpfulMark, SourceType

# The record types whose visibility an entry may borrow (``Entry.scope_type``).
SCOPE_TYPES = ("collaboration.request", "projects.project", "meetings.meeting")
# A request is published once its initiator confirmed the solution (SPEC §3).
PUBLISHABLE_REQUEST = (RequestStatus.CONFIRMED, RequestStatus.SIGNED, RequestStatus.ARCHIVED)
PUBLISHABLE_MEETING = (MeetingStatus.CONFIRMED, MeetingStatus.SIGNED, MeetingStatus.ARCHIVED)
PAGE_SIZE = 25


def visible_entries(*, user: Any) -> QuerySet[Entry]:
    """Entries the user may see: every entry from a source that is not confidential; one from
    a confidential source only to who may see that source (its app's registered visibility)."""
    entries = Entry.objects.all()
    if roles_for(user).is_admin:
        return entries
    if user is None or not user.is_authenticated:
        return entries.none()
    visible = Q(confidential=False)
    for scope in SCOPE_TYPES:
        rows = visible_rows(scope, user)
        if rows is not None:
            visible |= Q(scope_type=scope, scope_id__in=rows.values("pk"))
    return entries.filter(visible)


@dataclass
class EntryFilter:
    """One filter for the list page and its API twin."""

    q: str = ""
    department: int | None = None
    tag: str = ""

    @classmethod
    def from_params(cls, params: Any) -> EntryFilter:
        q = inputs.text(params.get("q"), "q", 200)
        department = inputs.an_id(params.get("department"), "department", _("Unknown department."))
        tag = inputs.text(params.get("tag"), "tag", 50)
        return cls(q=q, department=department, tag=tag)


def entry_list(*, user: Any, filters: EntryFilter) -> QuerySet[Entry]:
    """Visible entries matching every word of ``q`` (title, problem, solution, tags; or the
    search index's words of the entry, in any order), of a
    department and with a tag, the most useful first: found helpful, then opened, then newest."""
    entries = visible_entries(user=user)
    if filters.q:
        found = Q()
        for word in filters.q.split()[:10]:
            found &= (
                Q(title__icontains=word)
                | Q(problem__icontains=word)
                | Q(solution__icontains=word)
                | Q(tags_text__icontains=word)
            )
        # The search index finds the words unspaced and in any order (Chinese segmented).
        entries = entries.filter(or_indexed(found, "knowledge.entry", filters.q))
    if filters.department:
        entries = entries.filter(departments__id=filters.department)
    if filters.tag:
        entries = entries.filter(tags_text__icontains=f",{filters.tag},")
    return (
        entries.select_related("published_by")
        .prefetch_related("departments")
        .order_by("-helpful", "-views", "-published_at", "-id")
    )


def entry_page(*, user: Any, filters: EntryFilter, number: Any = 1) -> Page:
    return Paginator(entry_list(user=user, filters=filters), PAGE_SIZE).get_page(number)


def entry_get_for_viewer(*, user: Any, pk: Any) -> Entry:
    """The entry, or 404 when it does not exist or the viewer may not see it."""
    entry_id = inputs.an_id(pk, "entry", _("No such knowledge base entry."))
    entry = (
        visible_entries(user=user)
        .select_related("published_by")
        .prefetch_related("departments")
        .filter(pk=entry_id or 0)
        .first()
    )
    if entry is None:
        raise NotFoundError(_("No such knowledge base entry."))
    return entry


def has_marked(*, user: Any, entry: Entry) -> bool:
    person = roles_for(user).person
    return person is not None and HelpfulMark.objects.filter(entry=entry, person=person).exists()


def entry_for_source(source_type: str, source_id: int) -> Entry | None:
    return Entry.objects.filter(source_type=source_type, source_id=source_id).first()


def popular_tags(*, user: Any, limit: int = 30) -> list[str]:
    """The tags of the visible entries, most used first (for the list's tag filter)."""
    counts: dict[str, int] = {}
    for tags in visible_entries(user=user).values_list("tags", flat=True)[:500]:
        for tag in tags or []:
            counts[tag] = counts.get(tag, 0) + 1
    return [t for t, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:limit]


# --- drafts: what the source says ----------------------------------------------------------


@dataclass
class Draft:
    """An entry as its source would fill it, and what the entry borrows from the source."""

    source_type: str
    source_id: int
    source_label: str
    source_url: str
    title: str
    problem: str
    solution: str
    departments: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    confidential: bool = False
    scope_type: str = ""
    scope_id: int | None = None

    def initial(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "problem": self.problem,
            "solution": self.solution,
            "departments": list(self.departments),
            "tags": ", ".join(self.tags),
        }


def source_type_of(value: Any) -> str:
    return inputs.a_choice(value, "source_type", SourceType.values)


def source_id_of(value: Any) -> int:
    pk = inputs.an_id(value, "source_id", _("Give the id of the record to publish."))
    if pk is None:
        raise ApplicationError(_("Give the id of the record to publish."), field="source_id")
    return pk


def solving_departments(page: Any) -> set[int]:
    """The receiving departments of a request page that resolved it."""
    return {
        p.department_id
        for p in page.parts
        if p.is_receiving and (p.status == PartStatus.RESOLVED or p.resolution.strip())
    }


def may_publish_request(roles: Roles, page: Any) -> bool:
    """Whether ``roles`` may publish the request of ``page``: once confirmed, a person of a
    receiving department that resolved it."""
    if page.request.status not in PUBLISHABLE_REQUEST or roles.person is None:
        return False
    mine = roles.member_of | roles.head_of | roles.liaison_of
    return bool(solving_departments(page) & mine)


def _request_draft(roles: Roles, pk: int) -> Draft:
    page = request_page(roles=roles, pk=pk)  # 404 when the viewer may not see it
    request = page.request
    if request.status not in PUBLISHABLE_REQUEST:
        raise TransitionError(
            _("Only a request its initiator confirmed can be published to the knowledge base."),
            field="source_id",
        )
    if not may_publish_request(roles, page):
        raise PermissionDeniedError(
            _("Only people of a receiving department that resolved the request may publish it."),
            field="source_id",
        )
    solving = solving_departments(page)
    solutions = [p for p in page.parts if p.department_id in solving and p.resolution.strip()]
    if len(solutions) == 1:
        solution = solutions[0].resolution.strip()
    else:
        solution = "\n\n".join(f"{p.department.name}：{p.resolution.strip()}" for p in solutions)
    problem = "\n\n".join(t.strip() for t in (request.background, request.current_situation) if t.strip())
    return Draft(
        source_type=SourceType.REQUEST,
        source_id=request.pk,
        source_label=f"{request.number or ''} {request.title}".strip(),
        source_url=reverse("collaboration:detail", args=[request.pk]),
        title=request.title,
        problem=problem,
        solution=solution,
        departments=sorted(solving),
        tags=[str(request.get_type_display())],
        confidential=request.confidential,
        scope_type="collaboration.request",
        scope_id=request.pk,
    )


def _lesson_draft(roles: Roles, pk: int) -> Draft:
    lesson = (
        visible_lessons(roles=roles)
        .select_related("project", "project__initiating_department")
        .filter(pk=pk)
        .first()
    )
    if lesson is None:
        raise NotFoundError(_("No such lesson."), field="source_id")
    project = lesson.project
    person_id = roles.person.pk if roles.person else None
    if project is not None:
        allowed = person_id == project.lead_id or project.initiating_department_id in roles.head_of
    else:
        allowed = person_id is not None and person_id == lesson.author_id
    if not allowed:
        raise PermissionDeniedError(
            _("Only the project's lead or the head of its initiating department may publish its lessons."),
            field="source_id",
        )
    solution = "\n\n".join(t.strip() for t in (lesson.lesson, lesson.recommendation) if t.strip())
    return Draft(
        source_type=SourceType.LESSON,
        source_id=lesson.pk,
        source_label=f"{project.number} {project.name}" if project else lesson.title,
        source_url=reverse("projects:detail", args=[project.pk])
        if project
        else reverse("projects:knowledge_base"),
        title=lesson.title,
        problem=lesson.context.strip(),
        solution=solution,
        departments=sorted(lesson.departments.values_list("pk", flat=True)),
        tags=[str(t) for t in (lesson.tags or [])],
        confidential=bool(project and project.confidential),
        scope_type="projects.project" if project else "",
        scope_id=project.pk if project else None,
    )


def _meeting_draft(roles: Roles, pk: int) -> Draft:
    meeting = meeting_get_for_viewer(roles=roles, pk=pk)  # 404 when the viewer may not see it
    if meeting.status not in PUBLISHABLE_MEETING:
        raise TransitionError(
            _("Only the consensus of confirmed minutes can be published to the knowledge base."),
            field="source_id",
        )
    mine = roles.member_of | roles.head_of | roles.liaison_of
    if meeting.initiating_department_id not in mine:
        raise PermissionDeniedError(
            _("Only people of the meeting's initiating department may publish its consensus."),
            field="source_id",
        )
    points = [str(c).strip() for c in (meeting.consensus or []) if str(c).strip()]
    if not points:
        raise TransitionError(_("The minutes record no consensus to publish."), field="source_id")
    departments = [
        meeting.initiating_department_id,
        *meeting.departments.values_list("department_id", flat=True),
    ]
    problem = "\n\n".join(t.strip() for t in (meeting.background, meeting.goal) if t.strip())
    request = meeting.request
    return Draft(
        source_type=SourceType.MEETING,
        source_id=meeting.pk,
        source_label=f"{meeting.number or ''} {meeting.title}".strip(),
        source_url=reverse("meetings:detail", args=[meeting.pk]),
        title=meeting.title,
        problem=problem,
        solution="\n".join(f"{n}. {point}" for n, point in enumerate(points, 1)),
        departments=sorted(set(departments)),
        tags=[],
        # A meeting has no flag of its own; one about a confidential request is as confidential.
        confidential=bool(request and request.confidential),
        scope_type="meetings.meeting",
        scope_id=meeting.pk,
    )


DRAFTERS = {
    SourceType.REQUEST: _request_draft,
    SourceType.LESSON: _lesson_draft,
    SourceType.MEETING: _meeting_draft,
}


def entry_draft_from(source_type: Any, source_id: Any, user: Any) -> Draft:
    """The entry the source would make (title, problem, solution, departments, tags): 400
    for an unknown type or id, 404 when the user may not see the source, 409 when it is not
    yet resolved, 403 when the user may not publish it."""
    kind = source_type_of(source_type)
    pk = source_id_of(source_id)
    return DRAFTERS[SourceType(kind)](roles_for(user), pk)
