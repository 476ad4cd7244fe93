"""The error pages: in the person's language inside the layout, with a way back; under
``/api/`` a JSON body like the API's own refusals (``{"message": …}``, as ErrorOut)."""

from __future__ import annotations

import logging

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

PAGES = {
    400: (gettext_lazy("Bad request"), gettext_lazy("The page could not understand what was sent.")),
    403: (gettext_lazy("Not allowed"), gettext_lazy("You may not open this page or take this action.")),
    404: (gettext_lazy("Not found"), gettext_lazy("This page does not exist, or you may not see it.")),
    500: (
        gettext_lazy("Something went wrong"),
        gettext_lazy("The error has been recorded; nothing you sent was half-saved. Try again in a moment."),
    ),
}


def _detail(exception) -> str:
    """Our own refusals say what is missing ("没有这个项目。"); a resolver's 404 carries the
    URL patterns tried (a dict), which are not for people."""
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) else ""


def error_response(request, status: int, exception=None) -> HttpResponse:
    heading, explanation = PAGES[status]
    detail = _detail(exception) if status in (403, 404) else ""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"message": detail or str(heading)}, status=status)
    context = {"status": status, "heading": heading, "explanation": explanation, "detail": detail}
    try:
        return HttpResponse(render_to_string("error.html", context, request), status=status)
    except Exception:  # the layout itself failed (e.g. the database is down): a plain page
        logger.exception("The error page could not be rendered")
        body = f"<!doctype html><title>{escape(heading)}</title><h1>{escape(heading)}</h1><p>{escape(explanation)}</p>"
        return HttpResponse(body + f'<p><a href="/">{escape(_("To my workbench"))}</a></p>', status=status)


def bad_request(request, exception=None):
    return error_response(request, 400, exception)


def permission_denied(request, exception=None):
    return error_response(request, 403, exception)


def page_not_found(request, exception=None):
    return error_response(request, 404, exception)


def server_error(request):
    return error_response(request, 500)
