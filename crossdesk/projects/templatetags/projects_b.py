"""Part B's block on the project dashboard: the change requests waiting for approval
(``{% projects_b_dashboard project %}``). Its pages are reached from the tabs every project
page shows (``projects.project_extra_tabs``)."""

from django import template

from ..choices import ChangeStatus

register = template.Library()


@register.inclusion_tag("projects/changes/_dashboard.html")
def projects_b_dashboard(project):
    pending = list(
        project.change_requests.filter(status=ChangeStatus.SUBMITTED)
        .select_related("requested_by")
        .order_by("-number")[:10]
    )
    return {"project": project, "pending": pending}
