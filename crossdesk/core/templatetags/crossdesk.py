from datetime import date, datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()

WEEKDAYS_ZH = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
WEEKDAYS_EN = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def choice_label(choices, value) -> str:
    """The label of a stored choice value (the value itself when it is not one of them)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def badge(choices, value, testid: str, colours=None, default: str = "text-bg-light") -> str:
    """A status (or kind, urgency…) as a coloured badge: ``colours`` maps a value to its classes."""
    return format_html(
        '<span class="badge {}" data-testid="{}">{}</span>',
        (colours or {}).get(value, default),
        testid,
        choice_label(choices, value),
    )


@register.filter
def longdate(value):
    """A date as people read it: ``2026年10月10日 周六`` in Chinese, ``Sat 10 Oct 2026`` in English."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, date):
        return value
    if (get_language() or "zh-hans").startswith("zh"):
        return f"{value.year}年{value.month}月{value.day}日 {WEEKDAYS_ZH[value.weekday()]}"
    return f"{WEEKDAYS_EN[value.weekday()]} {formats.date_format(value, 'j M Y')}"


@register.filter
def longdatetime(value):
    """A moment in the site's time zone: ``2026年10月10日 周六 14:30``."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{longdate(local.date())} {local:%H:%M}"
