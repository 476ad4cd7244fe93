"""A meeting's printed record [001] 跨部门沟通协调记录表: what the print view, the PDF, the
API and the archive package render (``core/printing.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from crossdesk.core.errors import TransitionError
from crossdesk.core.printing import PrintedForm, printed_file
from crossdesk.core.records.package import SignOff, build_package, rows_as_data

from . import selectors
from .choices import MeetingStatus
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


def meeting_sign_offs(page: MeetingPage) -> list[SignOff]:
    """Each participating head's sign-off of the final minutes, checked against them."""
    broken = set(page.broken_signatures)
    return [
        SignOff(
            signed_for=part.department.name,
            signer=part.head.name if part.head else "",
            signer_id=part.head_id,
            signed_at=part.head_signed_at,
            digest=part.head_signature,
            valid=part.department.name not in broken,
        )
        for part in page.participations
        if part.head_signed_at
    ]


def meeting_package(page: MeetingPage) -> tuple[str, bytes]:
    """The archived meeting as one zip for the shared folder [001]: its printed record,
    materials, the meeting with its departments, minutes versions, answers and action
    items as JSON, its history, and the sign-off digests."""
    if page.meeting.status != MeetingStatus.ARCHIVED:
        raise TransitionError(_("Only an archived meeting downloads as an archive package."))
    folder = meeting_file_name(page)
    record = {
        "meeting": rows_as_data([page.meeting])[0],
        "departments": rows_as_data(page.participations),
        "invitees": rows_as_data(i for part in page.participations for i in part.invitees.all()),
        "minutes_versions": rows_as_data(page.versions),
        "responses": rows_as_data(page.responses),
        "action_items": rows_as_data(page.action_items),
        "action_item_updates": rows_as_data(u for item in page.action_items for u in item.updates.all()),
    }
    return folder, build_package(
        folder=folder,
        printed=[printed_file(meeting_form(page))],
        record=record,
        history=rows_as_data(page.events),
        documents=page.materials,
        sign_offs=meeting_sign_offs(page),
    )
