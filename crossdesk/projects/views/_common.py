"""What the project pages share: errors mapped once, the page's forms, the POST that passes
a form's input to the service (``core.records.actions``) and, when it is refused, the page
again with the form as typed and the service's message next to the field it names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crossdesk.core.forms import ActionForm
from crossdesk.core.records import actions
from crossdesk.core.records.actions import Button
from crossdesk.core.records.views import html_errors

__all__ = ["html_errors", "PageForms", "submit", "see_other", "area_tabs"]


def button(key: str, url: str, form: ActionForm, **kw) -> Button:
    return Button(key, url, str(getattr(form, "heading", "")), "", form, **kw)


class PageForms(dict):
    """The forms a page shows by key (``core.records.actions.Button``); after a refused POST
    the bound form, with what was typed and its errors, takes the place of the fresh one."""

    def __init__(self, bound: Button | None = None):
        super().__init__()
        self.bound = bound

    def add(self, key: str, url: str, form_class: type[ActionForm], initial=None, **context) -> Button:
        if self.bound is not None and self.bound.action == key:
            self.bound.form.setup(**context)
            self[key] = self.bound
        else:
            self[key] = button(key, url, form_class(initial=initial, context=context))
        return self[key]


def see_other(response):
    """After a POST the browser GETs the next page (303, as the project pages always did)."""
    if response.status_code == 302:
        response.status_code = 303
    return response


def submit(
    request,
    key: str,
    form_class: type[ActionForm],
    call: Callable[[dict], Any],
    *,
    done: Any,
    url: str,
    template: str,
    page: Callable[[Button], dict],
    **context,
):
    """Bind ``form_class`` to the POST and pass its cleaned data to ``call`` (the service).
    Done: ``done`` is said and the browser goes to ``url``. Refused: htmx gets the form again,
    a plain POST the page (``page(bound)`` gives its context), with the service's status (the
    message on its field or above the form)."""
    form = form_class(request.POST, request.FILES, context=context)
    outcome = actions.Outcome(status=400)
    if form.is_valid():
        # A form that reshapes its input for the service says so (``service_data``).
        values = form.service_data() if hasattr(form, "service_data") else form.cleaned_data
        outcome = actions.run(request, form, lambda: call(values), done=done, url=url)
        if outcome.response is not None:
            return see_other(outcome.response)
    bound = button(key, request.path, form, open=True)
    ctx = page(bound)
    if request.htmx and not form.is_multipart():
        return actions.form_again(request, bound, outcome.status)
    return render(request, template, ctx, status=outcome.status)


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
