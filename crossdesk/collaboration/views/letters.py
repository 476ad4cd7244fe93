"""A department's resource confirmation letter [004]: its page (every version kept, any one
shown with ``?version=N``), print view and PDF, for whoever may see the request (404 otherwise)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crossdesk.collaboration import selectors
from crossdesk.collaboration.printing import letter_form
from crossdesk.core.printing import pdf_response, print_response
from crossdesk.core.records.views import html_errors
from crossdesk.org.selectors import roles_for


def _version(request) -> int | None:
    raw = request.GET.get("version") or None
    if raw is None:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


def _page(request, pk: int, part_id: int) -> selectors.LetterPage:
    return selectors.letter_page(
        roles=roles_for(request.user), pk=pk, part_id=part_id, version=_version(request)
    )


@require_GET
@html_errors
def letter_detail(request, pk, part_id):
    page = _page(request, pk, part_id)
    return render(
        request,
        "collaboration/letter.html",
        {
            "page": page,
            "r": page.request,
            "part": page.part,
            "letter": page.letter,
            "form": letter_form(page),
        },
    )


@require_GET
@html_errors
def letter_print(request, pk, part_id):
    return print_response(request, letter_form(_page(request, pk, part_id)))


@require_GET
@html_errors
def letter_pdf(request, pk, part_id):
    return pdf_response(request, letter_form(_page(request, pk, part_id)))
