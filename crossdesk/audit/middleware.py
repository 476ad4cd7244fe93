from __future__ import annotations

import functools
import json
import re

from django.core.exceptions import RequestDataTooBig
from django.http import RawPostDataException

from .context import Frame, pop, push
from .models import Via

# The fields a person states why in: ``reason`` and the ``…_reason`` of a cancel, a decline,
# a delay (their page forms and API bodies use the same names).
WHY_FIELD = re.compile(r"(^|_)reason$")
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def via_of_path(path: str) -> str:
    if path.startswith("/api/"):
        return Via.API
    if path.startswith("/admin/"):
        return Via.ADMIN
    return Via.PAGE


def reason_given(request) -> str:
    """The why a person typed with this change (a form field or a JSON body's key), else ""."""
    if request.method not in WRITES:
        return ""
    try:
        if request.content_type == "application/json":
            body = json.loads(request.body or b"null")
            fields = body.items() if isinstance(body, dict) else ()
        else:
            fields = request.POST.items()
    except (ValueError, RawPostDataException, RequestDataTooBig):
        return ""  # the view refuses such a body itself, naming what is wrong
    for name, value in fields:
        if WHY_FIELD.search(name) and isinstance(value, str) and value.strip():
            return value.strip()[:500]
    return ""


class AuditContextMiddleware:
    """Every change made while serving a request is attributed to the signed-in user, to
    the way in (page, API or admin) and to the reason typed with it, if any.
    ``request.user`` stays lazy until a row is written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The body is read for the reason only when a change writes a row, and once.
        reason = functools.cache(lambda: reason_given(request))
        frame = Frame(via=via_of_path(request.path_info), actor=getattr(request, "user", None), reason=reason)
        token = push(frame)
        try:
            return self.get_response(request)
        finally:
            pop(token)
