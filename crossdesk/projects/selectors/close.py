"""Reads of the close: the retrospective, the archive list of every project document, and
the knowledge base of lessons (searchable, Chinese included)."""

from __future__ import annotations

from dataclasses import dataclass

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

    def add(kind: str, title: str, link: str, *, ref: str = "", day=None, note: str = "") -> None:
        items.append(
            {
                "kind": kind,
                "title": str(title),
                "ref": ref,
                "url": link,
                "date": day.isoformat() if day else None,
                "note": note,
            }
        )

    add("charter", _("Project charter: %(n)s") % {"n": project.name}, url("projects:detail", project.pk), ref=project.number,
        day=project.created_at.date() if project.created_at else None)  # fmt: skip
    for version in project.plan_versions.order_by("number"):
        add("plan_version", _("Plan version %(n)d") % {"n": version.number},
            url("projects:plan_version", project.pk, version.number), ref=f"v{version.number}",
            day=version.created_at.date(), note=version.reason)  # fmt: skip
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
        add("meeting", meeting.title, url("meetings:detail", meeting.pk), ref=meeting.number,
            day=meeting.starts_at.date() if meeting.starts_at else None, note=meeting.get_status_display())  # fmt: skip
        if meeting.status not in (MeetingStatus.CANCELLED, MeetingStatus.NOTIFIED):
            add("minutes", _("Minutes: %(t)s") % {"t": meeting.title}, url("meetings:minutes", meeting.pk),
                ref=meeting.number, day=meeting.starts_at.date() if meeting.starts_at else None)  # fmt: skip
    for report in project.weekly_reports.order_by("week_start"):
        add("weekly_report", _("Weekly progress list, week of %(d)s") % {"d": report.week_start.isoformat()},
            url("projects:weekly_report", project.pk, report.pk), day=report.week_start)  # fmt: skip
    for change in project.change_requests.order_by("number"):
        add("change_request", change.title, url("projects:change_detail", project.pk, change.pk),
            ref=f"CR-{change.number:02d}", day=change.created_at.date(), note=change.get_status_display())  # fmt: skip
    deliverables = project.deliverables.prefetch_related("evidence").order_by("id")
    for deliverable in deliverables:
        add("deliverable", deliverable.name, url("projects:deliverable_detail", project.pk, deliverable.pk),
            note=deliverable.get_status_display())  # fmt: skip
        for evidence in deliverable.evidence.all():
            add("evidence", evidence.name, url("projects:evidence", project.pk, evidence.pk),
                ref=_("round %(r)d") % {"r": evidence.round}, day=evidence.uploaded_at.date())  # fmt: skip
    if retro is not None:
        add("retrospective", _("Retrospective"), url("projects:retrospective", project.pk),
            day=retro.finalised_at.date() if retro.finalised_at else None, note=retro.get_status_display())  # fmt: skip
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
