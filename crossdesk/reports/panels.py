"""What reports adds to pages of other apps (registered in ``ReportsConfig.ready()``)."""

from __future__ import annotations

from typing import Any


def workbench_dashboards(*, user: Any, **context: Any) -> dict[str, Any] | None:
    """Heads and supervisors (and administrators) land on their departments' dashboards."""
    from crossdesk.org.selectors import roles_for

    roles = roles_for(user)
    led = roles.head_of | roles.supervises
    if not led and not roles.is_admin:
        return None
    departments = sorted(
        (
            (roles.department_codes[pk], roles.department_names[pk])
            for pk in led
            if pk in roles.department_codes
        ),
        key=lambda pair: pair[1],
    )
    return {"template": "reports/_workbench.html", "context": {"report_departments": departments}}


def project_charts(*, board: Any, **context: Any) -> dict[str, Any] | None:
    """On a project page: its task health and goal progress as charts, their numbers in a table."""
    from django.utils.translation import gettext as _

    metrics = [m for m in board.metrics if m.progress_percent is not None]
    if not board.task_total and not metrics:
        return None
    health = [(label, n) for _value, label, n in board.health_labels]
    charts = {
        "project_health": {
            "kind": "bars",
            "labels": [label for label, _n in health],
            "series": [{"name": _("Tasks"), "data": [n for _label, n in health]}],
        },
        "project_goals": {
            "kind": "bars",
            "labels": [m.metric for m in metrics],
            "percent": True,
            "series": [{"name": _("Goal progress (%)"), "data": [m.progress_percent for m in metrics]}],
        },
    }
    return {
        "template": "reports/_project_charts.html",
        "context": {"health": health, "metrics": metrics, "charts": charts},
    }
