"""Project figures on rows written by hand (the projects app's own row factories).

A running MKT project with CS and LOG taking part:
  goals: 45 → 80 now at 66 (60 %), 3.8 → 4.5 now at 4.5 (100 %): average 80 %;
  tasks: CS behind and on track, LOG blocked, a cancelled CS task (not counted);
  deliverables of CS accepted in October: one at its first submission, one at its third
  (2 rework rounds); one accepted in September (outside the period).
A draft project's CS task does not count: a draft is no commitment yet.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from crossdesk.projects.choices import DeliverableStatus, ProjectStatus, TaskHealth, TaskStatus
from crossdesk.projects.models import Deliverable
from crossdesk.projects.tests import factories as pf
from crossdesk.reports import selectors
from crossdesk.reports.periods import Period

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture
def project(personas):
    project = pf.project_rows(personas, status=ProjectStatus.RUNNING)
    project.goal_metrics.update(current=Decimal("66"))
    pf.GoalMetricFactory(
        project=project, baseline=Decimal("3.8"), target=Decimal("4.5"), current=Decimal("4.5")
    )
    cs, log = pf.part(project, personas.cs), pf.part(project, personas.log)
    task = pf.TaskFactory(responsible=cs, health=TaskHealth.BEHIND)
    pf.TaskFactory(responsible=cs, health=TaskHealth.ON_TRACK)
    pf.TaskFactory(responsible=log, health=TaskHealth.BLOCKED)
    pf.TaskFactory(responsible=cs, health=TaskHealth.OVERDUE, status=TaskStatus.CANCELLED)
    draft = pf.project_rows(personas)
    pf.TaskFactory(responsible=pf.part(draft, personas.cs), health=TaskHealth.OVERDUE)
    for name, submission, accepted in (
        ("客户痛点清单", 1, datetime(2026, 10, 9, 15, 0, tzinfo=SH)),
        ("投诉分类标准", 3, datetime(2026, 10, 20, 11, 0, tzinfo=SH)),
        ("流程图", 1, datetime(2026, 9, 30, 17, 0, tzinfo=SH)),
    ):
        Deliverable.objects.create(
            project=project,
            task=task,
            name=name,
            responsible=cs,
            status=DeliverableStatus.ACCEPTED,
            round=submission,
            accepted_at=accepted,
            accepted_by=personas.mkt_head,
        )
    return project


def figures() -> dict[str, dict]:
    nodes = selectors.department_nodes()
    return {
        c["department"]["code"]: c["projects"] for c in selectors.scorecards(list(nodes.values()), OCTOBER)
    }


def test_the_responsible_department_has_its_tasks_by_health_and_its_deliverables(project):
    cs = figures()["CS"]
    assert cs["tasks"] == 2
    assert {h: n for h, n in cs["tasks_by_health"].items() if n} == {"behind": 1, "on_track": 1}
    assert (cs["deliverables_accepted"], cs["deliverables_accepted_first_time"]) == (2, 1)
    assert (cs["deliverables_first_time_pct"], cs["rework_rounds"]) == (50.0, 2)
    assert cs["goal_progress_pct"] is None  # CS initiated no project


def test_the_initiating_department_has_the_goal_progress(project):
    mkt = figures()["MKT"]
    assert (mkt["goal_metrics_measured"], mkt["goal_progress_pct"]) == (2, 80.0)
    assert (mkt["tasks"], mkt["deliverables_accepted"]) == (0, 0)
    assert figures()["LOG"]["tasks_by_health"]["blocked"] == 1


def test_the_portfolio_shows_goal_progress_and_task_health_of_the_projects_one_may_see(
    project, client_for, django_assert_max_num_queries
):
    from crossdesk.org.selectors import roles_for_person
    from crossdesk.reports.selectors import portfolio

    rows = portfolio(roles=roles_for_person(project.initiating_department.head))
    assert [r["name"] for r in rows] == [project.name]  # the draft is not live
    assert rows[0]["goal_progress_pct"] == 80.0
    assert [m["progress"] for m in rows[0]["metrics"]] == [60, 100]
    assert {h: n for h, n in rows[0]["tasks_by_health"].items() if n} == {
        "behind": 1,
        "on_track": 1,
        "blocked": 1,
    }

    client = client_for(project.initiating_department.head)
    with django_assert_max_num_queries(20):
        response = client.get("/reports/projects/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-chart="health"' in html and 'data-chart="goals"' in html and project.name in html


def test_the_portfolio_of_someone_in_no_project_says_what_to_expect(personas, client_for):
    response = client_for(personas.outsider).get("/reports/projects/")
    assert response.status_code == 200
    assert 'data-testid="portfolio-empty"' in response.content.decode()


def test_the_project_page_carries_its_charts_with_their_numbers(project, client_for):
    response = client_for(project.initiating_department.head).get(
        f"/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="project-charts"' in html
    assert 'data-chart="project_health"' in html and 'data-chart="project_goals"' in html
    assert "reports/charts.js" in html
