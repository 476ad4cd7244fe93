"""Responsibility table and RACI grid endpoints (the same rows seen two ways)."""

from __future__ import annotations

from ninja import Router, Status

from ..schemas import RaciCellIn, RaciOut, ReasonIn, TaskDetailOut, TaskIn, TaskOut, TaskUpdateIn
from ..selectors.tasks import project_plan, task_page
from ..services import tasks as services
from ._common import READ_ERRORS, WRITE_ERRORS, call_in, roles, sent, task_out

router = Router()


def task_detail(request, project_id: int, task_id: int) -> dict:
    page = task_page(roles=roles(request), project_id=project_id, pk=task_id)
    return {
        **task_out(page.task, page.participations),
        "updates": page.updates,
        "problems": page.problems,
        "coordinations": page.coordinations,
        "actions": sorted(page.actions),
    }


@router.get("/{int:project_id}/tasks", response={200: list[TaskOut], **READ_ERRORS})
def list_tasks(request, project_id: int, health: str = "", department: int | None = None):
    """The responsibility table: each task with its ONE responsible department and all roles."""
    plan = project_plan(roles=roles(request), pk=project_id, health=health, department=department)
    return [task_out(t, plan.participations, plan.tasks_without_a) for t in plan.tasks]


@router.post("/{int:project_id}/tasks", response={201: TaskDetailOut, **WRITE_ERRORS})
def create_task(request, project_id: int, body: TaskIn):
    task = call_in(request, project_id, services.task_create, data=body.model_dump())
    return Status(201, task_detail(request, project_id, task.pk))


@router.get("/{int:project_id}/tasks/{int:task_id}", response={200: TaskDetailOut, **READ_ERRORS})
def get_task(request, project_id: int, task_id: int):
    """A task with its history, problem log, coordinations and what the caller may do now."""
    return task_detail(request, project_id, task_id)


@router.patch("/{int:project_id}/tasks/{int:task_id}", response={200: TaskDetailOut, **WRITE_ERRORS})
def update_task(request, project_id: int, task_id: int, body: TaskUpdateIn):
    """Change a task; after the kickoff its dates move only through coordination or a change request (409)."""
    data, version = sent(body)
    call_in(request, project_id, services.task_update, task_id=task_id, data=data, version=version)
    return task_detail(request, project_id, task_id)


@router.post("/{int:project_id}/tasks/{int:task_id}/cancel", response={200: TaskDetailOut, **WRITE_ERRORS})
def cancel_task(request, project_id: int, task_id: int, body: ReasonIn):
    call_in(request, project_id, services.task_cancel, task_id=task_id, **body.model_dump())
    return task_detail(request, project_id, task_id)


@router.get("/{int:project_id}/raci", response={200: RaciOut, **READ_ERRORS})
def raci(request, project_id: int):
    """The RACI grid with its flags: tasks without A, departments with no role anywhere."""
    plan = project_plan(roles=roles(request), pk=project_id)
    return {
        "tasks": [task_out(t, plan.participations, plan.tasks_without_a) for t in plan.tasks],
        "participants": plan.participations,
        "tasks_without_a": sorted(plan.tasks_without_a),
        "departments_without_role": sorted(plan.departments_without_role),
    }


@router.put("/{int:project_id}/tasks/{int:task_id}/raci", response={200: TaskDetailOut, **WRITE_ERRORS})
def set_raci(request, project_id: int, task_id: int, body: RaciCellIn):
    """Set one cell: R moves the responsibility, A moves the one A, C/I set, '' clears (R cannot be cleared)."""
    cell = {"participation_id": body.participation, "role": body.role, "version": body.version}
    call_in(request, project_id, services.raci_set, task_id=task_id, **cell)
    return task_detail(request, project_id, task_id)
