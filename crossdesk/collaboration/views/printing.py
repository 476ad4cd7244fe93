"""A request's print view, PDF and archive package: the same visibility as its page (404
otherwise); the package only once archived (409 before), for the shared folder [000]."""

from __future__ import annotations

from crossdesk.collaboration import selectors
from crossdesk.collaboration.printing import request_form, request_package
from crossdesk.core.records.package import printed_record_views
from crossdesk.org.selectors import roles_for


def _page(request, pk):
    return selectors.request_page(roles=roles_for(request.user), pk=pk)


request_print, request_pdf, request_archive_package = printed_record_views(
    _page, request_form, request_package
)
