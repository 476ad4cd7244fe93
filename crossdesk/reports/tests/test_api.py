"""GET /api/v1/reports/…: the figures of the fortnight, the refusals, the permissions."""

import pytest
import time_machine

from crossdesk.org.tests.factories import UserFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db

SCORECARD = "/api/v1/reports/departments/{code}/scorecard"
RANKING = "/api/v1/reports/ranking"
FORTNIGHT = {"from": "2026-09-28", "to": "2026-10-11"}


def test_a_head_gets_the_scorecard_of_their_department(fortnight, client_for):
    client = client_for(fortnight.personas.cs_head)
    with time_machine.travel(NOW, tick=False):
        response = client.get(SCORECARD.format(code="CS"), FORTNIGHT)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == {"from": "2026-09-28", "to": "2026-10-11"}
    assert body["department"] == {"code": "CS", "name": "客户服务部", "depth": 0}
    # The same figures as the selector test: R1, R2 (CS1) and R3 received, 2 of 3 in time.
    assert (body["receiving"]["requests"], body["receiving"]["response_within_target_pct"]) == (3, 66.7)
    assert body["receiving"]["response_by_urgency"]["critical"] == {
        "measured": 1,
        "within_target": 0,
        "pct": 0.0,
    }
    assert body["receiving"]["escalations"] == {"head": 2, "supervisor": 1}
    assert body["requesting"]["requests"] == 1
    assert body["meetings"]["meetings"] == 0
    assert body["links"]["receiving"]["requests"].startswith("/requests/?department=CS&direction=received")


def test_the_ranking_holds_the_departments_the_viewer_may_see(fortnight, client_for):
    client = client_for(fortnight.personas.supervisor)
    with time_machine.travel(NOW, tick=False):
        response = client.get(RANKING, FORTNIGHT)
    assert response.status_code == 200
    assert [row["department"]["code"] for row in response.json()] == ["MKT", "CS", "LOG", "CS1"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "from"),
        ({"from": "2026-09-28"}, "to"),
        ({"from": "28.09.2026", "to": "2026-10-11"}, "from"),
        ({"from": "2026-09-28", "to": "2026-02-30"}, "to"),
        ({"from": "2026-10-11", "to": "2026-09-28"}, "to"),
        ({"from": "2016-01-01", "to": "2026-01-01"}, "to"),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(personas, client_for, params, field):
    client = client_for(personas.cs_head)
    for url in (SCORECARD.format(code="CS"), RANKING):
        response = client.get(url, params)
        assert response.status_code == 400, url
        assert response.json()["field"] == field


def test_the_figures_of_a_department_not_yours_are_not_found(fortnight, client_for):
    response = client_for(fortnight.personas.outsider).get(SCORECARD.format(code="CS"), FORTNIGHT)
    assert response.status_code == 404
    assert (
        client_for(fortnight.personas.outsider).get(SCORECARD.format(code="NOPE"), FORTNIGHT).status_code
        == 404
    )


def test_a_login_in_no_department_may_not_see_figures(personas, client_for):
    response = client_for(UserFactory.create(username="guest")).get(RANKING, FORTNIGHT)
    assert response.status_code == 403


def test_figures_need_a_login(personas, client):
    assert client.get(RANKING, FORTNIGHT).status_code == 401
