"""Reads of the close: the retrospective, the archive list of every project document, and
the knowledge base of lessons (searchable, Chinese included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from crossdesk.meetings.choices import MeetingStatus
from crossdesk.meetings.models import Meeting
from crossdesk.org.selectors import Roles

from ..models import Lesson, Project, Retrospective
from . import project_get_for_viewer, visible_projects
from ._urls import url

PAGE_SIZE = 20


def retrospective_of(project: Project) -> Retrospective | None:
    return Retrospective.objects.filter(project=project).select_related("finalised_by", "meeting").first()


def retrospective_lessons(retrospective: Retrospective | None) -> list[Lesson]:
    if retrospective is None:
        return []
    return list(retrospective.lessons.prefetch_related("departments").order_by("id"))


# --- the archive list ----------------------------------------------------------------------


def archive_items(project: Project) -> list[dict]:
    """Every document of the project, grouped by kind, with links (SPEC §5 [004]):
    charter, plan versions, meetings and their minutes, weekly progress lists, change
    requests, deliverables with each evidence file, the retrospective. A fixed number of
    queries, whatever the project's size."""
    items: list[dict] = []

    def add(kind: str, title, link: str, ref: str | None = "", day=None, note="") -> None:
        if isinstance(day, datetime):
            day = day.date()
        item = {"kind": kind, "title": str(title), "ref": ref, "url": link}
        items.append({**item, "date": day.isoformat() if day else None, "note": str(note)})

    pk = project.pk
    charter = _("Project charter: %(n)s") % {"n": project.name}
    add("charter", charter, url("projects:detail", pk), project.number, project.created_at)
    for version in project.plan_versions.order_by("number"):
        title = _("Plan version %(n)d") % {"n": version.number}
        link = url("projects:plan_version", pk, version.number)
        add("plan_version", title, link, f"v{version.number}", version.created_at, version.reason)
    meeting_ids = set(
        project.communication_occurrences.exclude(meeting=None).values_list("meeting_id", flat=True)
    )
    meeting_ids |= set(project.coordinations.exclude(meeting=None).values_list("meeting_id", flat=True))
    if project.kickoff_meeting_id:
        meeting_ids.add(project.kickoff_meeting_id)
    retro = retrospective_of(project)
    if retro is not None and retro.meeting_id:
        meeting_ids.add(retro.meeting_id)
    meetings = (
        Meeting.objects.filter(pk__in=meeting_ids)
        .exclude(status=MeetingStatus.DRAFT)
        .order_by("starts_at", "id")
    )
    for meeting in meetings:
        number, starts = meeting.number, meeting.starts_at
        link = url("meetings:detail", meeting.pk)
        add("meeting", meeting.title, link, number, starts, meeting.get_status_display())
        if meeting.status not in (MeetingStatus.CANCELLED, MeetingStatus.NOTIFIED):
            title = _("Minutes: %(t)s") % {"t": meeting.title}
            add("minutes", title, url("meetings:minutes", meeting.pk), number, starts)
    for report in project.weekly_reports.order_by("week_start"):
        title = _("Weekly progress list, week of %(d)s") % {"d": report.week_start.isoformat()}
        add("weekly_report", title, url("projects:weekly_report", pk, report.pk), day=report.week_start)
    for change in project.change_requests.order_by("number"):
        link, ref = url("projects:change_detail", pk, change.pk), f"CR-{change.number:02d}"
        add("change_request", change.title, link, ref, change.created_at, change.get_status_display())
    deliverables = project.deliverables.prefetch_related("evidence").order_by("id")
    for deliverable in deliverables:
        link = url("projects:deliverable_detail", pk, deliverable.pk)
        add("deliverable", deliverable.name, link, note=deliverable.get_status_display())
        for evidence in deliverable.evidence.all():
            link, ref = url("projects:evidence", pk, evidence.pk), _("round %(r)d") % {"r": evidence.round}
            add("evidence", evidence.name, link, ref, evidence.uploaded_at)
    if retro is not None:
        link, status = url("projects:retrospective", pk), retro.get_status_display()
        add("retrospective", _("Retrospective"), link, day=retro.finalised_at, note=status)
    return items


@dataclass
class ArchivePage:
    project: Project
    items: list[dict]
    stored: bool  # the list written when the project was archived


def archive_page(*, roles: Roles, project_id: int) -> ArchivePage:
    """The archive list: as written at archiving when there is one, else as of now."""
    project = project_get_for_viewer(roles=roles, pk=project_id)
    stored = getattr(project, "archive_list", None) if project.archived_at else None
    if stored is not None:
        return ArchivePage(project, stored.items, True)
    return ArchivePage(project, archive_items(project), False)


# --- the knowledge base ----------------------------------------------------------------------


def visible_lessons(*, roles: Roles) -> QuerySet[Lesson]:
    """Published lessons: everyone sees those of non-confidential projects (and those not
    tied to a project); a confidential project's only those who may see the project."""
    lessons = Lesson.objects.filter(published_at__isnull=False)
    if roles.is_admin:
        return lessons
    return lessons.filter(
        Q(project__isnull=True)
        | Q(project__confidential=False)
        | Q(project__in=visible_projects(roles=roles).values("pk"))
    )


def lesson_search(*, roles: Roles, q: str = "", department: int | None = None, page: int = 1) -> Page:
    """Search the knowledge base: every word of ``q`` in the title, lesson, situation,
    recommendation or tags (icontains: Chinese works on SQLite and PostgreSQL alike)."""
    lessons = visible_lessons(roles=roles)
    for word in (q or "").split()[:10]:
        lessons = lessons.filter(
            Q(title__icontains=word)
            | Q(lesson__icontains=word)
            | Q(context__icontains=word)
            | Q(recommendation__icontains=word)
            | Q(tags_text__icontains=word)
        )
    if department:
        lessons = lessons.filter(departments__id=department)
    lessons = (
        lessons.select_related("project", "author")
        .prefetch_related("departments")
        .order_by("-published_at", "-id")
        .distinct()
    )
    paginator = Paginator(lessons, PAGE_SIZE)
    return paginator.get_page(page)
