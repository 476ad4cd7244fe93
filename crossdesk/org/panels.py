"""What org adds to pages of other apps (registered in ``OrgConfig.ready()``): the "My roles"
card of the workbench, so ``core`` does not import org."""

from __future__ import annotations

from typing import Any

from .selectors import roles_for


def workbench_roles(*, user: Any, **context: Any) -> dict[str, Any]:
    """The roles the signed-in person holds (the roles are computed once per web request)."""
    return {"template": "org/_workbench_roles.html", "context": {"roles": roles_for(user)}}
