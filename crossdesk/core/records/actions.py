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
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from crossdesk.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    TransitionError,
)
from crossdesk.core.forms import ActionForm, show_error
from crossdesk.core.records.views import html_errors

ACTION_FORM_TEMPLATE = "records/_action_form.html"
REFUSED_TEMPLATE = "records/_refused.html"


def fields(*names: str, **renamed: str) -> dict[str, str]:
    """Service parameter → form field: ``names`` are the same on both sides."""
    return {**{name: name for name in names}, **renamed}


@dataclass
class Button:
    """One action this person may take now and the small form it opens (``form`` None: a link).
    ``part`` is the department's part (of a request or meeting) it acts on, if any;
    ``refusal`` the service's message when it was refused at the wrong moment (409), for the
    page's banner."""

    action: str
    url: str
    label: str
    icon: str
    form: ActionForm | None = None
    part: Any = None
    open: bool = False
    refusal: str = ""

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
    answered with the service's status; nothing changed. No ``done``: nothing is said."""
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
    if done:
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


def see_other(response: HttpResponse) -> HttpResponse:
    """After a POST the browser GETs the next page (303 rather than 302)."""
    if response.status_code == 302:
        response.status_code = 303
    return response


class PageForms(dict):
    """The forms a page shows by key (each a :class:`Button`, labelled by its form's
    ``heading``); after a refused POST the bound form, with what was typed and its errors,
    takes the place of the fresh one."""

    def __init__(self, bound: Button | None = None):
        super().__init__()
        self.bound = bound

    def add(self, key: str, url: str, form_class: type[ActionForm], initial=None, **context) -> Button:
        bound = self.bound
        if bound is not None and bound.form is not None and bound.action == key:
            bound.form.use(context)
            self[key] = bound
        else:
            self[key] = Button(
                key, url, str(form_class.heading), "", form_class(initial=initial, context=context)
            )
        return self[key]


def submit(
    request: HttpRequest,
    key: str,
    form_class: type[ActionForm],
    call: Callable[[dict], Any],
    *,
    done: Any,
    url: str | Callable[[Any], str],
    template: str,
    page: Callable[[Button], dict],
    see_other_page: bool = True,
    **context: Any,
) -> HttpResponse:
    """The POST of one form of a page: bind ``form_class`` and pass its ``service_data()`` to
    ``call`` (the service). Done: ``done`` is said and the browser goes to ``url`` (303 unless
    not ``see_other_page``). Refused: htmx gets the form again, a plain POST the page
    (``page(bound)`` gives its context, the bound form in place of the fresh one), with the
    service's status and its message on the form (``form.show_error``)."""
    form = form_class(request.POST, request.FILES, context=context)
    outcome = Outcome(status=400)
    if form.is_valid():
        values = form.service_data()
        outcome = run(
            request, form, lambda: call(values), done=done, url=url, show=lambda f, exc: f.show_error(exc)
        )
        if outcome.response is not None:
            return see_other(outcome.response) if see_other_page else outcome.response
    bound = Button(key, request.path, str(form_class.heading), "", form, open=True, refusal=outcome.error)
    context = page(bound)
    if getattr(request, "htmx", False) and not form.is_multipart():
        return form_again(request, bound, outcome.status)
    return render(request, template, context, status=outcome.status)


# --- a page and its actions, declared -------------------------------------------------------
# A page is its template and ONE function building its context, for its GET and for a
# refused POST (``bound``: the refused form, shown in place of the fresh one with what was
# typed and the service's message next to its field); its actions are a table of forms and
# service calls posted to one view.


def posted_version(request: HttpRequest) -> str | None:
    """The version the form was opened at (a conflict is refused by the service)."""
    return request.POST.get("version") or None


class Act:
    """One action of a page: its form and the service it calls, given the person as
    ``actor``, the form's ``names`` as they are (a ``version`` the form leaves out is the
    POST's), its ``params`` by name from the URL or the form (``project_id="pk"``) and, if
    ``data``, the rest of the form as ``data``; ``check(form data, **url_kwargs)`` runs first
    (e.g. that a chosen row is this record's). Or its own ``call(request, form data,
    **url_kwargs)``. ``key``: of its form on the page (``{name}``: a value of the URL or the
    POST, the action's name if empty); ``then``: where to go once done, if not the page's."""

    def __init__(
        self,
        form: type[ActionForm],
        service: Callable[..., Any] | None = None,
        *names: str,
        call: Callable[..., Any] | None = None,
        data: bool = False,
        check: Callable[..., Any] | None = None,
        key: str = "",
        then: str | Callable[..., str] = "",
        **params: str,
    ):
        self.form, self.key, self.then = form, key, then
        self.service, self.names, self.data, self.check, self.params = service, names, data, check, params
        self.call = call or self._call

    def _call(self, request: HttpRequest, d: dict, **kwargs: Any) -> Any:
        if self.check is not None:
            self.check(d, **kwargs)
        given = {**kwargs, "version": posted_version(request), **d}
        values = {param: given[name] for param, name in self.params.items()}
        values |= {name: given[name] for name in self.names}
        if self.data:
            taken = {*self.names, *self.params.values()}
            values["data"] = {k: v for k, v in d.items() if k not in taken}
        assert self.service is not None
        return self.service(actor=request.user, **values)


def _reverse(then: str, _result, **kwargs) -> str:
    name, _hash, anchor = then.partition("#")
    return reverse(name, kwargs=kwargs) + (f"#{anchor}" if anchor else "")


class _Posted(dict):
    def __missing__(self, key):
        return ""


@dataclass
class Page:
    """A project page: its template and ``build(request, bound=None, **url_kwargs)``. Its
    ``acts`` are named by the URL, else the POST's ``action``, else ``default``, and ``done``
    says what is said once each is done; ``check``
    runs first (404 for what the person may not see), ``context`` gives the form's choices
    when it is bound, ``then`` where the browser goes once an action is done (a URL name
    taking the same arguments, or ``then(result, **url_kwargs)``; 303, or 302 unless
    ``see_other``)."""

    template: str
    build: Callable[..., dict]
    acts: dict[str, Act] = field(default_factory=dict)
    done: Mapping[str, Any] = field(default_factory=dict)
    then: str | Callable[..., str] = ""
    check: Callable[..., Any] | None = None
    context: Callable[..., dict] | None = None
    default: str = ""
    see_other: bool = True

    def view(self, *methods: str):
        """The view of this page's URL: GET shows it, POST does one of its actions."""

        @require_http_methods(list(methods or ("GET",)))
        @login_required
        @html_errors
        def view(request, **kwargs):
            if request.method == "POST":
                return self.post(request, **kwargs)
            return render(request, self.template, self.build(request, **kwargs))

        return view

    def post(self, request, action: str = "", **kwargs):
        if self.check is not None:
            self.check(request, **kwargs)
        action = action or request.POST.get("action") or self.default
        act = self.acts.get(action)
        if act is None:
            raise Http404
        then = act.then or self.then
        if isinstance(then, str):  # the URL name of a page with the same arguments (and #anchor)
            then = partial(_reverse, then)
        return submit(
            request,
            act.key.format_map(_Posted(request.POST.items(), **kwargs)) if act.key else action,
            act.form,
            lambda data: act.call(request, data, **kwargs),
            done=self.done.get(action),
            url=lambda result: then(result, **kwargs),
            template=self.template,
            page=lambda bound: self.build(request, bound=bound, **kwargs),
            see_other_page=self.see_other,
            **(self.context(request, **kwargs) if self.context else {}),
        )
