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
