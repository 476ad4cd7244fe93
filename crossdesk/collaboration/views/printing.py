"""A request's print view and PDF: the same visibility as its page (404 otherwise)."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from crossdesk.collaboration import selectors
from crossdesk.collaboration.printing import request_form, request_package
from crossdesk.core.printing import pdf_response, print_response
from crossdesk.core.records.package import package_download
from crossdesk.core.records.views import html_errors
from crossdesk.org.selectors import roles_for


@require_GET
@html_errors
def request_print(request, pk):
    page = selectors.request_page(roles=roles_for(request.user), pk=pk)
    return print_response(request, request_form(page))


@require_GET
@html_errors
def request_pdf(request, pk):
    page = selectors.request_page(roles=roles_for(request.user), pk=pk)
    return pdf_response(request, request_form(page))


@require_GET
@html_errors
def request_archive_package(request, pk):
    """The archived request as one zip for the shared folder [000]; 409 before it is archived."""
    page = selectors.request_page(roles=roles_for(request.user), pk=pk)
    return package_download(request, lambda: request_package(page))
