"""Labels of the calendar's day kinds, for the month view and the day panel."""

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crossdesk.workcal.lib import DayInfo, DayKind

register = template.Library()

KIND_LABELS = {
    DayKind.WORKDAY: _("Working day"),
    DayKind.WEEKEND: _("Weekend"),
    DayKind.HOLIDAY: _("Statutory holiday"),
    DayKind.MAKEUP: _("Make-up working day"),
    DayKind.COMPANY_OFF: _("Company day off"),
    DayKind.COMPANY_WORK: _("Extra working day"),
}
OFF_BADGE = pgettext_lazy("calendar badge on a day off", "Off")
WORK_BADGE = pgettext_lazy("calendar badge on a make-up or extra working day", "Work")


@register.filter
def day_kind(kind) -> str:
    """``holiday`` → 法定节假日."""
    return str(KIND_LABELS.get(kind, kind))


@register.filter
def day_badge(info: DayInfo) -> str:
    """休 on holidays and company days off, 班 on make-up and extra working days."""
    if info.kind in (DayKind.HOLIDAY, DayKind.COMPANY_OFF):
        return str(OFF_BADGE)
    if info.kind in (DayKind.MAKEUP, DayKind.COMPANY_WORK):
        return str(WORK_BADGE)
    return ""
