"""Notification pages: the inbox, my notification settings, a department's settings and
robots (its head or an administrator), and the outbox for operators (administrators).

Thin: parse, call one selector or service, render. A service's ApplicationError is shown
next to its field, nothing changed; one view serves the full page and its htmx fragment.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crossdesk.core.errors import ApplicationError, PermissionDeniedError
from crossdesk.org.models import Person

from . import selectors, services
from .choices import Channel
from .forms import PreferenceForm, RobotForm, place_error


def _person(request) -> Person | None:
    return Person.objects.filter(user=request.user).first()


@require_GET
def inbox(request):
    """My notifications, newest first; ``?unread=1`` for the unread ones."""
    person = _person(request)
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.inbox(person=person, unread_only=unread_only) if person else []
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    context = {"page": page, "groups": selectors.by_record(page), "unread_only": unread_only}
    return render(request, "notify/inbox.html", context)


@require_POST
def mark_read(request):
    person = _person(request)
    if person is not None:
        ids = request.POST.getlist("id")
        services.notifications_mark_read(person=person, ids=[int(i) for i in ids if i.isdigit()] or None)
    if request.htmx:
        return render(
            request, "notify/_badge.html", {"unread_count": selectors.unread_records(person=person)}
        )
    return redirect(request.POST.get("next") or "notify:inbox")


# --- my settings ------------------------------------------------------------------------------


def _initial(preference) -> dict:
    return {
        "email_mode": preference.email_mode,
        "muted_event_groups": preference.muted_event_groups or [],
        "digest_mode": preference.digest_mode,
        "digest_time": preference.digest_time,
        "escalation_mode": preference.escalation_mode,
        "quiet_start": preference.quiet_start,
        "quiet_end": preference.quiet_end,
        "language": preference.language,
    }


def _form_values(form: PreferenceForm, *, for_person: bool) -> dict:
    values = dict(form.cleaned_data)
    # A person who ticks nothing follows the department; a department that ticks nothing mutes nothing.
    if for_person and not values["muted_event_groups"]:
        values["muted_event_groups"] = None
    return values


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """My notification settings: which e-mails, quiet hours, daily digest, escalations, language."""
    person = _person(request)
    if person is None:
        raise PermissionDenied(_("Your login is not linked to a person in the organisation."))
    own, effective, department = selectors.person_preference(person=person)
    saved = ""
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.person_preference_update(
                    actor=request.user, person=person, **_form_values(form, for_person=True)
                )
            except ApplicationError as exc:
                place_error(exc, form=form)
            else:
                saved = _("Your notification settings are saved.")
                own, effective, department = selectors.person_preference(person=person)
    else:
        form = PreferenceForm(initial=_initial(own))
    context = {
        "form": form,
        "effective": effective,
        "department": department,
        "saved": saved,
        "has_email": bool(person.email),
        "managed": selectors.departments_managed(viewer=request.user),
    }
    if request.htmx:
        return render(request, "notify/_preferences_form.html", context)
    return render(request, "notify/preferences.html", context)


# --- a department's settings and robots ---------------------------------------------------------


def _department(request: HttpRequest, code: str):
    try:
        return selectors.department_for_manager(viewer=request.user, code=code)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc


def _department_context(request, department, *, form=None, robot_form=None, saved="") -> dict:
    preference = selectors.department_preference(department=department)
    return {
        "department": department,
        "form": form or PreferenceForm(initial=_initial(preference), for_person=False),
        "robot_form": robot_form or RobotForm(initial={"levels": ["action", "warning", "overdue"]}),
        "robots": selectors.robots_of(department=department),
        "saved": saved,
    }


@require_http_methods(["GET", "POST"])
def department_settings(request: HttpRequest, code: str) -> HttpResponse:
    """A department's defaults for its members, and its group robots."""
    department = _department(request, code)
    if request.method == "GET":
        return render(request, "notify/department.html", _department_context(request, department))
    form = PreferenceForm(request.POST, for_person=False)
    saved = ""
    if form.is_valid():
        try:
            services.department_preference_update(
                actor=request.user, department=department, **_form_values(form, for_person=False)
            )
        except ApplicationError as exc:
            place_error(exc, form=form)
        else:
            saved = _("The department's defaults are saved.")
            form = None
    context = _department_context(request, department, form=form, saved=saved)
    template = "notify/_department_form.html" if request.htmx else "notify/department.html"
    return render(request, template, context)


@require_POST
def robot_add(request: HttpRequest, code: str) -> HttpResponse:
    department = _department(request, code)
    form = RobotForm(request.POST)
    if form.is_valid():
        try:
            services.robot_create(actor=request.user, department=department, **form.cleaned_data)
        except ApplicationError as exc:
            place_error(exc, form=form)
        else:
            messages.success(request, _("Robot %(name)s connected.") % {"name": form.cleaned_data["name"]})
            return redirect("notify:department", code=department.code)
    return render(
        request, "notify/department.html", _department_context(request, department, robot_form=form)
    )


@require_POST
def robot_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    robot = _robot(request, pk)
    services.robot_update(actor=request.user, robot=robot, is_active=not robot.is_active)
    return redirect("notify:department", code=robot.department.code)


@require_POST
def robot_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Disconnect a robot (the page asks for confirmation first)."""
    robot = _robot(request, pk)
    code = robot.department.code
    services.robot_delete(actor=request.user, robot=robot)
    messages.success(request, _("Robot %(name)s disconnected.") % {"name": robot.name})
    return redirect("notify:department", code=code)


def _robot(request, pk: int):
    try:
        return selectors.robot_get(viewer=request.user, pk=pk)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc


# --- the outbox (operators) -------------------------------------------------------------------


def _require_operator(request) -> None:
    try:
        selectors.require_operator(request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """Pending, failed (with the error), delivered and discarded outgoing messages."""
    _require_operator(request)
    tab = request.GET.get("tab", "pending")
    if tab not in selectors.OUTBOX_TABS:
        tab = "pending"
    channel = request.GET.get("channel", "")
    query = request.GET.get("q", "").strip()
    rows = selectors.outbox_list(viewer=request.user, tab=tab, channel=channel, query=query)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    filters = urlencode({k: v for k, v in {"tab": tab, "channel": channel, "q": query}.items() if v})
    context = {
        "page": page,
        "tab": tab,
        "channel": channel,
        "query": query,
        "filters": filters,
        "counts": selectors.outbox_counts(viewer=request.user),
        "channels": Channel.choices,
    }
    template = "notify/_outbox_table.html" if request.htmx else "notify/outbox.html"
    return render(request, template, context)


def _back_to_outbox(request) -> HttpResponse:
    return redirect(request.POST.get("next") or reverse("notify:outbox"))


@require_POST
def outbox_retry(request: HttpRequest) -> HttpResponse:
    _require_operator(request)
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    count = services.deliveries_retry(
        actor=request.user, ids=ids, all_failed=request.POST.get("all_failed") == "1"
    )
    messages.success(request, _("%(count)s messages will be sent again.") % {"count": count})
    return _back_to_outbox(request)


@require_POST
def outbox_discard(request: HttpRequest) -> HttpResponse:
    """Give up on messages (the page asks for confirmation first)."""
    _require_operator(request)
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    count = services.deliveries_discard(actor=request.user, ids=ids)
    messages.success(request, _("%(count)s messages discarded.") % {"count": count})
    return _back_to_outbox(request)
