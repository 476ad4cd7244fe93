"""A project's parts (tasks, their problems and coordinations, sub-goals, goal metrics) are
changed only under their own project: the service checks it once (``belongs_to``), so the
API and the pages refuse a part of another project with the same 404 in Chinese."""

from __future__ import annotations

import pytest
import time_machine

from crossdesk.core.errors import NotFoundError
from crossdesk.projects.models import SubGoal, Task
from crossdesk.projects.services import charter, tasks, tracking

from .factories import at, draft_project, running_with_task

pytestmark = pytest.mark.django_db

BASE = "/api/v1/projects/"
SUB_GOAL = {
    "department": "LOG",
    "description": "物流部24小时内输出排查结论",
    "metric": "平均排查时长",
    "unit": "小时",
    "target": "24",
    "deadline": "2026-12-31",
}


@pytest.fixture
def two_projects(personas):
    """A running project with a task and a sub-goal, and a second project of the same head."""
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        project, task = running_with_task(personas)
        goal = charter.sub_goal_create(actor=personas.mkt_head.user, project_id=project.pk, data=SUB_GOAL)
        other = draft_project(personas, name="另一个项目")
        yield project, task, goal, other


def test_the_api_refuses_a_task_under_another_project(personas, client_for, two_projects):
    project, task, _goal, other = two_projects
    head = client_for(personas.mkt_head)
    response = head.patch(
        f"{BASE}{other.pk}/tasks/{task.pk}",
        {"version": task.version, "title": "改名"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["message"] == "没有该任务。"
    owner = client_for(personas.cs_staff)
    progress = owner.post(
        f"{BASE}{other.pk}/tasks/{task.pk}/progress", {"progress": 50}, content_type="application/json"
    )
    assert progress.status_code == 404
    assert Task.objects.get(pk=task.pk).title == task.title
    same = owner.post(
        f"{BASE}{project.pk}/tasks/{task.pk}/progress", {"progress": 50}, content_type="application/json"
    )
    assert same.status_code == 200, same.json()


def test_the_api_refuses_a_sub_goal_under_another_project(personas, client_for, two_projects):
    _project, _task, goal, other = two_projects
    response = client_for(personas.mkt_head).delete(f"{BASE}{other.pk}/sub-goals/{goal.pk}")
    assert response.status_code == 404
    assert response.json()["message"] == "没有该子目标。"
    assert SubGoal.objects.filter(pk=goal.pk).exists()


def test_the_services_check_the_project_they_are_given(personas, two_projects):
    project, task, goal, other = two_projects
    head = personas.mkt_head.user
    with pytest.raises(NotFoundError):
        tasks.task_cancel(actor=head, project_id=other.pk, task_id=task.pk, reason="不再需要")
    with pytest.raises(NotFoundError):
        charter.sub_goal_update(actor=head, project_id=other.pk, sub_goal_id=goal.pk, data={"unit": "天"})
    owner = personas.cs_staff.user
    problem = tracking.task_report_problem(
        actor=owner, project_id=project.pk, task_id=task.pk, description="接口不可用"
    )
    with pytest.raises(NotFoundError):
        tracking.task_resolve_problem(
            actor=owner, project_id=other.pk, problem_id=problem.pk, resolution="已修复"
        )
    resolved = tracking.task_resolve_problem(
        actor=owner, project_id=project.pk, problem_id=problem.pk, resolution="已修复"
    )
    assert resolved.resolution == "已修复"
    assert Task.objects.get(pk=task.pk).status != "cancelled"
