"""Close API (SPEC §5 [003][004]): retrospective, archive list, knowledge base."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router

from crossdesk.core.errors import NotFoundError
from crossdesk.core.printing import PDF_OPENAPI, api_pdf_response
from crossdesk.core.records.package import ZIP_OPENAPI, package_response
from crossdesk.core.schemas import error_responses

from ..models import Retrospective
from ..printing import project_document, project_package
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


@router.get(
    "/{int:project_id}/pdf/{document}",
    response=error_responses(404, 503),
    url_name="project_document_pdf",
    openapi_extra=PDF_OPENAPI,
)
def document_pdf(request, project_id: int, document: str, item: int | None = None):
    """A printed document as PDF: ``charter``, ``deliverables``, ``retrospective``,
    ``archive``; or with ``?item=`` a ``weekly`` list or a ``change`` request. 404 for any
    other name or a project the caller may not see; 503 when the server cannot make PDFs."""
    return api_pdf_response(request, project_document(roles(request), project_id, document, item))


@router.get(
    "/{int:project_id}/archive.zip",
    response=error_responses(404, 409),
    url_name="project_archive_package",
    openapi_extra=ZIP_OPENAPI,
)
def archive_package(request, project_id: int):
    """The archived project as one zip (every printed document, evidence files, rows and
    history as JSON, change approvals' digests, manifest); 409 before it is archived."""
    return package_response(*project_package(roles(request), project_id))
