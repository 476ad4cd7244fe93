"""The requests' Excel download, the same for the department inbox page and the API:
exactly the rows given (the list's selector with the list's filter), Chinese headers."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from crossdesk.core.exporting import Column, xlsx_response

from .models import Request


def _names(r: Request, role: str) -> str:
    return "、".join(p.department.name for p in r.parts.all() if p.role == role)


EXPORT_COLUMNS = [
    Column(_lazy("Number"), lambda r: r.number or "", 16),
    Column(_lazy("Subject"), lambda r: r.title, 36),
    Column(_lazy("Urgency"), lambda r: r.get_urgency_display(), 10),
    Column(_lazy("Type"), lambda r: r.type_label, 14),
    Column(_lazy("Status"), lambda r: r.get_status_display(), 10),
    Column(_lazy("Initiating department"), lambda r: r.initiating_department.name, 14),
    Column(_lazy("Initiator"), lambda r: r.initiator.name, 10),
    Column(_lazy("Date raised"), lambda r: r.raised_on),
    Column(_lazy("Departments that must act"), lambda r: _names(r, "receiving"), 28),
    Column(_lazy("Departments kept informed"), lambda r: _names(r, "informed"), 20),
    Column(_lazy("Expected completion"), lambda r: r.expected_completion_at, 18),
    Column(_lazy("Next deadline"), lambda r: r.next_due_at, 18),
    Column(_lazy("Overdue"), lambda r: _("Yes") if r.is_overdue else "", 8),
    Column(_lazy("Satisfaction"), lambda r: r.satisfaction or "", 8),
]


def request_xlsx(rows: Iterable[Request]) -> HttpResponse:
    """``rows`` of ``selectors.request_list`` as ``requests-<time>.xlsx``."""
    return xlsx_response("requests", _("Collaboration requests"), EXPORT_COLUMNS, rows)
