"""A request's printed form [000][004]: what the print view, the PDF, the API and the
archive package render (``core/printing.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from crossdesk.core.printing import PrintedForm

from .choices import EntryKind, PartRole, RequestType, Urgency
from .selectors import RequestPage


def request_file_name(page: RequestPage) -> str:
    return page.request.number or f"draft-{page.request.pk}"


def request_form(page: RequestPage) -> PrintedForm:
    """The form as on paper: every section of [000], each receiving department's result."""
    request = page.request
    log_kinds = (EntryKind.LOG, EntryKind.CORRECTION)
    return PrintedForm(
        template="collaboration/print/request.html",
        context={
            "page": page,
            "r": request,
            "log_entries": [
                item.entry
                for item in page.timeline
                if item.entry is not None and item.entry.kind in log_kinds
            ],
            "receiving_parts": [p for p in page.parts if p.role == PartRole.RECEIVING],
            "urgency_choices": Urgency,
            "type_choices": RequestType,
            "satisfaction_choices": [(n, _("%(n)d points") % {"n": n}) for n in range(1, 6)],
        },
        filename=request_file_name(page),
        title=_("Cross-department collaboration and problem feedback form"),
        record_url=reverse("collaboration:detail", args=[request.pk]),
        print_url=reverse("collaboration:print", args=[request.pk]),
        pdf_url=reverse("collaboration:pdf", args=[request.pk]),
    )
