"""The meeting calendar (month and week, working days from the company calendar), the
meeting list and the action-item list, each through the one FilterSet of its list."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from crossdesk.collaboration import selectors as request_selectors
from crossdesk.collaboration.views.detail import render_detail as render_request_detail
from crossdesk.core.errors import ApplicationError, PermissionDeniedError
from crossdesk.core.exporting import Column, bad_filter_response, xlsx_response
from crossdesk.core.records.views import html_errors
from crossdesk.deadlines.selectors import live_clocks_by_subject
from crossdesk.org.selectors import department_choices, roles_for
from crossdesk.workcal.selectors import days_between, month_days

from .. import flows, permissions, selectors
from ..choices import ActionStatus, MeetingKind, MeetingStatus
from ..filters import action_item_filter_from_params, meeting_filter_from_params
from ..forms import RequestItemForm
from ..models import ActionItem
from .detail import item_buttons

PER_PAGE = 50


def _filters(request):
    try:
        return meeting_filter_from_params(request.GET), ""
    except ApplicationError as exc:
        return meeting_filter_from_params({}), exc.message


def _common(request) -> dict:
    return {
        "kinds": MeetingKind.choices,
        "statuses": MeetingStatus.choices,
        "departments": department_choices(),
        "params": request.GET,
    }


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@require_GET
@html_errors
def meeting_calendar(request):
    """Month grid (default) or week view; holidays and weekends shaded from the workcal."""
    roles = roles_for(request.user)
    filters, error = _filters(request)
    view = "week" if request.GET.get("view") == "week" else "month"
    anchor = _day(request.GET.get("date"))
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        days = days_between(start, start + timedelta(days=6))
        week = [
            {"info": d, "in_month": True, "date": d.date, "css": "" if d.is_working else "off"} for d in days
        ]
        weeks = [week]
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
        title = start
    else:
        month = month_days(anchor.year, anchor.month)
        weeks = [
            [{"info": c.info, "in_month": c.in_month, "date": c.date, "css": c.css} for c in week]
            for week in month.weeks
        ]
        previous = month.first - timedelta(days=1)
        following = (month.first + timedelta(days=32)).replace(day=1)
        title = month.first
    filters.date_from, filters.date_to = weeks[0][0]["date"], weeks[-1][-1]["date"]
    by_day = defaultdict(list)
    for meeting in selectors.meeting_list(roles=roles, filters=filters).filter(starts_at__isnull=False):
        by_day[timezone.localdate(meeting.starts_at)].append(meeting)
    for week in weeks:
        for cell in week:
            cell["meetings"] = sorted(by_day.get(cell["date"], []), key=lambda m: m.starts_at)
    today = timezone.localdate()
    context = {
        **_common(request),
        "view": view,
        "weeks": weeks,
        "title": title,
        "anchor": anchor,
        "previous": previous,
        "following": following,
        "today": today,
        "has_meetings": bool(by_day),
        "filter_error": error,
        "query": _query(request, exclude=("date", "view")),
    }
    return render(request, "meetings/calendar.html", context, status=400 if error else 200)


def _query(request, exclude=("page",)) -> str:
    params = request.GET.copy()
    for name in exclude:
        params.pop(name, None)
    return params.urlencode()


@require_GET
@html_errors
def meeting_list(request):
    roles = roles_for(request.user)
    filters, error = _filters(request)
    rows = selectors.meeting_list(roles=roles, filters=filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {**_common(request), "page": page, "filter_error": error, "query": _query(request)}
    return render(request, "meetings/list.html", context, status=400 if error else 200)


def _item_params(request):
    """The query, mine by default (``owner=`` means anyone's)."""
    params = request.GET.copy()
    if "owner" not in params:
        params["owner"] = "me"
    return params


def _item_rows(roles, params, filters):
    rows = selectors.action_item_list(roles=roles, filters=filters)
    department = params.get("department", "")
    if department.isdigit():
        rows = rows.filter(department_id=int(department))
    return rows


@require_GET
@html_errors
def action_item_list(request):
    """Action items, mine by default; the owner reports progress and completion inline."""
    roles = roles_for(request.user)
    params = _item_params(request)
    error = ""
    try:
        filters = action_item_filter_from_params(params, roles=roles)
    except ApplicationError as exc:
        filters, error = action_item_filter_from_params({"owner": "me"}, roles=roles), exc.message
    rows = _item_rows(roles, params, filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    clocks = live_clocks_by_subject(ActionItem, [i.pk for i in items])
    now = timezone.now()
    table = []
    for item in items:
        table.append(
            {
                "item": item,
                "clock": selectors.due_clock(clocks.get(item.pk, [])),
                "forms": item_buttons(item, permissions.item_actions(roles, item)),
                "late": item.due_at and item.due_at < now,
            }
        )
    context = {
        "page": page,
        "rows": table,
        "params": params,
        "statuses": ActionStatus.choices,
        "departments": department_choices(),
        "filter_error": error,
        "query": _query(request),
        "here": request.get_full_path(),
    }
    return render(request, "meetings/action_items.html", context, status=400 if error else 200)


# --- Excel exports: the rows of the list page with the same filters -----------------------


def _departments(meeting) -> str:
    return "、".join(part.department.name for part in meeting.departments.all())


MEETING_COLUMNS = (
    Column(_("Number"), lambda m: m.number or _now("Draft"), 16),
    Column(_("Subject"), lambda m: m.title, 36),
    Column(_("Kind"), lambda m: m.get_kind_display(), 12),
    Column(_("Status"), lambda m: m.get_status_display(), 10),
    Column(_("Starts at"), lambda m: m.starts_at, 17),
    Column(_("Ends at"), lambda m: m.ends_at, 17),
    Column(_("Place"), lambda m: m.location_text, 24),
    Column(_("Initiating department"), lambda m: m.initiating_department.name, 14),
    Column(_("Initiator"), lambda m: m.initiator.name, 10),
    Column(_("Recorder"), lambda m: m.recorder.name if m.recorder_id else "", 10),
    Column(_("Participating departments"), _departments, 28),
)


@require_GET
@html_errors
def meeting_export(request):
    """Exactly the filtered rows of the meeting list (every page), as .xlsx."""
    try:
        filters = meeting_filter_from_params(request.GET)
    except ApplicationError as exc:
        return bad_filter_response(exc)
    rows = selectors.meeting_list(roles=roles_for(request.user), filters=filters).iterator(chunk_size=500)
    return xlsx_response("meetings", _("Meetings"), MEETING_COLUMNS, rows)


def _source(item: ActionItem) -> str:
    if item.meeting_id:
        return item.meeting.number or item.meeting.title
    return item.request.number if item.request_id else ""


ACTION_ITEM_COLUMNS = (
    Column(_("Action item"), lambda i: i.action, 40),
    Column(pgettext_lazy("source", "From"), _source, 16),
    Column(_("Owner"), lambda i: i.owner.name if i.owner_id else "", 10),
    Column(_("Department"), lambda i: i.department.name if i.department_id else "", 14),
    Column(_("Deadline"), lambda i: i.due_at, 17),
    Column(_("Status"), lambda i: i.get_status_display(), 10),
    Column(_("Support needed"), lambda i: i.support_needed, 24),
    Column(
        _("Supporting department"), lambda i: i.support_department.name if i.support_department_id else "", 14
    ),
    Column(_("Follow-up person"), lambda i: i.follow_up_person.name if i.follow_up_person_id else "", 10),
    Column(_("Latest progress"), lambda i: i.progress_note, 30),
    Column(_("Result"), lambda i: i.result, 30),
    Column(_("Finished at"), lambda i: i.completed_at, 17),
)


@require_GET
@html_errors
def action_item_export(request):
    """Exactly the filtered rows of the action-item list (every page), as .xlsx."""
    roles = roles_for(request.user)
    params = _item_params(request)
    try:
        filters = action_item_filter_from_params(params, roles=roles)
    except ApplicationError as exc:
        return bad_filter_response(exc)
    rows = _item_rows(roles, params, filters).iterator(chunk_size=500)
    return xlsx_response("action-items", _("Action items"), ACTION_ITEM_COLUMNS, rows)


# --- the request page's action items ------------------------------------------------------


@require_POST
@html_errors
def request_item_create(request, request_id):
    """Anyone involved in an open request raises a tracked action item on it."""
    request_selectors.request_get_for_viewer(roles=roles_for(request.user), pk=request_id)
    form = RequestItemForm(request.POST)
    error = None
    if form.is_valid():
        d = dict(form.cleaned_data)
        try:
            flows.action_item_from_request(
                actor=request.user, request_id=request_id, owner_id=d.pop("owner"), **d
            )
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("Action item created; the owner is told."))
            return redirect("collaboration:detail", request_id)
    # Back to the request page with what was typed and each error next to its field.
    return render_request_detail(request, request_id, item_data=request.POST, item_error=error, status=400)
