"""The department inbox of requests and its Excel export: the same filter, the same rows."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crossdesk.collaboration import selectors
from crossdesk.collaboration.choices import RequestStatus, RequestType, Urgency
from crossdesk.collaboration.exporting import request_xlsx
from crossdesk.collaboration.filters import FILTER_PARAMS, request_filter_from_params
from crossdesk.collaboration.models import Request
from crossdesk.collaboration.selectors import SORTS
from crossdesk.core.errors import ApplicationError
from crossdesk.core.exporting import bad_filter_response
from crossdesk.core.records.views import html_errors
from crossdesk.deadlines.selectors import live_clocks_by_subject, next_clock
from crossdesk.org.selectors import Roles, department_choices, primary_department_id, roles_for

PAGE_SIZE = 25
FILTER_KEYS = tuple(name for name in FILTER_PARAMS if name != "sort")  # what narrows the rows


def _params(request, roles: Roles) -> QueryDict:
    """The query, with the viewer's primary department when none was chosen; an empty
    ``department`` means every department the viewer may see."""
    params = request.GET.copy()
    if "department" not in params:
        primary = primary_department_id(roles.person)
        if primary:
            params["department"] = str(primary)
    return params


def _filtered(roles: Roles, params: QueryDict):
    """(rows, error): the filtered rows, or none and the error naming the bad parameter."""
    try:
        filters = request_filter_from_params(params)
    except ApplicationError as exc:
        return Request.objects.none(), exc, "-submitted_at"
    return selectors.request_list(roles=roles, filters=filters), None, filters.sort


@require_GET
@html_errors
def request_list(request):
    """The department inbox: filters above a sortable, paginated table that htmx refreshes."""
    roles = roles_for(request.user)
    params = _params(request, roles)
    rows, error, sort = _filtered(roles, params)
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    clocks = live_clocks_by_subject(Request, (r.pk for r in page.object_list))
    for row in page.object_list:
        row.clock = next_clock(clocks.get(row.pk, []))
    query = params.copy()
    query.pop("page", None)
    filter_active = any(params.get(k) for k in FILTER_KEYS if k != "department")
    context = {
        "page": page,
        "error": error,
        "params": params,
        "query_params": query,
        "query": query.urlencode(),
        "sort": sort,
        "sort_keys": SORTS,
        "filter_active": filter_active,
        "departments": department_choices(),
        "status_choices": [c for c in RequestStatus.choices if c[0] != RequestStatus.DRAFT],
        "urgency_choices": Urgency.choices,
        "type_choices": RequestType.choices,
        "can_raise": bool(roles.member_of),
    }
    status = 400 if error else 200
    if request.htmx and request.htmx.target == "request-table":
        return render(request, "collaboration/_table.html", {**context, "fragment": True}, status=status)
    return render(request, "collaboration/list.html", context, status=status)


@require_GET
@html_errors
def request_export(request):
    """Exactly the filtered rows of the inbox (every page), as .xlsx with Chinese headers."""
    roles = roles_for(request.user)
    params = _params(request, roles)
    try:
        filters = request_filter_from_params(params)
    except ApplicationError as exc:
        return bad_filter_response(exc)
    rows = selectors.request_list(roles=roles, filters=filters).iterator(chunk_size=500)
    return request_xlsx(rows)
