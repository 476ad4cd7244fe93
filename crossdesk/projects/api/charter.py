"""Charter endpoints: the project list, a project, participants, goal, sub-goals, kickoff
and status moves — the same services and permission checks as the pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from crossdesk.core.errors import ApplicationError
from crossdesk.core.schemas import error_responses

from ..filters import project_filter_from_params
from ..schemas import (
    EventOut,
    KickoffIn,
    MeasurementIn,
    ParticipantOut,
    ParticipantSetIn,
    ProgressIn,
    ProjectIn,
    ProjectListFilter,
    ProjectOut,
    ProjectPageOut,
    ProjectUpdateIn,
    ReasonIn,
    SubGoalIn,
    SubGoalOut,
    SubGoalUpdateIn,
    VersionIn,
)
from ..selectors import project_get_for_viewer
from ..selectors.charter import project_dashboard, project_list
from ..services import charter as services
from ._common import READ_ERRORS, WRITE_ERRORS, call_in, roles, sent

router = Router()
PROJECT_FIELDS = (
    *("id", "number", "name", "status", "initiating_department", "lead", "background", "core_goal"),
    *("expected_outcomes", "planned_start", "planned_finish", "confidential", "kickoff_meeting_id"),
    *("kicked_off_at", "running_since", "closing_since", "closed_at", "archived_at", "retain_until"),
    "version",
)


def project_out(request, project_id: int) -> dict:
    board = project_dashboard(roles=roles(request), pk=project_id)
    p = board.project
    sub_goals = [
        {
            **{f: getattr(r.goal, f) for f in SubGoalOut.model_fields if hasattr(r.goal, f)},
            "latest_value": r.latest.value if r.latest else None,
            "latest_met": r.latest.met if r.latest else None,
        }
        for r in board.sub_goals
    ]
    return {
        **{f: getattr(p, f) for f in PROJECT_FIELDS},
        "participants": board.participations,
        "goal_metrics": board.metrics,
        "sub_goals": sub_goals,
        "smart_problems": board.smart_problems,
        "health_counts": board.health_counts,
        "actions": sorted(board.actions),
    }


def _then_out(request, project_id: int, service, **values) -> dict:
    """Run ``service`` on the project; the answer is the project as it is now."""
    call_in(request, project_id, service, **values)
    return project_out(request, project_id)


@router.get("/", response={200: ProjectPageOut, **error_responses(400)})
def list_projects(request, query: Query[ProjectListFilter]):
    """Projects the caller may see, filtered, sorted and paginated (limit/offset + total)."""
    params = query.dict()
    filters, window = project_filter_from_params(params)
    rows = project_list(roles=roles(request), filters=filters)
    items = list(rows[window[0] : window[0] + window[1]])
    return {"count": rows.count(), "limit": window[1], "offset": window[0], "items": items}


@router.post("/", response={201: ProjectOut, **WRITE_ERRORS})
def create_project(request, body: ProjectIn):
    """A new charter (draft), numbered XM-YYYY-NNN; the initiating department always takes part."""
    project = services.project_create(actor=request.auth, data=body.model_dump())
    return Status(201, project_out(request, project.pk))


@router.get("/{int:project_id}", response={200: ProjectOut, **READ_ERRORS})
def get_project(request, project_id: int):
    """The charter and dashboard figures, with the SMART check and what the caller may do now."""
    return project_out(request, project_id)


@router.patch("/{int:project_id}", response={200: ProjectOut, **WRITE_ERRORS})
def update_project(request, project_id: int, body: ProjectUpdateIn):
    data, version = sent(body)
    if "goal_metrics" in data and data["goal_metrics"] is None:
        raise ApplicationError(_("List the goal metrics."), field="goal_metrics")
    return _then_out(request, project_id, services.project_update, data=data, version=version)


@router.post("/{int:project_id}/participants", response={200: ParticipantOut, **WRITE_ERRORS})
def set_participant(request, project_id: int, body: ParticipantSetIn):
    """Add a participating department or change its ONE liaison and duties."""
    return call_in(request, project_id, services.participant_set, **body.model_dump())


@router.delete("/{int:project_id}/participants/{int:participation_id}", response={204: None, **WRITE_ERRORS})
def remove_participant(request, project_id: int, participation_id: int):
    call_in(request, project_id, services.participant_remove, participation_id=participation_id)
    return HttpResponse(status=204)


@router.post(
    "/{int:project_id}/goal-metrics/{int:metric_id}/measurements",
    response={200: ProjectOut, **WRITE_ERRORS},
)
def record_goal(request, project_id: int, metric_id: int, body: MeasurementIn):
    """Record a measured value of a goal metric (progress against its target)."""
    return _then_out(
        request, project_id, services.goal_metric_record, metric_id=metric_id, **body.model_dump()
    )


@router.post("/{int:project_id}/sub-goals", response={201: SubGoalOut, **WRITE_ERRORS})
def create_sub_goal(request, project_id: int, body: SubGoalIn):
    """A department's quantified sub-goal with a deadline or a recurrence."""
    goal = call_in(request, project_id, services.sub_goal_create, data=body.model_dump())
    return Status(201, goal)


@router.patch("/{int:project_id}/sub-goals/{int:sub_goal_id}", response={200: SubGoalOut, **WRITE_ERRORS})
def update_sub_goal(request, project_id: int, sub_goal_id: int, body: SubGoalUpdateIn):
    data, version = sent(body)
    return call_in(
        request, project_id, services.sub_goal_update, sub_goal_id=sub_goal_id, data=data, version=version
    )


@router.delete("/{int:project_id}/sub-goals/{int:sub_goal_id}", response={204: None, **WRITE_ERRORS})
def delete_sub_goal(request, project_id: int, sub_goal_id: int):
    call_in(request, project_id, services.sub_goal_delete, sub_goal_id=sub_goal_id)
    return HttpResponse(status=204)


@router.post(
    "/{int:project_id}/sub-goals/{int:sub_goal_id}/progress",
    response={200: ProjectOut, **WRITE_ERRORS},
)
def record_sub_goal_progress(request, project_id: int, sub_goal_id: int, body: ProgressIn):
    """What the department achieved for a period, shown beside the target."""
    progress = {"sub_goal_id": sub_goal_id, **body.model_dump()}
    return _then_out(request, project_id, services.sub_goal_record_progress, **progress)


@router.post("/{int:project_id}/kickoff", response={200: ProjectOut, **WRITE_ERRORS})
def kickoff(request, project_id: int, body: KickoffIn):
    """Call the kickoff meeting (kind kickoff) or link one; refused (409) while the goal is not SMART."""
    data = {k: v for k, v in body.model_dump().items() if k != "version" and v not in (None, "")}
    return _then_out(request, project_id, services.project_schedule_kickoff, data=data, version=body.version)


@router.post("/{int:project_id}/closing", response={200: ProjectOut, **WRITE_ERRORS})
def start_closing(request, project_id: int, body: ReasonIn):
    return _then_out(request, project_id, services.project_start_closing, **body.model_dump())


@router.post("/{int:project_id}/reopen", response={200: ProjectOut, **WRITE_ERRORS})
def reopen(request, project_id: int, body: ReasonIn):
    return _then_out(request, project_id, services.project_reopen, **body.model_dump())


@router.post("/{int:project_id}/close", response={200: ProjectOut, **WRITE_ERRORS})
def close(request, project_id: int, body: VersionIn):
    """Closing → closed; refused (409) until the retrospective is final."""
    return _then_out(request, project_id, services.project_close, **body.model_dump())


@router.post("/{int:project_id}/archive", response={200: ProjectOut, **WRITE_ERRORS})
def archive(request, project_id: int, body: VersionIn):
    return _then_out(request, project_id, services.project_archive, **body.model_dump())


@router.get("/{int:project_id}/history", response={200: list[EventOut], **READ_ERRORS})
def history(request, project_id: int):
    """The project's append-only timeline, oldest first."""
    project = project_get_for_viewer(roles=roles(request), pk=project_id)
    fields = ("kind", "from_status", "to_status", "content", "task_id")
    return [
        {
            "id": e.pk,
            **{f: getattr(e, f) for f in fields},
            "at": e.at.isoformat(),
            "author": e.who if e.author_id or e.actor_label else None,
        }
        for e in project.events.select_related("author")
    ]
