"""Close API (SPEC §5 [003][004]): retrospective, archive list, knowledge base."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router

from crossdesk.core.errors import NotFoundError

from ..models import Retrospective
from ..schemas import ArchiveOut, LessonPageOut, RetrospectiveIn, RetrospectiveOut
from ..selectors import close as selectors
from ..selectors import project_get_for_viewer
from ..services import close as services
from ._common import READ_ERRORS, WRITE_ERRORS, call_in, roles, sent

router = Router(tags=["projects"])


def _retro_out(retrospective: Retrospective) -> dict:
    fields = ("status", "summary", "went_well", "to_improve", "due_at", "finalised_at", "version")
    return {
        **{name: getattr(retrospective, name) for name in fields},
        "project": retrospective.project_id,
        "lessons": selectors.retrospective_lessons(retrospective),
    }


@router.get("/knowledge-base", response={200: LessonPageOut, **READ_ERRORS})
def knowledge_base(request, q: str = "", department: int | None = None, page: int = 1):
    """Search the lessons of every project you may see (title, lesson, tags; Chinese works)."""
    result = selectors.lesson_search(roles=roles(request), q=q, department=department, page=page)
    return {
        "count": result.paginator.count,
        "page": result.number,
        "pages": result.paginator.num_pages,
        "items": list(result.object_list),
    }


@router.get("/{int:project_id}/retrospective", response={200: RetrospectiveOut, **READ_ERRORS})
def retrospective_detail(request, project_id: int):
    """The retrospective (404 until the project moves to closing)."""
    project = project_get_for_viewer(roles=roles(request), pk=project_id)
    retrospective = selectors.retrospective_of(project)
    if retrospective is None:
        raise NotFoundError(_("The retrospective opens when the project moves to closing."))
    return _retro_out(retrospective)


@router.put("/{int:project_id}/retrospective", response={200: RetrospectiveOut, **WRITE_ERRORS})
def retrospective_save(request, project_id: int, payload: RetrospectiveIn):
    """Save the retrospective as a draft (send the ``version`` you read)."""
    data, version = sent(payload)
    retrospective = call_in(request, project_id, services.retrospective_save, data=data, version=version)
    return _retro_out(retrospective)


@router.post("/{int:project_id}/retrospective/submit", response={200: RetrospectiveOut, **WRITE_ERRORS})
def retrospective_submit(request, project_id: int, payload: RetrospectiveIn):
    """Make the retrospective final: lessons go into the knowledge base and the project closes."""
    data, version = sent(payload)
    retrospective = call_in(request, project_id, services.retrospective_submit, data=data, version=version)
    return _retro_out(retrospective)


@router.get("/{int:project_id}/archive-list", response={200: ArchiveOut, **READ_ERRORS})
def archive_list(request, project_id: int):
    """Every document of the project with links: as written at archiving, or as of now."""
    page = selectors.archive_page(roles=roles(request), project_id=project_id)
    return {
        "project": project_id,
        "stored": page.stored,
        "retain_until": page.project.retain_until,
        "items": page.items,
    }
