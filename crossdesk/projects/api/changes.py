"""Change requests and plan versions API (SPEC §5 [004])."""

from __future__ import annotations

from ninja import Router, Status

from ..models import ChangeRequest
from ..schemas import (
    ChangeIn,
    ChangeOut,
    DecisionIn,
    DiffRowOut,
    PlanVersionDetailOut,
    PlanVersionOut,
    ReasonIn,
)
from ..selectors import changes as selectors
from ..services import changes as services
from ._common import READ_ERRORS, WRITE_ERRORS, call, project_id_of, roles

router = Router(tags=["projects"])


def _change(request, project_id: int | None, change_id: int):
    return selectors.change_request_for_viewer(roles=roles(request), project_id=project_id, pk=change_id)


@router.get("/{int:project_id}/changes", response={200: list[ChangeOut], **READ_ERRORS})
def change_list(request, project_id: int, status: str | None = None):
    """The project's change requests, newest first (``status=submitted``: waiting for approval)."""
    _project, changes = selectors.change_requests_for_viewer(
        roles=roles(request), project_id=project_id, status=status
    )
    return changes


@router.post("/{int:project_id}/changes", response={201: ChangeOut, **WRITE_ERRORS})
def change_raise(request, project_id: int, payload: ChangeIn):
    """Raise a change request. ``proposal``: ``{"tasks": [{"task": id|code, "planned_start"?,
    "planned_finish"?}], "goal_metrics": [{"metric": id, "target"?, "target_date"?}],
    "planned_finish"?}``; ``departments``: further departments whose heads must approve."""
    data = payload.model_dump()
    change = call(request, project_id, services.change_request_raise, project_id=project_id, data=data)
    return Status(201, _change(request, project_id, change.pk))


@router.get("/{int:project_id}/changes/{int:change_id}", response={200: ChangeOut, **READ_ERRORS})
def change_detail(request, project_id: int, change_id: int):
    return _change(request, project_id, change_id)


@router.post("/changes/{int:change_id}/decide", response={200: ChangeOut, **WRITE_ERRORS})
def change_decide(request, change_id: int, payload: DecisionIn):
    """An affected head approves (``approved``) or rejects (``rejected``, ``comment`` required).
    The last approval applies the change and keeps a new plan version."""
    project_id = project_id_of(ChangeRequest, change_id)
    decision = payload.model_dump()  # decision, comment, department, version
    call(request, project_id, services.change_request_decide, change_id=change_id, **decision)
    return _change(request, project_id, change_id)


@router.post("/changes/{int:change_id}/withdraw", response={200: ChangeOut, **WRITE_ERRORS})
def change_withdraw(request, change_id: int, payload: ReasonIn):
    """The requester (or the project lead) withdraws a change request still waiting for approval."""
    project_id = project_id_of(ChangeRequest, change_id)
    call(request, project_id, services.change_request_withdraw, change_id=change_id, **payload.model_dump())
    return _change(request, project_id, change_id)


@router.get("/{int:project_id}/plan-versions", response={200: list[PlanVersionOut], **READ_ERRORS})
def plan_version_list(request, project_id: int):
    """Every version of the plan: 1 as agreed at the kickoff, one more per applied change."""
    project = selectors.project_get_for_viewer(roles=roles(request), pk=project_id)
    return list(selectors.plan_versions(project))


@router.get(
    "/{int:project_id}/plan-versions/{int:number}", response={200: PlanVersionDetailOut, **READ_ERRORS}
)
def plan_version_detail(request, project_id: int, number: int):
    return selectors.plan_version_for_viewer(roles=roles(request), project_id=project_id, number=number)


@router.get(
    "/{int:project_id}/plan-versions/{int:old}/diff/{int:new}",
    response={200: list[DiffRowOut], **READ_ERRORS},
)
def plan_version_diff(request, project_id: int, old: int, new: int):
    """What changed between two versions of the plan, one row per changed value."""
    a = selectors.plan_version_for_viewer(roles=roles(request), project_id=project_id, number=old)
    b = selectors.plan_version_for_viewer(roles=roles(request), project_id=project_id, number=new)
    return services.plan_diff(a.snapshot, b.snapshot)
