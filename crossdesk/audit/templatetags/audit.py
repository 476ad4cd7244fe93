"""``{% audit_history record %}``: a record page's history tab, loaded on demand from
``audit:record``; ``event|audit_changes``: an audit row's changes as (field, old, new)."""

from __future__ import annotations

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

register = template.Library()


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


@register.filter
def audit_changes(event) -> list[tuple[str, str, str]]:
    model = event.content_type.model_class()
    lines = []
    for name, values in (event.changes or {}).items():
        try:
            label = str(model._meta.get_field(name).verbose_name) if model else name
        except FieldDoesNotExist:
            label = name
        if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": "add", "objects": [...]}
            sign = "+" if values.get("operation") == "add" else "−"
            lines.append((label, "", f"{sign} {'、'.join(map(str, values.get('objects', [])))}"))
        else:
            old, new = (list(values) + [None, None])[:2]
            lines.append((label, _shown(old), _shown(new)))
    return lines


@register.inclusion_tag("audit/_history_tab.html")
def audit_history(record):
    """A "History" section whose rows load when it is opened (no query until then)."""
    meta = record._meta
    return {"object_type": f"{meta.app_label}.{meta.model_name}", "object_id": record.pk}
