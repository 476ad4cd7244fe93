"""A meeting's print view and PDF: the same visibility as its page (404 otherwise)."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from crossdesk.core.printing import pdf_response, print_response
from crossdesk.core.records.package import package_download
from crossdesk.core.records.views import html_errors
from crossdesk.meetings import selectors
from crossdesk.meetings.printing import meeting_form, meeting_package
from crossdesk.org.selectors import roles_for


@require_GET
@html_errors
def meeting_print(request, pk):
    page = selectors.meeting_page(roles=roles_for(request.user), pk=pk)
    return print_response(request, meeting_form(page))


@require_GET
@html_errors
def meeting_pdf(request, pk):
    page = selectors.meeting_page(roles=roles_for(request.user), pk=pk)
    return pdf_response(request, meeting_form(page))


@require_GET
@html_errors
def meeting_archive_package(request, pk):
    """The archived meeting as one zip for the shared folder; 409 before it is archived."""
    page = selectors.meeting_page(roles=roles_for(request.user), pk=pk)
    return package_download(request, lambda: meeting_package(page))
