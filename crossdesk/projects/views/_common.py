"""What the project pages share: errors mapped once, POST → service data, the refusal shown."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crossdesk.core.errors import ApplicationError
from crossdesk.core.records.views import html_errors

__all__ = ["html_errors", "refused", "post_data", "run", "area_tabs"]


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


def area_tabs(project) -> list[dict]:
    """The tabs after the plan's, shown on every project page (``_tabs.html`` gets them
    from the ``project_extra_tabs`` tag, so no view has to pass them)."""
    return [
        {
            "key": "comms",
            "label": _("Communication plan"),
            "url": reverse("projects:comms", args=[project.pk]),
        },
        {
            "key": "changes",
            "label": _("Change requests"),
            "url": reverse("projects:changes", args=[project.pk]),
        },
        {
            "key": "deliverables",
            "label": _("Deliverables"),
            "url": reverse("projects:deliverables", args=[project.pk]),
        },
        {
            "key": "close",
            "label": _("Retrospective"),
            "url": reverse("projects:retrospective", args=[project.pk]),
        },
        {"key": "archive", "label": _("Archive list"), "url": reverse("projects:archive", args=[project.pk])},
        {"key": "knowledge_base", "label": _("Knowledge base"), "url": reverse("projects:knowledge_base")},
    ]


def run(request, call, *, back: str, done: str, then: str | None = None):
    """Run ``call``; a refusal (400/403/409) goes back to ``back`` with its message."""
    try:
        call()
    except ApplicationError as exc:
        return refused(request, exc, back)
    messages.success(request, done)
    response = redirect(then or back)
    response.status_code = 303
    return response
