"""A request's printed form [000][004]: what the print view, the PDF, the API and the
archive package render (``core/printing.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from crossdesk.core.errors import TransitionError
from crossdesk.core.printing import PrintedForm, printed_file
from crossdesk.core.records.package import SignOff, build_package, rows_as_data

from .choices import EntryKind, PartRole, RequestStatus, RequestType, Urgency
from .selectors import LetterPage, RequestPage


def request_file_name_of(request) -> str:
    return request.number or f"draft-{request.pk}"


def request_file_name(page: RequestPage) -> str:
    return request_file_name_of(page.request)


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


def request_sign_offs(page: RequestPage) -> list[SignOff]:
    """The initiating head's and each receiving head's sign-off, checked against the record."""
    request = page.request
    broken = set(page.broken_signatures)
    sign_offs = []
    if request.initiator_head_signed_at:
        name = request.initiating_department.name
        sign_offs.append(
            SignOff(
                signed_for=name,
                signer=request.initiator_head.name if request.initiator_head else "",
                signer_id=request.initiator_head_id,
                signed_at=request.initiator_head_signed_at,
                digest=request.initiator_head_signature,
                valid=name not in broken,
            )
        )
    for part in page.parts:
        if part.head_signed_at:
            sign_offs.append(
                SignOff(
                    signed_for=part.department.name,
                    signer=part.head.name if part.head else "",
                    signer_id=part.head_id,
                    signed_at=part.head_signed_at,
                    digest=part.head_signature,
                    valid=part.department.name not in broken,
                )
            )
    return sign_offs


def request_package(page: RequestPage) -> tuple[str, bytes]:
    """The archived request as one zip for the shared folder [000]: its PDF, attachments,
    the request with its parts and timeline as JSON, and the sign-off digests."""
    if page.request.status != RequestStatus.ARCHIVED:
        raise TransitionError(_("Only an archived request downloads as an archive package."))
    form = request_form(page)
    entries = [item.entry for item in page.timeline if item.entry is not None]
    folder = request_file_name(page)
    return folder, build_package(
        folder=folder,
        printed=[printed_file(form)],
        record={"request": rows_as_data([page.request])[0], "parts": rows_as_data(page.parts)},
        history=rows_as_data(entries),
        documents=page.attachments,
        sign_offs=request_sign_offs(page),
    )


def letter_form(page: LetterPage) -> PrintedForm:
    """The 部门资源确认函 [004] of one department, the version shown, with its head's signature."""
    request, part, letter = page.request, page.part, page.letter
    query = f"?version={letter.version}"
    return PrintedForm(
        template="collaboration/print/letter.html",
        context={"page": page, "r": request, "part": part, "letter": letter},
        filename=f"{request_file_name_of(request)}-{part.department.code}-v{letter.version}",
        title=_("Department resource confirmation letter"),
        record_url=reverse("collaboration:letter", args=[request.pk, part.pk]) + query,
        print_url=reverse("collaboration:letter_print", args=[request.pk, part.pk]) + query,
        pdf_url=reverse("collaboration:letter_pdf", args=[request.pk, part.pk]) + query,
    )
