"""A project's printed documents as print view and PDF, with the project's visibility."""

from __future__ import annotations

from django.urls import path
from django.views.decorators.http import require_GET

from crossdesk.core.printing import pdf_response, print_response
from crossdesk.core.records.package import package_download
from crossdesk.core.records.views import html_errors
from crossdesk.org.selectors import roles_for

from ..printing import project_document, project_package


@require_GET
@html_errors
def document_print(request, pk: int, document: str, item_id: int | None = None):
    return print_response(request, project_document(roles_for(request.user), pk, document, item_id))


@require_GET
@html_errors
def document_pdf(request, pk: int, document: str, item_id: int | None = None):
    return pdf_response(request, project_document(roles_for(request.user), pk, document, item_id))


@require_GET
@html_errors
def project_archive_package(request, pk: int):
    """The archived project as one zip for the shared folder; 409 before it is archived."""
    return package_download(request, lambda: project_package(roles_for(request.user), pk))


urlpatterns = [
    path("<int:pk>/archive.zip", project_archive_package, name="package"),
    path("<int:pk>/print/<slug:document>/", document_print, name="print"),
    path("<int:pk>/print/<slug:document>/<int:item_id>/", document_print, name="print_item"),
    path("<int:pk>/pdf/<slug:document>/", document_pdf, name="pdf"),
    path("<int:pk>/pdf/<slug:document>/<int:item_id>/", document_pdf, name="pdf_item"),
]
