"""A meeting's printed record [001] 跨部门沟通协调记录表: what the print view, the PDF, the
API and the archive package render (``core/printing.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from crossdesk.core.printing import PrintedForm

from . import selectors
from .selectors import MeetingPage


def meeting_file_name(page: MeetingPage) -> str:
    return page.meeting.number or f"meeting-draft-{page.meeting.pk}"


def meeting_form(page: MeetingPage) -> PrintedForm:
    meeting = page.meeting
    return PrintedForm(
        template="meetings/print/meeting.html",
        context={
            "page": page,
            "m": meeting,
            "part_rows": [
                {"part": part, "response": page.current_responses.get(part.pk)}
                for part in page.participations
            ],
            "department_names": selectors.department_names(page),
            "people_names": selectors.invitee_names(page),
        },
        filename=meeting_file_name(page),
        title=_("Cross-department coordination record"),
        record_url=reverse("meetings:detail", args=[meeting.pk]),
        print_url=reverse("meetings:print", args=[meeting.pk]),
        pdf_url=reverse("meetings:pdf", args=[meeting.pk]),
    )
