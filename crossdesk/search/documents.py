"""What text each record type has: one builder per searchable type, and which changes of
which rows rebuild which record's document.

The record apps know nothing of search (docs/architecture.md: ``search`` is a read-only
view over them); everything search reads of them is their public models and selectors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Model, Prefetch, QuerySet
from django.urls import reverse

from crossdesk.collaboration.choices import PartRole, RequestStatus
from crossdesk.collaboration.models import Attachment, Request, RequestPart, TimelineEntry
from crossdesk.knowledge.models import Entry
from crossdesk.meetings.models import ActionItem, Meeting, MeetingDepartment, MeetingMaterial
from crossdesk.org.models import Department, Membership, Person
from crossdesk.org.selectors import roles_for
from crossdesk.projects import models as pm
from crossdesk.projects.selectors.close import visible_lessons

from .models import Kind

# Requests whose resolution is written: the similar cases shown to someone typing a new one.
RESOLVED = (RequestStatus.RESOLVED, RequestStatus.CONFIRMED, RequestStatus.SIGNED, RequestStatus.ARCHIVED)


def texts(value: Any) -> Iterator[str]:
    """Every string inside a JSON value (agenda items, minutes points, views), in order."""
    if isinstance(value, str):
        if value.strip():
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts(item)


def joined(*parts: Any) -> str:
    return "\n".join(text for part in parts for text in texts(part))


def name_of(person: Any) -> str:
    return person.name if person is not None else ""


def department_ids(*ids: Iterable[int | None]) -> str:
    found = sorted({pk for group in ids for pk in group if pk})
    return f"|{'|'.join(map(str, found))}|" if found else ""


# --- builders: the document of one record, or None when it is not searched ----------------


def request_document(request: Request) -> dict | None:
    # Drafts are their author's notes, not in any list (the request list leaves them out).
    if request.status == RequestStatus.DRAFT:
        return None
    parts = list(request.parts.all())
    receiving = [p for p in parts if p.role == PartRole.RECEIVING]
    resolutions = [p.resolution for p in receiving if p.resolution]
    extra: dict[str, Any] = {}
    if request.status in RESOLVED and resolutions:
        taken = None
        if request.submitted_at and request.resolved_at:
            taken = round((request.resolved_at - request.submitted_at).total_seconds() / 3600, 1)
        extra = {
            "resolution": "\n".join(resolutions),
            "solved_by": [p.department.name for p in receiving if p.resolution],
            "hours_taken": taken,
            "rating": request.satisfaction,
        }
    return {
        "kind": Kind.REQUEST,
        "number": request.number or "",
        "title": request.title,
        "body": joined(
            request.initiating_department.name,
            name_of(request.initiator),
            request.type_label,
            request.background,
            request.current_situation,
            request.expected_outcome,
            request.resources_people,
            request.resources_budget,
            request.resources_material,
            request.related_matter,
            request.remarks,
            request.satisfaction_comment,
            request.cancel_reason,
            [
                (
                    p.department.name,
                    name_of(p.liaison),
                    name_of(p.responsible),
                    p.resolution,
                    p.decline_reason,
                    p.decline_alternative,
                )
                for p in parts
            ],
            [(e.content, e.participants) for e in request.timeline.all()],
            [a.name for a in request.attachments.all()],
        ),
        "url": request.get_absolute_url(),
        "departments": department_ids([request.initiating_department_id], [p.department_id for p in parts]),
        "status": request.status,
        "date": request.submitted_at or request.created_at,
        "extra": extra,
    }


def action_item_texts(item: ActionItem) -> tuple:
    return (item.action, item.support_needed, item.progress_note, item.result, item.delay_reason)


def meeting_document(meeting: Meeting) -> dict:
    departments = list(meeting.departments.all())
    return {
        "kind": Kind.MEETING,
        "number": meeting.number or "",
        "title": meeting.title,
        "body": joined(
            meeting.initiating_department.name,
            name_of(meeting.initiator),
            name_of(meeting.recorder),
            meeting.place,
            meeting.background,
            meeting.goal,
            meeting.agenda,
            meeting.discussion,
            meeting.disagreements,
            meeting.consensus,
            meeting.related_matter,
            meeting.cancel_reason,
            [(d.department.name, name_of(d.representative)) for d in departments],
            [action_item_texts(item) for item in meeting.action_items.all()],
            [m.name for m in meeting.materials.all()],
        ),
        "url": meeting.get_absolute_url(),
        "departments": department_ids(
            [meeting.initiating_department_id], [d.department_id for d in departments]
        ),
        "status": meeting.status,
        "date": meeting.starts_at or meeting.created_at,
    }


def action_item_document(item: ActionItem) -> dict:
    owner = item.meeting or item.request
    return {
        "kind": Kind.ACTION_ITEM,
        "number": getattr(owner, "number", "") or "",
        "title": item.action[:300],
        "body": joined(
            action_item_texts(item)[1:],
            name_of(item.owner),
            item.department.name if item.department else "",
            getattr(owner, "title", ""),
        ),
        "url": item.get_absolute_url(),
        "departments": department_ids([item.department_id, item.support_department_id]),
        "status": item.status,
        "date": item.due_at or item.created_at,
    }


def project_document(project: pm.Project) -> dict:
    departments = list(project.departments.all())
    tasks = list(project.tasks.all())
    return {
        "kind": Kind.PROJECT,
        "number": project.number,
        "title": project.name,
        "body": joined(
            project.initiating_department.name,
            name_of(project.lead),
            project.background,
            project.core_goal,
            project.expected_outcomes,
            [(d.department.name, d.duties) for d in departments],
            [(g.description, g.metric) for g in project.sub_goals.all()],
            [g.metric for g in project.goal_metrics.all()],
            [(t.code, t.title, t.description, t.deliverable, t.delivery_standard) for t in tasks],
            [(p.description, p.support_needed, p.resolution) for t in tasks for p in t.problems.all()],
            [(c.title, c.description, c.reason, c.impact) for c in project.change_requests.all()],
            [(d.name, d.description) for d in project.deliverables.all()],
            [(r.summary, r.went_well, r.to_improve) for r in [getattr(project, "retrospective", None)] if r],
            [(x.title, x.context, x.lesson, x.recommendation) for x in project.lessons.all()],
        ),
        "url": project.get_absolute_url(),
        "departments": department_ids(
            [project.initiating_department_id], [d.department_id for d in departments]
        ),
        "status": project.status,
        "date": project.created_at,
    }


def lesson_document(lesson: pm.Lesson) -> dict | None:
    if lesson.published_at is None:
        return None
    return {
        "kind": Kind.LESSON,
        "number": lesson.project.number if lesson.project else "",
        "title": lesson.title,
        "body": joined(lesson.context, lesson.lesson, lesson.recommendation, lesson.category, lesson.tags),
        # The knowledge base has no page per entry: its list, searched for this one.
        "url": f"{reverse('projects:knowledge_base')}?{urlencode({'q': lesson.title})}",
        "departments": department_ids([d.pk for d in lesson.departments.all()]),
        "status": "",
        "date": lesson.published_at,
        "extra": {
            "resolution": lesson.recommendation or lesson.lesson,
            "solved_by": [d.name for d in lesson.departments.all()],
            "hours_taken": None,
            "rating": None,
        },
    }


def knowledge_document(entry: Entry) -> dict:
    departments = list(entry.departments.all())
    return {
        "kind": Kind.KNOWLEDGE,
        "number": "",
        "title": entry.title,
        "body": joined(
            entry.problem, entry.solution, entry.tags, entry.source_label, [d.name for d in departments]
        ),
        "url": reverse("knowledge:detail", args=[entry.pk]),
        "departments": department_ids([d.pk for d in departments]),
        "status": "",
        "date": entry.published_at,
        "extra": {
            "resolution": entry.solution,
            "solved_by": [d.name for d in departments],
            "hours_taken": None,
            "rating": None,
        },
    }


def person_document(person: Person) -> dict:
    departments = list(person.departments.all())
    return {
        "kind": Kind.PERSON,
        "number": person.employee_no,
        "title": person.name,
        "body": joined(person.title, [d.name for d in departments], person.email),
        "url": reverse("org:person", args=[person.pk]),
        "departments": department_ids([d.pk for d in departments]),
        "status": "active" if person.is_active else "inactive",
        "date": person.created_at,
    }


def department_document(department: Department) -> dict:
    return {
        "kind": Kind.DEPARTMENT,
        "number": department.code,
        "title": department.name,
        "body": joined(department.parent.name if department.parent else "", name_of(department.head)),
        "url": reverse("org:department", args=[department.code]),
        "departments": department_ids([department.pk]),
        "status": "active" if department.is_active else "inactive",
        "date": department.created_at,
    }


# --- the searchable types ------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One searchable record type: its rows (loaded with what the builder reads), the
    builder, and the rows a person may see (None: everyone signed in, as the org pages)."""

    object_type: str
    rows: Callable[[], QuerySet]
    build: Callable[[Any], dict | None]
    visible: Callable[[Any], QuerySet] | None = None


def _requests() -> QuerySet:
    return Request.objects.select_related("initiating_department", "initiator").prefetch_related(
        Prefetch(
            "parts", queryset=RequestPart.objects.select_related("department", "liaison", "responsible")
        ),
        Prefetch(
            "timeline", queryset=TimelineEntry.objects.only("id", "request_id", "content", "participants")
        ),
        Prefetch("attachments", queryset=Attachment.objects.only("id", "request_id", "name")),
    )


def _meetings() -> QuerySet:
    return Meeting.objects.select_related("initiating_department", "initiator", "recorder").prefetch_related(
        Prefetch(
            "departments", queryset=MeetingDepartment.objects.select_related("department", "representative")
        ),
        "action_items",
        Prefetch("materials", queryset=MeetingMaterial.objects.only("id", "meeting_id", "name")),
    )


def _action_items() -> QuerySet:
    return ActionItem.objects.select_related("meeting", "request", "owner", "department")


def _projects() -> QuerySet:
    return pm.Project.objects.select_related(
        "initiating_department", "lead", "retrospective"
    ).prefetch_related(
        Prefetch("departments", queryset=pm.ProjectDepartment.objects.select_related("department")),
        "sub_goals",
        "goal_metrics",
        "tasks__problems",
        "change_requests",
        "deliverables",
        "lessons",
    )


def _lessons() -> QuerySet:
    return pm.Lesson.objects.select_related("project").prefetch_related("departments")


SOURCES: dict[str, Source] = {
    source.object_type: source
    for source in (
        Source("collaboration.request", _requests, request_document),
        Source("meetings.meeting", _meetings, meeting_document),
        Source("meetings.actionitem", _action_items, action_item_document),
        Source("projects.project", _projects, project_document),
        # Published lessons as the knowledge base page shows them.
        Source(
            "projects.lesson", _lessons, lesson_document, lambda user: visible_lessons(roles=roles_for(user))
        ),
        # Visible as the knowledge base list shows it (registered by the knowledge app).
        Source("knowledge.entry", lambda: Entry.objects.prefetch_related("departments"), knowledge_document),
        Source("org.person", lambda: Person.objects.prefetch_related("departments"), person_document),
        Source(
            "org.department", lambda: Department.objects.select_related("parent", "head"), department_document
        ),
    )
}


def object_type_of(model: type[Model] | Model) -> str:
    return model._meta.label_lower


# A change to one of these rows changes the document of the records returned.
Targets = Callable[[Any], Iterable[tuple[str, Any]]]


def _one(object_type: str, attribute: str) -> Targets:
    return lambda row: [(object_type, getattr(row, attribute))]


def _action_item_targets(item: ActionItem) -> list[tuple[str, Any]]:
    return [("meetings.actionitem", item.pk), ("meetings.meeting", item.meeting_id)]


def _task_problem_targets(problem: pm.TaskProblem) -> list[tuple[str, Any]]:
    return [
        (
            "projects.project",
            pm.Task.objects.filter(pk=problem.task_id).values_list("project_id", flat=True).first(),
        )
    ]


def _lesson_targets(lesson: pm.Lesson) -> list[tuple[str, Any]]:
    return [("projects.lesson", lesson.pk), ("projects.project", lesson.project_id)]


def _person_targets(person: Person) -> list[tuple[str, Any]]:
    return [("org.person", person.pk)]


DEPENDENTS: dict[type[Model], Targets] = {
    Request: _one("collaboration.request", "pk"),
    RequestPart: _one("collaboration.request", "request_id"),
    TimelineEntry: _one("collaboration.request", "request_id"),
    Attachment: _one("collaboration.request", "request_id"),
    Meeting: _one("meetings.meeting", "pk"),
    MeetingDepartment: _one("meetings.meeting", "meeting_id"),
    MeetingMaterial: _one("meetings.meeting", "meeting_id"),
    ActionItem: _action_item_targets,
    pm.Project: _one("projects.project", "pk"),
    pm.ProjectDepartment: _one("projects.project", "project_id"),
    pm.SubGoal: _one("projects.project", "project_id"),
    pm.GoalMetric: _one("projects.project", "project_id"),
    pm.Task: _one("projects.project", "project_id"),
    pm.TaskProblem: _task_problem_targets,
    pm.ChangeRequest: _one("projects.project", "project_id"),
    pm.Deliverable: _one("projects.project", "project_id"),
    pm.Retrospective: _one("projects.project", "project_id"),
    pm.Lesson: _lesson_targets,
    Entry: _one("knowledge.entry", "pk"),
    Person: _person_targets,
    Membership: _one("org.person", "person_id"),
    Department: _one("org.department", "pk"),
}


# Many-to-many rows are set after their record is saved: their change rebuilds it too.
MANY_TO_MANY: dict[type[Model], str] = {
    Entry.departments.through: "knowledge.entry",
    pm.Lesson.departments.through: "projects.lesson",
}


def organisation_words() -> list[str]:
    """The organisation's own words for jieba: department, person and project names."""
    return [
        *Department.objects.values_list("name", flat=True),
        *Person.objects.values_list("name", flat=True),
        *pm.Project.objects.values_list("name", flat=True),
    ]
