"""What part B's pages share: the extra tabs, and running one service for a form post
(refusal shown on the page it came from, nothing changed; success → back with a message)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crossdesk.core.errors import ApplicationError

from ._common import refused


def tabs_b(project) -> list[dict]:
    """Part B's tabs, shown after part A's on every project page (``_tabs.html`` gets them
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
