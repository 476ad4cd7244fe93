"""Close pages: the retrospective form, the printable archive list, the knowledge base."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _

from crossdesk.core.records.actions import Act, Page
from crossdesk.org.models import Department
from crossdesk.org.selectors import roles_for

from .. import permissions
from ..choices import ProjectStatus, RetrospectiveStatus
from ..forms import RetrospectiveForm, sources
from ..selectors import close as selectors
from ..selectors import project_get_for_viewer
from ..services import close as services

RETROSPECTIVE_FIELDS = ("version", "went_well", "to_improve", "summary")


def _retro_context(request, pk: int) -> dict:
    """The retrospective so far, its lessons as the form's rows, what they pick from."""
    roles = roles_for(request.user)
    project = project_get_for_viewer(roles=roles, pk=pk)
    retro = selectors.retrospective_of(project)
    lessons = selectors.retrospective_lessons(retro)
    rows = [
        {
            "id": lesson.pk,
            "title": lesson.title,
            "body": lesson.lesson,
            "tags": ", ".join(lesson.tags),
            "departments": [d.pk for d in lesson.departments.all()],
        }
        for lesson in lessons
    ]
    context = {"roles": roles, "project": project, "retro": retro, "lessons": lessons, "rows": rows}
    return {**context, **sources(project.departments.select_related("department"))}


def _retrospective(request, pk: int, bound=None) -> dict:
    """What went well, what to improve, the lessons; saved as a draft or made final."""
    context = bound.form.context if bound else _retro_context(request, pk)
    project, retro = context["project"], context["retro"]
    initial = {name: getattr(retro, name) for name in RETROSPECTIVE_FIELDS} if retro else None
    form = bound.form if bound else RetrospectiveForm(initial=initial, context=context)
    may_write = (
        retro is not None
        and retro.status == RetrospectiveStatus.DRAFT
        and project.status == ProjectStatus.CLOSING
        and permissions.is_manager(context["roles"], project)
    )
    context = {"project": project, "tab": "close", "retro": retro, "lessons": context["lessons"]}
    return {**context, "may_write": may_write, "form": form, "lesson_rows": form.rows}


def _on_retrospective(service) -> Act:
    return Act(RetrospectiveForm, service, "version", data=True, project_id="pk")


RETROSPECTIVE = Page(
    "projects/close/retrospective.html",
    _retrospective,
    {
        "save": _on_retrospective(services.retrospective_save),
        "submit": _on_retrospective(services.retrospective_submit),
    },
    {
        "save": _("Retrospective saved."),
        "submit": _("Retrospective final: its lessons are in the knowledge base and the project is closed."),
    },
    then="projects:retrospective",
    context=_retro_context,
    default="save",
)


def _archive_list(request, pk: int) -> dict:
    page = selectors.archive_page(roles=roles_for(request.user), project_id=pk)
    return {"project": page.project, "tab": "archive", "page": page}


def _knowledge_base(request) -> dict:
    roles = roles_for(request.user)
    q = request.GET.get("q", "").strip()
    department = request.GET.get("department") or None
    try:
        department = int(department) if department else None
        page_number = int(request.GET.get("page") or 1)
    except ValueError:
        department, page_number = None, 1
    page = selectors.lesson_search(roles=roles, q=q, department=department, page=page_number)
    departments = Department.objects.filter(is_active=True).order_by("sort_order", "code")
    return {"page": page, "q": q, "department": department, "departments": departments}


urlpatterns = [
    path(
        "knowledge-base/",
        Page("projects/close/knowledge_base.html", _knowledge_base).view(),
        name="knowledge_base",
    ),
    path("<int:pk>/retrospective/", RETROSPECTIVE.view("GET", "POST"), name="retrospective"),
    path("<int:pk>/archive/", Page("projects/close/archive.html", _archive_list).view(), name="archive"),
]
