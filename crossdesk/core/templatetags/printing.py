"""Template tags of the printed forms (``core/printing.py``)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

CHECKED = "■"
UNCHECKED = "□"


@register.simple_tag
def tick_boxes(choices, value) -> str:
    """A paper form's row of boxes (``□普通 ■紧急 □特急``), the chosen one filled in;
    ``choices`` is a ``TextChoices`` class or a list of ``(value, label)``."""
    pairs = choices.choices if hasattr(choices, "choices") else choices
    return format_html_join(
        "",
        '<span class="cd-box" data-chosen="{}">{} {}</span>',
        (
            (
                "yes" if str(key) == str(value) else "no",
                CHECKED if str(key) == str(value) else UNCHECKED,
                label,
            )
            for key, label in pairs
        ),
    )


@register.simple_tag
def tick_box(checked, label) -> str:
    return format_html('<span class="cd-box">{} {}</span>', CHECKED if checked else UNCHECKED, label)


@register.filter
def css_string(value) -> str:
    """``value`` as the inside of a double-quoted CSS string (page headers and footers):
    quotes and backslashes escaped the CSS way, line breaks as spaces, and ``<`` escaped so
    the text can never close the ``<style>`` element it sits in."""
    text = " ".join(str(value).split())
    return mark_safe(text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C "))  # noqa: S308
