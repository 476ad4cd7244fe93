"""A meeting's print view [001], PDF and archive package: the same visibility as its page
(404 otherwise); the package only once archived (409 before)."""

from __future__ import annotations

from crossdesk.core.records.package import printed_record_views
from crossdesk.meetings import selectors
from crossdesk.meetings.printing import meeting_form, meeting_package
from crossdesk.org.selectors import roles_for


def _page(request, pk):
    return selectors.meeting_page(roles=roles_for(request.user), pk=pk)


meeting_print, meeting_pdf, meeting_archive_package = printed_record_views(
    _page, meeting_form, meeting_package
)
