"""The working-day calendar's data (SPEC §2): days that differ from Monday–Friday, the years
whose statutory schedule is known, and the working hours. ``lib.WorkCalendar`` computes
on a snapshot of these rows; ``selectors.get_calendar()`` builds and caches it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crossdesk.core.models import TimeStampedModel

from .lib import DEFAULT_PERIODS, HORIZON_FIRST_YEAR, HORIZON_LAST_YEAR


class Layer(models.TextChoices):
    """Which source decided a day. The company layer wins over the statutory one."""

    STATUTORY = "statutory", _("Statutory")
    COMPANY = "company", _("Company")


class YearSource(models.TextChoices):
    """Where a year's statutory schedule came from."""

    CHINESE_CALENDAR = "chinese_calendar", _("chinese-calendar package")
    OFFICIAL = "official", _("Entered by an administrator")


class CalendarDay(TimeStampedModel):
    """A day that is not simply "Monday to Friday working, weekend off" in one layer.

    Statutory rows: holidays (法定节假日, including the weekend days inside them, so the
    month view can name them) and make-up working days (调休上班). Company rows: an
    administrator's day off (公司休息日) or extra working day (额外工作日); they win.
    """

    date = models.DateField(_("date"))
    layer = models.CharField(_("layer"), max_length=20, choices=Layer.choices)
    is_working = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    note = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date", "layer"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "layer"],
                name="workcal_day_unique_per_layer",
                violation_error_message=_("This day already has an entry in this layer."),
            ),
            models.CheckConstraint(
                condition=models.Q(layer__in=Layer.values),
                name="workcal_day_layer_valid",
                violation_error_message=_("The layer must be statutory or company."),
            ),
        ]

    def __str__(self) -> str:
        state = _("working day") if self.is_working else _("day off")
        return f"{self.date} {self.get_layer_display()} {state} {self.name}".strip()


class CalendarYear(TimeStampedModel):
    """A year whose statutory schedule is known. Other years count weekends only."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=20, choices=YearSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=HORIZON_FIRST_YEAR, year__lte=HORIZON_LAST_YEAR),
                name="workcal_year_in_horizon",
                violation_error_message=_("The calendar covers the years 2000 to 2100."),
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=YearSource.values),
                name="workcal_year_source_valid",
                violation_error_message=_("Unknown source of a statutory schedule."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.get_source_display()})"


def default_periods() -> list[list[str]]:
    return [list(pair) for pair in DEFAULT_PERIODS]


def default_time_zone() -> str:
    return settings.TIME_ZONE


class WorkSettings(TimeStampedModel):
    """The one row of working hours and time zone, and the calendar's version.

    ``periods`` is a list of ``["09:00", "12:00"]`` pairs, in order, not overlapping.
    Every change to the calendar (days, years, hours) bumps ``version`` and renews
    ``revision`` in the same transaction: processes rebuild their cached calendar when the
    revision they hold is no longer the current one.
    """

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    periods = models.JSONField(_("working periods"), default=default_periods)
    time_zone = models.CharField(_("time zone"), max_length=64, default=default_time_zone)
    version = models.PositiveBigIntegerField(_("version"), default=1)
    revision = models.UUIDField(_("revision"), default=uuid.uuid4)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1),
                name="workcal_settings_singleton",
                violation_error_message=_("There is only one set of working hours."),
            ),
        ]

    def __str__(self) -> str:
        periods = ", ".join(f"{start}–{end}" for start, end in self.periods)
        return f"{periods} ({self.time_zone})"
