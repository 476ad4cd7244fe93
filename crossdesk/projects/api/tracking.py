"""Tracking endpoints: progress, problems, coordination of troubled tasks, the Gantt data."""

from __future__ import annotations

from ninja import Router, Status

from ..schemas import (
    CoordinationIn,
    CoordinationMeetingIn,
    CoordinationOut,
    GanttRowOut,
    ProblemIn,
    ProblemOut,
    ProgressUpdateIn,
    ResolveIn,
    TaskDetailOut,
)
from ..selectors.tasks import project_gantt
from ..services import tracking as services
from ._common import READ_ERRORS, WRITE_ERRORS, call_in, roles
from .tasks import task_detail

router = Router()


@router.post("/{int:project_id}/tasks/{int:task_id}/progress", response={200: TaskDetailOut, **WRITE_ERRORS})
def update_progress(request, project_id: int, task_id: int, body: ProgressUpdateIn):
    """The owner reports progress, actual dates, a note; health is derived, never sent."""
    call_in(request, project_id, services.task_update_progress, task_id=task_id, **body.model_dump())
    return task_detail(request, project_id, task_id)


@router.post("/{int:project_id}/tasks/{int:task_id}/problems", response={201: ProblemOut, **WRITE_ERRORS})
def report_problem(request, project_id: int, task_id: int, body: ProblemIn):
    """Log a problem; a blocking one makes the task blocked (and starts the 48-hour clock)."""
    problem = call_in(request, project_id, services.task_report_problem, task_id=task_id, **body.model_dump())
    return Status(201, problem)


@router.post(
    "/{int:project_id}/problems/{int:problem_id}/resolve",
    response={200: ProblemOut, **WRITE_ERRORS},
)
def resolve_problem(request, project_id: int, problem_id: int, body: ResolveIn):
    resolution = {"problem_id": problem_id, "resolution": body.resolution}
    return call_in(request, project_id, services.task_resolve_problem, **resolution)


@router.post(
    "/{int:project_id}/coordinations/{int:coordination_id}/meeting",
    response={200: CoordinationOut, **WRITE_ERRORS},
)
def call_coordination_meeting(request, project_id: int, coordination_id: int, body: CoordinationMeetingIn):
    """Call the special coordination meeting for a troubled task (notice sent at once)."""
    data = {k: v for k, v in body.model_dump().items() if v not in (None, "")}
    meeting = {"coordination_id": coordination_id, "data": data}
    return call_in(request, project_id, services.coordination_schedule_meeting, **meeting)


@router.post(
    "/{int:project_id}/coordinations/{int:coordination_id}/record",
    response={200: CoordinationOut, **WRITE_ERRORS},
)
def record_coordination(request, project_id: int, coordination_id: int, body: CoordinationIn):
    """Measures, ONE owner and a new deadline from the special coordination meeting: stops
    the 48-hour clock and moves the task's planned finish."""
    decided = {"coordination_id": coordination_id, **body.model_dump()}
    return call_in(request, project_id, services.coordination_record, **decided)


@router.get("/{int:project_id}/gantt", response={200: list[GanttRowOut], **READ_ERRORS})
def gantt(request, project_id: int):
    """Planned against actual dates per task (and the planned finish before any coordination)."""
    chart = project_gantt(roles=roles(request), pk=project_id)
    fields = ("code", "title", "health", "planned_start", "planned_finish", "actual_start", "actual_finish")
    return [
        {"task_id": r.task.pk, **{f: getattr(r.task, f) for f in fields}, "replanned_from": r.replanned_from}
        for r in chart.rows
    ]
