"""What workcal adds to pages of other apps (registered in ``WorkcalConfig.ready()``): the
calendar warnings an administrator sees on the workbench, so ``core`` does not import workcal."""

from __future__ import annotations

from typing import Any


def workbench_warnings(*, user: Any, **context: Any) -> dict[str, Any] | None:
    """This year's (or next year's) missing statutory schedule, for administrators only."""
    from crossdesk.org.selectors import roles_for

    from .selectors import calendar_warnings

    if not roles_for(user).is_admin:
        return None
    warnings = calendar_warnings()
    if not warnings:
        return None
    return {"template": "workcal/_workbench_warnings.html", "context": {"calendar_warnings": warnings}}
