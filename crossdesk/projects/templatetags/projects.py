"""Template helpers of the project pages."""

from django import template

from ..choices import TaskHealth

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``counts|get_item:"running"``: a dict value by key in a template."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def project_extra_tabs(project):
    """Part B's tabs (communication plan, change requests, deliverables, retrospective,
    archive list, knowledge base) for ``_tabs.html``, so every project page shows all tabs
    whichever view rendered it."""
    from ..views._partb import tabs_b

    return tabs_b(project)


@register.inclusion_tag("projects/_health.html")
def health_badge(value):
    return {"health": value, "label": TaskHealth(value).label if value in TaskHealth.values else value}
