"""The calendar pages: the month view for everyone, the editing forms for administrators.

Thin: parse, call one selector or service, render. One view serves the full page and its
htmx fragment (``_*.html``); a service's ApplicationError re-renders the form with the
message next to its field, nothing changed.
"""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import available_timezones

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crossdesk.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from crossdesk.core.templatetags.crossdesk import longdate

from . import selectors, services
from .forms import (
    HOLIDAY_NAMES,
    HolidayFormSet,
    OverrideForm,
    PeriodFormSet,
    TimeZoneForm,
    WorkdayFormSet,
    place_error,
)
from .lib import HORIZON_FIRST_YEAR, HORIZON_LAST_YEAR
from .models import YearSource

MONTH_PARAM = re.compile(r"^(\d{4})-(\d{1,2})$")


def _require_admin(request: HttpRequest) -> None:
    if not selectors.can_edit_calendar(request.user):
        raise PermissionDenied(_("Only an administrator can change the working-day calendar."))


def _month_of(request: HttpRequest) -> tuple[int, int]:
    """``?month=2026-10``; today's month when absent or unreadable, 404 outside the calendar."""
    today = timezone.localdate()
    match = MONTH_PARAM.match(request.GET.get("month", "").strip())
    if not match:
        return today.year, today.month
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return today.year, today.month
    if not HORIZON_FIRST_YEAR <= year <= HORIZON_LAST_YEAR:
        raise Http404("outside the calendar's years")
    return year, month


def _month_context(request: HttpRequest, year: int, month: int) -> dict:
    can_edit = selectors.can_edit_calendar(request.user)
    return {
        "m": selectors.month_days(year, month),
        "can_edit": can_edit,
        "warnings": selectors.calendar_warnings() if can_edit else [],
        "today": timezone.localdate(),
        "YearSource": YearSource,
    }


@require_GET
def month(request: HttpRequest) -> HttpResponse:
    """The month grid: holidays, make-up days and company changes marked."""
    year, month_no = _month_of(request)
    context = _month_context(request, year, month_no)
    if request.htmx and request.htmx.target == "cd-month":
        return render(request, "workcal/_month.html", context)
    return render(request, "workcal/month.html", context)


def _day_or_404(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Http404("not a date") from None
    if not HORIZON_FIRST_YEAR <= day.year <= HORIZON_LAST_YEAR:
        raise Http404("outside the calendar's years")
    return day


def _render_day(
    request: HttpRequest, day: date, form: OverrideForm | None = None, *, saved: str = "", status=200
):
    override = selectors.override_get(day)
    if form is None:
        info = selectors.get_calendar().day_info(day)
        initial = {"kind": "work" if not info.is_working else "off"}
        if override is not None:
            initial = {
                "kind": "work" if override.is_working else "off",
                "name": override.name,
                "note": override.note,
            }
        form = OverrideForm(initial=initial)
    context = {
        "day": day,
        "info": selectors.get_calendar().day_info(day),
        "override": override,
        "form": form,
        "can_edit": selectors.can_edit_calendar(request.user),
        "saved": saved,
    }
    if request.htmx:
        context["oob_month"] = bool(saved)
        if saved:
            context.update(_month_context(request, day.year, day.month))
        return render(request, "workcal/_day.html", context, status=status)
    return render(request, "workcal/day.html", context, status=status)


def _after_change(request: HttpRequest, day: date, message: str) -> HttpResponse:
    if request.htmx:
        return _render_day(request, day, saved=message)
    messages.success(request, message)
    return redirect(f"{reverse('workcal:month')}?month={day:%Y-%m}")


@require_http_methods(["GET", "POST"])
def day_detail(request: HttpRequest, day: str) -> HttpResponse:
    """One day: what it is and why; administrators set or change the company's override."""
    the_day = _day_or_404(day)
    if request.method == "GET":
        return _render_day(request, the_day)
    _require_admin(request)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_set(
                actor=request.user,
                day=the_day,
                is_working=form.is_working,
                name=form.cleaned_data["name"],
                note=form.cleaned_data["note"],
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            if message := place_error(exc, form=form):
                form.add_error(None, message)
        else:
            return _after_change(request, the_day, _("Saved: %(date)s.") % {"date": longdate(the_day)})
    return _render_day(request, the_day, form)


@require_POST
def day_remove(request: HttpRequest, day: str) -> HttpResponse:
    """Remove the company's override on a day (the page asks for confirmation first)."""
    the_day = _day_or_404(day)
    _require_admin(request)
    try:
        services.override_remove(actor=request.user, day=the_day)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    return _after_change(
        request, the_day, _("The company change on %(date)s was removed.") % {"date": longdate(the_day)}
    )


def _schedule_initial(year: int) -> tuple[list[dict], list[dict]]:
    """The year's statutory schedule as form rows, or the seven holiday names to fill in."""
    ranges, makeup = selectors.statutory_schedule(year)
    holidays = [{"name": name, "first_day": first, "last_day": last} for name, first, last in ranges]
    workdays = [{"day": day} for day in makeup]
    return holidays or [{"name": name} for name in HOLIDAY_NAMES], workdays


def _padded(rows: list[dict], minimum: int) -> list[dict]:
    return rows + [{}] * max(0, minimum - len(rows)) + [{}]


@require_http_methods(["GET", "POST"])
def official_schedule(request: HttpRequest, year: int) -> HttpResponse:
    """Enter a year's statutory schedule, published by the State Council each November."""
    _require_admin(request)
    if not HORIZON_FIRST_YEAR <= year <= HORIZON_LAST_YEAR:
        raise Http404("outside the calendar's years")
    source = selectors.known_years().get(year)
    top_error = ""
    if request.method == "POST":
        holiday_formset = HolidayFormSet(request.POST, prefix="holidays")
        workday_formset = WorkdayFormSet(request.POST, prefix="workdays")
        if holiday_formset.is_valid() and workday_formset.is_valid():
            holiday_rows = [i for i, f in enumerate(holiday_formset.forms) if f.is_filled]
            workday_rows = [i for i, f in enumerate(workday_formset.forms) if f.cleaned_data.get("day")]
            try:
                services.official_schedule_enter(
                    actor=request.user,
                    year=year,
                    holidays=[
                        (
                            holiday_formset.forms[i].cleaned_data["name"],
                            holiday_formset.forms[i].cleaned_data["first_day"],
                            holiday_formset.forms[i].cleaned_data["last_day"],
                        )
                        for i in holiday_rows
                    ],
                    workdays=[workday_formset.forms[i].cleaned_data["day"] for i in workday_rows],
                )
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from exc
            except ApplicationError as exc:
                top_error = place_error(
                    exc,
                    formsets={
                        "holidays": (holiday_formset, holiday_rows),
                        "workdays": (workday_formset, workday_rows),
                    },
                )
            else:
                messages.success(
                    request,
                    _("The statutory schedule of %(year)s is saved; deadlines now count on it.")
                    % {"year": year},
                )
                return redirect(f"{reverse('workcal:month')}?month={year}-01")
    else:
        holidays, workdays = _schedule_initial(year)
        holiday_formset = HolidayFormSet(initial=_padded(holidays, 7), prefix="holidays")
        workday_formset = WorkdayFormSet(initial=_padded(workdays, 8), prefix="workdays")
    context = {
        "year": year,
        "source": source,
        "YearSource": YearSource,
        "holiday_formset": holiday_formset,
        "workday_formset": workday_formset,
        "top_error": top_error,
    }
    return render(request, "workcal/official.html", context)


@require_http_methods(["GET", "POST"])
def working_hours(request: HttpRequest) -> HttpResponse:
    """The working periods of every working day, and the calendar's time zone."""
    _require_admin(request)
    current = selectors.work_settings()
    top_error = ""
    if request.method == "POST":
        period_formset = PeriodFormSet(request.POST, prefix="periods")
        zone_form = TimeZoneForm(request.POST)
        if period_formset.is_valid() and zone_form.is_valid():
            rows = [i for i, f in enumerate(period_formset.forms) if f.cleaned_data.get("start")]
            periods = [
                (
                    period_formset.forms[i].cleaned_data["start"].strftime("%H:%M"),
                    period_formset.forms[i].cleaned_data["end"].strftime("%H:%M"),
                )
                for i in rows
            ]
            try:
                services.work_settings_update(
                    actor=request.user, periods=periods, time_zone=zone_form.cleaned_data["time_zone"]
                )
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from exc
            except ApplicationError as exc:
                top_error = place_error(exc, form=zone_form, formsets={"periods": (period_formset, rows)})
            else:
                messages.success(request, _("Working hours saved; deadlines now count on them."))
                return redirect("workcal:month")
    else:
        period_formset = PeriodFormSet(
            initial=_padded([{"start": s, "end": e} for s, e in current.periods], 3), prefix="periods"
        )
        zone_form = TimeZoneForm(initial={"time_zone": current.time_zone})
    context = {
        "period_formset": period_formset,
        "zone_form": zone_form,
        "top_error": top_error,
        "time_zones": sorted(available_timezones()),
        "current": current,
    }
    return render(request, "workcal/hours.html", context)
