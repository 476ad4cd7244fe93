"""Close: the retrospective (复盘), lessons into the knowledge base, the archive list
(SPEC §5 [003][004], §6).

Moving the project to closing opens its retrospective and starts the
``project.retrospective`` clock (5 working days on the calendar; the sweep reminds and
escalates). The managers write what went well, what to improve and the lessons; each
lesson becomes a knowledge-base entry (title, lesson, tags, project, departments) when
the retrospective is submitted, and submitting completes closing → closed through the
charter's ``project_close``. Archiving (the charter's ``project_archive``) writes the
archive list of every document; from closing on the project is read-only (409).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.audit.services import audited_update
from crossdesk.core.errors import ApplicationError, TransitionError
from crossdesk.core.records import Actor, Machine, check_version, inputs, locked
from crossdesk.deadlines import services as deadlines
from crossdesk.deadlines.keys import RuleKey
from crossdesk.org.models import Person

from ..choices import ProjectEventKind, ProjectStatus, RetrospectiveStatus
from ..models import ArchiveList, Lesson, Project, ProjectEvent, Retrospective
from ..selectors.close import archive_items
from . import charter
from ._common import context, department_of, require_manager, tell_everyone

RETROSPECTIVE_RULE = RuleKey.PROJECT_RETROSPECTIVE
RETRO_FIELDS = {"summary", "went_well", "to_improve", "lessons"}
MAX_LESSONS = 30
MAX_TAGS = 10
RETROSPECTIVES = Machine(
    {RetrospectiveStatus.DRAFT: {RetrospectiveStatus.FINAL}},
    RetrospectiveStatus,
    refusal=gettext_lazy("The retrospective is already final."),
)


def retrospective_open(project: Project, *, author: Person | None) -> Retrospective:
    """The project entered closing: its retrospective (a draft) is due within 5 working
    days. Called by the status hook in the closing transaction; a second call keeps the
    running clock."""
    retrospective, _created = Retrospective.objects.get_or_create(project=project)
    if deadlines.clocks_live_for(subject=retrospective, key=RETROSPECTIVE_RULE):
        return retrospective
    clock = deadlines.clock_start(
        subject=retrospective,
        key=RETROSPECTIVE_RULE,
        owner=project.lead,
        department=project.initiating_department,
        label=_("Retrospective of %(p)s") % {"p": project.name},
        started_at=project.closing_since or timezone.now(),
    )
    retrospective.due_at = clock.due_at
    retrospective.save(update_fields=["due_at", "updated_at"])
    due = _("Retrospective due by %(due)s") % {
        "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")
    }
    data = {"retrospective": retrospective.pk, "due": clock.due_at.isoformat()}
    ProjectEvent.add(project, ProjectEventKind.RETROSPECTIVE, author=author, content=due, data=data)
    return retrospective


def retrospective_suspend(project: Project) -> None:
    """The project went back to running: the retrospective is no longer due (its clock stops)."""
    retrospective = Retrospective.objects.filter(project=project).first()
    if retrospective is not None:
        deadlines.clocks_stop_for(subject=retrospective, key=RETROSPECTIVE_RULE, met=False)


def _clean_lessons(project: Project, rows) -> list[dict]:
    if rows is None:
        return []
    if not isinstance(rows, list | tuple):
        raise ApplicationError(_("List the lessons."), field="lessons")
    if len(rows) > MAX_LESSONS:
        raise ApplicationError(_("At most %(n)d lessons.") % {"n": MAX_LESSONS}, field="lessons")
    participating = set(project.departments.values_list("department_id", flat=True))
    cleaned = []
    for n, row in enumerate(rows):
        where = f"lessons[{n}]"
        if not isinstance(row, dict):
            raise ApplicationError(_("Each lesson is an object."), field=where)
        title = inputs.text(row.get("title"), "title", 200)
        body = inputs.text(row.get("body"), "body", 5000)
        if not title and not body:
            continue  # an empty row of the form
        if not title:
            raise ApplicationError(_("Give the lesson a title."), field=f"{where}.title")
        if not body:
            raise ApplicationError(_("Write the lesson."), field=f"{where}.body")
        tags = row.get("tags") or []
        if isinstance(tags, str):
            tags = tags.replace("，", ",").replace("、", ",").split(",")
        if not isinstance(tags, list | tuple):
            raise ApplicationError(_("List the tags."), field=f"{where}.tags")
        tags = list(dict.fromkeys(str(t).strip()[:30] for t in tags if str(t).strip()))
        if len(tags) > MAX_TAGS:
            raise ApplicationError(_("At most %(n)d tags.") % {"n": MAX_TAGS}, field=f"{where}.tags")
        departments = []
        for value in row.get("departments") or []:
            department = department_of(value, f"{where}.departments")
            if department.pk not in participating:
                raise ApplicationError(
                    _("%(d)s does not take part in the project.") % {"d": department.name},
                    field=f"{where}.departments",
                )
            departments.append(department.pk)
        cleaned.append(
            {
                "id": inputs.an_int(row.get("id"), f"{where}.id", minimum=1),
                "title": title,
                "body": body,
                "tags": tags,
                "recommendation": inputs.text(row.get("recommendation"), "recommendation", 2000),
                "departments": sorted(set(departments)),
            }
        )
    return cleaned


def _save_lessons(retrospective: Retrospective, rows: list[dict], author: Person) -> None:
    existing = {lesson.pk: lesson for lesson in retrospective.lessons.all()}
    keep = set()
    for row in rows:
        lesson = existing.get(row["id"]) if row["id"] else None
        if row["id"] and lesson is None:
            raise ApplicationError(_("No such lesson."), field="lessons")
        lesson = lesson or Lesson(retrospective=retrospective, project=retrospective.project, author=author)
        lesson.title, lesson.lesson, lesson.recommendation = row["title"], row["body"], row["recommendation"]
        lesson.tags, lesson.tags_text = row["tags"], " ".join(row["tags"])
        if lesson.pk:
            lesson.version += 1
        lesson.save()
        lesson.departments.set(row["departments"])
        keep.add(lesson.pk)
    gone = [pk for pk in existing if pk not in keep]
    if gone:
        Lesson.objects.filter(pk__in=gone, published_at__isnull=True).delete()


def _locked_retrospective(actor: Actor, project_id: int, data, version: int | None):
    """Lock the project and its draft retrospective, then apply the posted fields."""
    inputs.known(data, RETRO_FIELDS)
    project, roles, person = context(actor, project_id)
    require_manager(roles, project)
    if project.status != ProjectStatus.CLOSING:
        if project.status in (ProjectStatus.CLOSED, ProjectStatus.ARCHIVED):
            raise TransitionError(_("The retrospective is final and the project read-only."))
        raise TransitionError(_("The retrospective is written once the project moves to closing."))
    pk = Retrospective.objects.filter(project=project).values_list("pk", flat=True).first()
    if pk is None:  # closing before this hook existed: open it now
        pk = retrospective_open(project, author=person).pk
    retrospective = locked(Retrospective, pk)
    check_version(retrospective, version)
    RETROSPECTIVES.check(retrospective.status, RetrospectiveStatus.FINAL)
    for name in ("summary", "went_well", "to_improve"):
        if name in data:
            setattr(retrospective, name, inputs.text(data.get(name), name, 10000))
    if "lessons" in data:
        _save_lessons(retrospective, _clean_lessons(project, data["lessons"]), person)
    return project, person, retrospective


@transaction.atomic
def retrospective_save(
    *, actor: Actor, project_id: int, data: dict, version: int | None = None
) -> Retrospective:
    """Save the retrospective as a draft (what went well, what to improve, the lessons)."""
    _project, _person, retrospective = _locked_retrospective(actor, project_id, data, version)
    retrospective.version += 1
    retrospective.save()
    return retrospective


@transaction.atomic
def retrospective_submit(
    *, actor: Actor, project_id: int, data: dict | None = None, version: int | None = None
) -> Retrospective:
    """Make the retrospective final: its lessons go into the knowledge base, its clock
    stops (met or late), and the project closes (closing → closed, read-only)."""
    project, person, retrospective = _locked_retrospective(actor, project_id, data or {}, version)
    if not retrospective.went_well.strip():
        raise ApplicationError(_("Say what went well."), field="went_well")
    if not retrospective.to_improve.strip():
        raise ApplicationError(_("Say what to improve."), field="to_improve")
    lessons = list(retrospective.lessons.all())
    if not lessons:
        raise ApplicationError(_("Write at least one lesson for the knowledge base."), field="lessons")
    now = timezone.now()
    late = retrospective.due_at is not None and now > retrospective.due_at
    deadlines.clocks_stop_for(subject=retrospective, key=RETROSPECTIVE_RULE, met=True, actor=actor)
    RETROSPECTIVES.move(retrospective, RetrospectiveStatus.FINAL)
    retrospective.finalised_at, retrospective.finalised_by = now, person
    retrospective.version += 1
    retrospective.save()
    audited_update(Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons]), published_at=now)
    final = _("Retrospective final") + (" · " + _("after its deadline") if late else "")
    data = {"retrospective": retrospective.pk, "late": late}
    ProjectEvent.add(project, ProjectEventKind.RETROSPECTIVE, author=person, content=final, data=data)
    added = _("%(n)d lessons added to the knowledge base") % {"n": len(lessons)}
    data = {"lessons": [lesson.pk for lesson in lessons]}
    ProjectEvent.add(project, ProjectEventKind.LESSON, author=person, content=added, data=data)
    charter.project_close(actor=actor, project_id=project.pk)
    title = _("Project closed: %(p)s") % {"p": project.name}
    body = _("The retrospective is final; its lessons are in the knowledge base.")
    link = {"url": retrospective.get_absolute_url(), "subject": retrospective}
    tell_everyone(project, "closed", title, body, actor=person, **link)
    return retrospective


def archive_list_write(project: Project, *, author: Person | None) -> ArchiveList:
    """The archive list of every document, kept as it was when the project was archived
    (called by the status hook in the archiving transaction; written once)."""
    existing = ArchiveList.objects.filter(project=project).first()
    if existing is not None:
        return existing
    row = ArchiveList.objects.create(
        project=project,
        items=archive_items(project),
        created_at=timezone.now(),
        created_by=author or project.lead,
    )
    until = project.retain_until.isoformat() if project.retain_until else "—"
    listed = _("Archive list: %(n)d documents, kept until %(d)s") % {"n": len(row.items), "d": until}
    data = {"archive_list": row.pk, "documents": len(row.items)}
    ProjectEvent.add(project, ProjectEventKind.ARCHIVE, author=author, content=listed, data=data)
    return row
