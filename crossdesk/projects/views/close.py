"""Close pages: the retrospective form, the printable archive list, the knowledge base."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crossdesk.core.errors import ApplicationError
from crossdesk.org.models import Department
from crossdesk.org.selectors import roles_for

from .. import permissions
from ..choices import ProjectStatus, RetrospectiveStatus
from ..forms import LessonForm, RetrospectiveForm, rows, show_row_error
from ..selectors import close as selectors
from ..selectors import project_get_for_viewer
from ..services import close as services
from ._common import area_tabs, html_errors

EMPTY_LESSON_ROWS = 2
MAX_LESSON_ROWS = 50


@require_http_methods(["GET", "POST"])
@login_required
@html_errors
def retrospective(request, pk: int):
    """What went well, what to improve, the lessons; saved as a draft or made final. A refusal
    shows the form again as typed, the message next to its field (a lesson's next to its row)."""
    roles = roles_for(request.user)
    project = project_get_for_viewer(roles=roles, pk=pk)
    retro = selectors.retrospective_of(project)
    lessons = selectors.retrospective_lessons(retro)
    parts = list(project.departments.select_related("department"))
    data = request.POST if request.method == "POST" else None
    initial = None
    if retro is not None:
        initial = {name: getattr(retro, name) for name in ("version", "went_well", "to_improve", "summary")}
    form = RetrospectiveForm(data, initial=initial)
    written = [
        {
            "id": lesson.pk,
            "title": lesson.title,
            "body": lesson.lesson,
            "tags": ", ".join(lesson.tags),
            "departments": [d.pk for d in lesson.departments.all()],
        }
        for lesson in lessons
    ]
    wanted = (data or {}).get("lesson_rows", "")
    n = min(int(wanted), MAX_LESSON_ROWS) if wanted.isdigit() else len(written) + EMPTY_LESSON_ROWS
    lesson_rows = rows(LessonForm, "lesson", n, data, written, participations=parts)
    status = 200 if data is None else 400
    if data is not None and form.is_valid() and all(row.is_valid() for row in lesson_rows):
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        values["lessons"] = [row.cleaned_data for row in lesson_rows]
        final = bool(data.get("submit"))
        service = services.retrospective_submit if final else services.retrospective_save
        try:
            service(actor=request.user, project_id=pk, data=values, version=form.cleaned_data["version"])
        except ApplicationError as exc:
            if exc.status_code in (403, 404):
                raise
            show_row_error(form, lesson_rows, exc)
            status = exc.status_code
        else:
            if final:
                messages.success(
                    request,
                    _(
                        "Retrospective final: its lessons are in the knowledge base and the project is closed."
                    ),
                )
            else:
                messages.success(request, _("Retrospective saved."))
            response = redirect("projects:retrospective", pk)
            response.status_code = 303
            return response
    may_write = (
        retro is not None
        and retro.status == RetrospectiveStatus.DRAFT
        and project.status == ProjectStatus.CLOSING
        and permissions.is_manager(roles, project)
    )
    context = {
        "project": project,
        "tab": "close",
        "project_tabs_b": area_tabs(project),
        "retro": retro,
        "lessons": lessons,
        "may_write": may_write,
        "form": form,
        "lesson_rows": lesson_rows,
    }
    return render(request, "projects/close/retrospective.html", context, status=status)


@require_GET
@login_required
@html_errors
def archive_list(request, pk: int):
    page = selectors.archive_page(roles=roles_for(request.user), project_id=pk)
    context = {
        "project": page.project,
        "tab": "archive",
        "project_tabs_b": area_tabs(page.project),
        "page": page,
    }
    return render(request, "projects/close/archive.html", context)


@require_GET
@login_required
@html_errors
def knowledge_base(request):
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
    context = {"page": page, "q": q, "department": department, "departments": departments}
    return render(request, "projects/close/knowledge_base.html", context)


urlpatterns = [
    path("knowledge-base/", knowledge_base, name="knowledge_base"),
    path("<int:pk>/retrospective/", retrospective, name="retrospective"),
    path("<int:pk>/archive/", archive_list, name="archive"),
]
