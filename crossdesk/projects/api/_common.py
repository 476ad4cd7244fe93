"""What the project API modules share: the caller's roles, 404-before-403 for projects the
caller may not see, and the output shapes built from the selectors (constant queries)."""

from __future__ import annotations

from crossdesk.core.errors import PermissionDeniedError
from crossdesk.core.schemas import error_responses
from crossdesk.org.selectors import Roles, roles_for

from ..models import Task
from ..selectors import project_get_for_viewer
from ..selectors.tasks import role_of

WRITE = (400, 403, 404, 409)
TASK_FIELDS = (
    *("id", "project_id", "code", "title", "description", "delivery_standard", "deliverable"),
    *("planned_start", "planned_finish", "actual_start", "actual_finish"),
    *("progress", "status", "health", "version"),
)
WRITE_ERRORS = error_responses(*WRITE)
READ_ERRORS = error_responses(404)


def roles(request) -> Roles:
    return roles_for(request.auth)


def call(request, project_id: int, service, /, **kwargs):
    """Run a service as the caller; a caller who may not see the project gets 404 rather
    than 403, so its existence does not leak (checked only on refusal)."""
    try:
        return service(actor=request.auth, **kwargs)
    except PermissionDeniedError:
        project_get_for_viewer(roles=roles(request), pk=project_id)
        raise


def call_in(request, project_id: int, service, /, **kwargs):
    """``call`` for a service of the project in the URL: it gets ``project_id`` too, so a task,
    sub-goal or coordination of another project is refused there (404)."""
    return call(request, project_id, service, project_id=project_id, **kwargs)


def project_id_of(model, pk: int) -> int | None:
    """The project of a row the URL names without its project (``/changes/{id}/…``); when
    there is no such row the service answers 404."""
    return model._default_manager.filter(pk=pk).values_list("project_id", flat=True).first()


def task_out(task: Task, parts, without_a: set[int] | None = None) -> dict:
    roles_ = [
        {"participation_id": p.pk, "department_code": p.department.code, "role": role_of(task, p)}
        for p in parts
    ]
    has_a = any(r["role"] == "A" for r in roles_)
    no_accountable = not has_a if without_a is None else task.pk in without_a
    fields = {f: getattr(task, f) for f in TASK_FIELDS}
    return {
        **fields,
        "responsible": task.responsible,
        "owner": task.owner,
        "roles": roles_,
        "no_accountable": no_accountable,
    }


def sent(payload) -> tuple[dict, int | None]:
    """The fields the caller sent (unset ones left out) and the ``version`` they read."""
    data = payload.model_dump(exclude_unset=True)
    return data, data.pop("version", None)
