"""What the project pages share: errors mapped once, POST → service data, the refusal shown."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from crossdesk.core.errors import ApplicationError
from crossdesk.core.records.views import html_errors

__all__ = ["html_errors", "refused", "post_data"]


def post_data(request, fields, *, lists=()) -> dict:
    """The posted values of ``fields`` (only those present); ``lists`` as lists."""
    data = {}
    for name in fields:
        if name in lists:
            if name in request.POST:
                data[name] = [v for v in request.POST.getlist(name) if v]
        elif name in request.POST:
            data[name] = request.POST.get(name, "")
    return data


def refused(request, exc: ApplicationError, url: str):
    """Show a service's refusal (403/409/400) on the page it came from; nothing changed."""
    messages.error(request, exc.message)
    response = redirect(url)
    response.status_code = 303
    return response
