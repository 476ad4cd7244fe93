"""What part B's API modules share: the caller's roles, and the rule that a caller who
may not see a project gets 404 rather than 403 (its existence does not leak)."""

from __future__ import annotations

from crossdesk.core.errors import PermissionDeniedError
from crossdesk.core.schemas import error_responses
from crossdesk.org.selectors import Roles, roles_for

from ..selectors import project_get_for_viewer

WRITE_ERRORS = error_responses(400, 403, 404, 409)
READ_ERRORS = error_responses(404)


def roles(request) -> Roles:
    return roles_for(request.auth)


def guarded(request, project_id: int | None, call):
    """Run a service call; on 403 answer 404 when the caller may not see the project."""
    try:
        return call()
    except PermissionDeniedError:
        if project_id is not None:
            project_get_for_viewer(roles=roles(request), pk=project_id)
        raise


def body(payload) -> tuple[dict, int | None]:
    """The fields the caller sent (unset ones left out) and the ``version`` they read."""
    data = payload.model_dump(exclude_unset=True)
    return data, data.pop("version", None)
