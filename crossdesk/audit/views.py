"""The administrator's audit page (filters, export) and the history fragment a record page
loads (``audit:record``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crossdesk.core.errors import ApplicationError
from crossdesk.core.exporting import bad_filter_response, xlsx_download
from crossdesk.core.filters import param_int
from crossdesk.core.records.views import html_errors

from .exporting import events_xlsx
from .filters import AuditFilter
from .models import Via
from .registration import AUDITED
from .selectors import events_for_viewer, is_admin, page_of


def _require_admin(request) -> None:
    if not is_admin(request.user):
        raise PermissionDenied


@require_GET
def event_list(request):
    """Every change, newest first, filtered by record type and id, person, way in and days."""
    _require_admin(request)
    error, status = None, 200
    try:
        filters = AuditFilter.from_params(request.GET)
        page = page_of(filters.queryset(), param_int(request.GET, "page", 1, 1, None))
    except ApplicationError as exc:
        error, status = exc, 400
        filters, page = AuditFilter(), page_of(AuditFilter().queryset().none(), 1)
    context = {
        "filter": filters,
        "query": urlencode(filters.as_params()),
        "page": page,
        "error": error,
        "object_types": sorted(AUDITED),
        "vias": Via.choices,
        "actors": get_user_model()
        .objects.filter(is_active=True)
        .select_related("person")
        .order_by("username"),
    }
    template = (
        "audit/_results.html"
        if request.htmx and request.htmx.target == "audit-results"
        else "audit/list.html"
    )
    return render(request, template, context, status=status)


@require_GET
def event_export(request):
    """Exactly the filtered rows of the page, as .xlsx."""
    _require_admin(request)
    try:
        content = events_xlsx(AuditFilter.from_params(request.GET).queryset())
    except ApplicationError as exc:
        return bad_filter_response(exc)
    return xlsx_download(content, "audit")


@require_GET
@html_errors
def record_history(request, object_type: str, object_id: int):
    """The history of one record (an htmx fragment for its page's history tab): for
    administrators and for those who may see the record; 404 for anyone else."""
    try:
        filters = AuditFilter.from_params({"object_type": object_type, "object_id": str(object_id)})
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    rows = events_for_viewer(user=request.user, filters=filters)
    page = page_of(rows, param_int(request.GET, "page", 1, 1, None))
    context = {"page": page, "object_type": object_type, "object_id": object_id}
    return render(request, "audit/_record.html", context)
