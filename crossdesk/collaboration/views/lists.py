"""The department inbox of requests and its Excel export: the same filter, the same rows."""

from __future__ import annotations

import io

from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crossdesk.collaboration import selectors
from crossdesk.collaboration.choices import RequestStatus, RequestType, Urgency
from crossdesk.collaboration.filters import request_filter_from_params
from crossdesk.collaboration.models import Request
from crossdesk.collaboration.selectors import SORTS
from crossdesk.core.errors import ApplicationError
from crossdesk.core.records.views import html_errors
from crossdesk.deadlines.selectors import live_clocks_by_subject, next_clock
from crossdesk.org.selectors import Roles, department_choices, primary_department_id, roles_for

PAGE_SIZE = 25
FILTER_KEYS = ("status", "urgency", "type", "overdue", "department", "direction", "date_from", "date_to", "q")


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


EXPORT_COLUMNS = [
    ("number", 16),
    ("title", 36),
    ("urgency", 10),
    ("type", 14),
    ("status", 10),
    ("initiating_department", 14),
    ("initiator", 10),
    ("raised_on", 12),
    ("receiving", 28),
    ("informed", 20),
    ("expected_completion_at", 18),
    ("next_due_at", 18),
    ("overdue", 8),
    ("satisfaction", 8),
]


def _export_headers() -> list[str]:
    return [
        _("Number"),
        _("Subject"),
        _("Urgency"),
        _("Type"),
        _("Status"),
        _("Initiating department"),
        _("Initiator"),
        _("Date raised"),
        _("Departments that must act"),
        _("Departments kept informed"),
        _("Expected completion"),
        _("Next deadline"),
        _("Overdue"),
        _("Satisfaction"),
    ]


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _export_row(r: Request) -> list:
    parts = list(r.parts.all())
    return [
        r.number or "",
        r.title,
        r.get_urgency_display(),
        r.type_label,
        r.get_status_display(),
        r.initiating_department.name,
        r.initiator.name,
        r.raised_on.isoformat() if r.raised_on else "",
        "、".join(p.department.name for p in parts if p.role == "receiving"),
        "、".join(p.department.name for p in parts if p.role == "informed"),
        _moment(r.expected_completion_at),
        _moment(r.next_due_at),
        _("Yes") if r.is_overdue else "",
        r.satisfaction or "",
    ]


@require_GET
@html_errors
def request_export(request):
    """Exactly the filtered rows of the inbox (every page), as .xlsx with Chinese headers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    roles = roles_for(request.user)
    params = _params(request, roles)
    try:
        filters = request_filter_from_params(params)
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    rows = selectors.request_list(roles=roles, filters=filters)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Collaboration requests"))
    for index, (_name, width) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in _export_headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for r in rows.iterator(chunk_size=500):
        sheet.append(_export_row(r))
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="requests-{stamp}.xlsx"'
    return response
