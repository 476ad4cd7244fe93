"""HTML pages of meetings. A placeholder until the pages are built: the detail address
exists so notifications and deadlines can link to a meeting."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.html import escape
from django.views.decorators.http import require_GET

from crossdesk.core.errors import NotFoundError
from crossdesk.org.selectors import roles_for

from . import selectors


@require_GET
def meeting_detail(request, pk: int):
    """A minimal page naming the meeting; 404 unless the viewer may see it."""
    try:
        meeting = selectors.meeting_get_for_viewer(roles=roles_for(request.user), pk=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    return HttpResponse(f"<h1>{escape(str(meeting))}</h1>")
