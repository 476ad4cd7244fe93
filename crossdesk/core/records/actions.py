"""The actions panel of every record page, written once: the buttons this person may press
now (each opening its small form), the POST that passes a form's input to the service,
and the answer: a redirect with what was done, or the form again with the service's
refusal next to the field it names and what was typed kept (400 bad input, 409 wrong
moment), the 403 refusal, or 404.

A record app declares its :class:`ActionSet` (labels, icons, order, the service behind
each action and what to say when it is done) and keeps only what is its own: which
actions the page offers, the forms' choices and initial values."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from crossdesk.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    TransitionError,
)
from crossdesk.core.forms import ActionForm, show_error

ACTION_FORM_TEMPLATE = "records/_action_form.html"
REFUSED_TEMPLATE = "records/_refused.html"


def fields(*names: str, **renamed: str) -> dict[str, str]:
    """Service parameter → form field: ``names`` are the same on both sides."""
    return {**{name: name for name in names}, **renamed}


@dataclass
class Button:
    """One action this person may take now and the small form it opens (``form`` None: a link).
    ``part`` is the department's part (of a request or meeting) it acts on, if any."""

    action: str
    url: str
    label: str
    icon: str
    form: ActionForm | None = None
    part: Any = None
    open: bool = False

    @property
    def key(self) -> str:
        return f"{self.action}-{self.part.pk}" if self.part is not None else self.action

    @property
    def danger(self) -> bool:
        return bool(self.form and self.form.danger)

    def is_for(self, action: str, part: Any) -> bool:
        return self.action == action and _pk(self.part) == _pk(part)


def _pk(part: Any) -> Any:
    return part.pk if part is not None else None


@dataclass
class ActionSet:
    """What one record type's actions are: ``buttons`` maps an action to its (label, icon),
    ``order`` is the order of the usual next step, ``services`` maps it to (service, {service
    parameter: form field}) and ``done`` to the message shown once it is done."""

    buttons: Mapping[str, tuple[Any, str]]
    order: tuple[str, ...] | list[str]
    services: Mapping[str, tuple[Callable[..., Any], Mapping[str, str]]] = field(default_factory=dict)
    done: Mapping[str, Any] = field(default_factory=dict)

    def button(self, action: str, url: str, form: ActionForm | None = None, part: Any = None, **kw) -> Button:
        label, icon = self.buttons[action]
        return Button(action, url, str(label), icon, form, part, **kw)

    def ordered(
        self, actions: Iterable[str], parts: Iterable[Any] = (), part_actions=None
    ) -> list[tuple[str, Any]]:
        """(action, part) pairs: the record's actions, then each part's, in the usual order."""
        pairs: list[tuple[str, Any]] = [(a, None) for a in actions]
        for part in parts:
            pairs += [(a, part) for a in (part_actions or {}).get(part.pk, ())]
        pairs.sort(key=lambda pair: (self.order.index(pair[0]), _pk(pair[1]) or 0))
        return pairs

    def call(self, action: str, cleaned: Mapping[str, Any], **fixed: Any) -> Any:
        """The service behind ``action`` with the form's cleaned data (``fixed``: actor, ids)."""
        service, params = self.services[action]
        return service(**fixed, **{param: cleaned.get(name) for param, name in params.items()})


@dataclass
class Outcome:
    """What a service call came to: ``response`` when it is already answered (done, or the
    htmx 403), else the status and the message to show with the form again."""

    response: HttpResponse | None = None
    status: int = 200
    error: str = ""


def run(
    request: HttpRequest,
    form: ActionForm,
    call: Callable[[], Any],
    *,
    done: Any,
    url: str | Callable[[Any], str],
    show: Callable[[ActionForm, ApplicationError], None] = show_error,
) -> Outcome:
    """Call the service; on success say ``done`` and go to ``url`` (or ``url(result)``, e.g. the
    record just created); a refusal is put on ``form`` by ``show`` (its field, or above it) and
    answered with the service's status; nothing changed."""
    try:
        result = call()
    except PermissionDeniedError as exc:
        if getattr(request, "htmx", False):
            return Outcome(render(request, REFUSED_TEMPLATE, {"message": exc.message}, status=403), 403)
        raise PermissionDenied(exc.message) from exc
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    except (TransitionError, ConflictError) as exc:
        form.add_error(None, exc.message)
        return Outcome(status=exc.status_code, error=exc.message)
    except ApplicationError as exc:
        show(form, exc)
        return Outcome(status=exc.status_code)
    messages.success(request, str(done))
    target = url(result) if callable(url) else url
    return Outcome(
        HttpResponseClientRedirect(target) if getattr(request, "htmx", False) else redirect(target)
    )


def next_url(request: HttpRequest, default: str) -> str:
    """Where the POST's ``next`` asks to go, if it is on this site; else ``default``."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return default


def form_again(request: HttpRequest, button: Button, status: int, **context: Any) -> HttpResponse:
    """Only the form, with its errors and what was typed (what htmx swaps in)."""
    return render(request, ACTION_FORM_TEMPLATE, {"item": button, **context}, status=status)
