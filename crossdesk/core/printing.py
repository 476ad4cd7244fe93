"""Printed forms (SPEC §6 "Documents"): a record laid out like its paper template, once as
an HTML print view and once as a PDF with the Chinese font embedded [000][001].

Each record app writes one template extending ``printing/form.html`` and hands it here as
a :class:`PrintedForm`; the print view and the PDF render that same template, so what
the screen shows is what the file holds. The PDF needs WeasyPrint, which needs Pango
from the system: where Pango is missing, :func:`pdf_response` answers a page that says
so and points to the print view, which works without it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ApplicationError

# What a printed form's font is called inside the PDF; the template's CSS asks for it first.
FONT_FAMILY = "CD Print Sans"
PDF_CONTENT_TYPE = "application/pdf"


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here (usually: Pango is not installed)."""


class PdfUnavailableError(ApplicationError):
    """The API's answer when no PDF can be made here: 503, the reason in the message."""

    status_code = 503


@dataclass(frozen=True)
class PrintedForm:
    """One record's printed form: the template, what it shows, and the file's name.

    ``filename`` has no suffix (``"2026-MKT-0001"``); ``title`` is the form's name as on
    the paper template (``"跨部门协作沟通与问题反馈表"``), shown as the page heading.
    The three URLs (the record page, its print view, its PDF) are linked from the print
    view's toolbar and from the page shown when no PDF can be made.
    """

    template: str
    context: Mapping[str, Any]
    filename: str
    title: str
    record_url: str = ""
    print_url: str = ""
    pdf_url: str = ""


@cache
def _engine() -> Any:
    """The ``weasyprint`` module, imported on first use: importing it loads Pango, and
    raises ``OSError`` when the library is missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(str(exc)) from exc
    return weasyprint


def pdf_unavailable_reason() -> str:
    """Why no PDF can be made on this server, or ``""`` when it can."""
    try:
        _engine()
    except PdfUnavailable as exc:
        return str(exc) or "weasyprint"
    return ""


def font_face_css() -> str:
    """``@font-face`` rules for the embedded font, read from node_modules (``PRINT_FONTS``)."""
    rules = []
    for weight, path in sorted(settings.PRINT_FONTS.items()):
        rules.append(
            f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: {weight}; "
            f"src: url('{Path(path).resolve().as_uri()}'); }}"
        )
    return "\n".join(rules)


def _context(form: PrintedForm, request: HttpRequest | None, *, for_pdf: bool) -> dict[str, Any]:
    return {
        **form.context,
        "form_title": form.title,
        "form_filename": form.filename,
        "record_url": form.record_url,
        "pdf_url": form.pdf_url,
        "for_pdf": for_pdf,
        "printed_at": timezone.localtime(),
        "printed_by": _printed_by(request),
        "font_family": FONT_FAMILY,
        "screen_fonts": [] if for_pdf else screen_fonts(),
    }


def _printed_by(request: HttpRequest | None) -> str:
    """Who printed: the page's user, or the API caller (``request.auth``, any login method)."""
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    return getattr(user, "display_name", "") if getattr(user, "is_authenticated", False) else ""


def screen_fonts() -> list[tuple[int, str]]:
    """Weight and static URL of each print font, for the print view (``STATICFILES_DIRS``)."""
    return [
        (weight, static(f"vendor/noto-sans-sc/{Path(path).parent.name}/{Path(path).name}"))
        for weight, path in sorted(settings.PRINT_FONTS.items())
    ]


def render_html(form: PrintedForm, request: HttpRequest | None = None, *, for_pdf: bool = False) -> str:
    return render_to_string(form.template, _context(form, request, for_pdf=for_pdf), request)


def render_pdf(form: PrintedForm, request: HttpRequest | None = None) -> bytes:
    """The form as PDF bytes, the font subset and embedded. Raises :class:`PdfUnavailable`."""
    engine = _engine()
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fonts_css = engine.CSS(string=font_face_css(), font_config=fonts)
    html = engine.HTML(string=render_html(form, request, for_pdf=True), base_url=str(settings.BASE_DIR))
    return html.write_pdf(stylesheets=[fonts_css], font_config=fonts)


def printed_file(form: PrintedForm) -> tuple[str, bytes]:
    """The form as a file to keep: ``<name>.pdf``, or where no PDF can be made the print
    view as ``<name>.html`` (it prints the same from any browser)."""
    try:
        return f"{form.filename}.pdf", render_pdf(form)
    except PdfUnavailable:
        return f"{form.filename}.html", render_html(form, for_pdf=True).encode()


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A ``Content-Disposition`` that keeps a Chinese file name (RFC 6266 ``filename*``)
    with an ASCII fallback for old clients."""
    fallback = filename.encode("ascii", "ignore").decode() or "document"
    fallback = fallback.replace('"', "").replace("\\", "")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def print_response(request: HttpRequest, form: PrintedForm) -> HttpResponse:
    """The print view: the form as a page with a toolbar (print, PDF, back) that never prints."""
    return render(request, form.template, _context(form, request, for_pdf=False))


def pdf_response(request: HttpRequest, form: PrintedForm) -> HttpResponse:
    """The form as a PDF shown in the browser; where the PDF engine is missing, a page
    that says so (503) and links to the print view, never a 500."""
    try:
        started = time.perf_counter()
        content = render_pdf(form, request)
    except PdfUnavailable as exc:
        return pdf_unavailable_page(request, form, reason=str(exc))
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"{form.filename}.pdf", inline=True)
    response["Server-Timing"] = f"pdf;dur={(time.perf_counter() - started) * 1000:.0f}"
    return response


def api_pdf_response(request: HttpRequest, form: PrintedForm) -> HttpResponse:
    """The PDF for an API caller; :class:`PdfUnavailableError` (503) without Pango."""
    try:
        content = render_pdf(form, request)
    except PdfUnavailable as exc:
        raise PdfUnavailableError(
            _("The PDF cannot be made on this server: WeasyPrint needs the Pango library (%(reason)s).")
            % {"reason": exc}
        ) from exc
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"{form.filename}.pdf")
    return response


# The OpenAPI description of an endpoint that answers a PDF.
PDF_OPENAPI = {
    "responses": {
        "200": {
            "description": "The printed form as PDF (Chinese font embedded)",
            "content": {PDF_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def pdf_unavailable_page(request: HttpRequest, form: PrintedForm, *, reason: str) -> HttpResponse:
    return render(
        request,
        "printing/unavailable.html",
        {"form": form, "reason": reason},
        status=503,
    )
