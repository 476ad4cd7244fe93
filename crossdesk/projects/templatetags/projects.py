"""Template helpers of the project pages."""

from django import template

from ..choices import ChangeStatus, TaskHealth

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``counts|get_item:"running"``: a dict value by key in a template."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.inclusion_tag("projects/_health.html")
def health_badge(value):
    return {"health": value, "label": TaskHealth(value).label if value in TaskHealth.values else value}


@register.inclusion_tag("projects/changes/_dashboard.html")
def change_requests_pending(project):
    """The change requests waiting for approval, on the project dashboard."""
    pending = list(
        project.change_requests.filter(status=ChangeStatus.SUBMITTED)
        .select_related("requested_by")
        .order_by("-number")[:10]
    )
    return {"project": project, "pending": pending}
