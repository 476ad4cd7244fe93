"""Close pages: the retrospective form, the printable archive list, the knowledge base."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crossdesk.org.models import Department
from crossdesk.org.selectors import roles_for

from .. import permissions
from ..choices import ProjectStatus, RetrospectiveStatus
from ..selectors import close as selectors
from ..selectors import project_get_for_viewer
from ..services import close as services
from ._common import area_tabs, html_errors, run

EMPTY_LESSON_ROWS = 2


def _lessons(post) -> list[dict]:
    columns = [post.getlist(f"lesson_{name}") for name in ("id", "title", "body", "tags")]
    return [
        {
            "id": lesson_id or None,
            "title": title,
            "body": body,
            "tags": tags,
            "departments": post.getlist(f"lesson_departments_{lesson_id or 'new'}"),
        }
        for lesson_id, title, body, tags in zip(*columns, strict=False)
    ]


@require_http_methods(["GET", "POST"])
@login_required
@html_errors
def retrospective(request, pk: int):
    roles = roles_for(request.user)
    back = reverse("projects:retrospective", args=[pk])
    if request.method == "POST":
        post = request.POST
        data = {name: post.get(name, "") for name in ("summary", "went_well", "to_improve")}
        data["lessons"] = _lessons(post)
        mine = {"actor": request.user, "project_id": pk, "data": data, "version": post.get("version") or None}
        if post.get("submit"):
            final = _("Retrospective final: its lessons are in the knowledge base and the project is closed.")
            return run(request, lambda: services.retrospective_submit(**mine), back=back, done=final)
        return run(
            request, lambda: services.retrospective_save(**mine), back=back, done=_("Retrospective saved.")
        )
    project = project_get_for_viewer(roles=roles, pk=pk)
    retro = selectors.retrospective_of(project)
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
        "lessons": selectors.retrospective_lessons(retro),
        "may_write": may_write,
        "empty_rows": range(EMPTY_LESSON_ROWS),
        "departments": list(project.departments.select_related("department")),
    }
    return render(request, "projects/close/retrospective.html", context)


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
