"""Communication plan API and page: same rules as the services, constant queries."""

from __future__ import annotations

import pytest
import time_machine

from crossdesk.projects import flows

from .factories import at, count_queries, part, running

pytestmark = pytest.mark.django_db


def row(personas, project, **overrides):
    data = {
        "scenario": "progress_sync",
        "channel": "weekly_meeting",
        "frequency": "weekly",
        "weekdays": [0],
        "at_time": "10:00",
        "output": "weekly_list",
        "owner": personas.mkt_staff.pk,
        "place": "3楼会议室",
        "participants": [part(project, personas.cs).pk],
    }
    data.update(overrides)
    return data


def test_the_api_adds_lists_changes_and_removes_rows(personas, client_for):
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project = running(personas)
        client = client_for(personas.mkt_head)
        created = client.post(
            f"/api/v1/projects/{project.pk}/comms", row(personas, project), content_type="application/json"
        )
        assert created.status_code == 201, created.content
        entry = created.json()
        assert entry["frequency_text"] == "每周一 10:00" and entry["at_time"] == "10:00"
        listed = client.get(f"/api/v1/projects/{project.pk}/comms").json()
        skipped = [o for o in listed["occurrences"] if o["status"] == "skipped"]
        assert [o["on_date"] for o in skipped] == ["2026-10-05"] and "国庆节" in skipped[0]["note"]
        stale = client.patch(
            f"/api/v1/projects/comms/{entry['id']}",
            {"at_time": "11:00", "version": 9},
            content_type="application/json",
        )
        assert stale.status_code == 409 and stale.json()["field"] == "version"
        bad = client.patch(
            f"/api/v1/projects/comms/{entry['id']}", {"weekdays": []}, content_type="application/json"
        )
        assert bad.status_code == 400 and bad.json()["field"] == "weekdays"
        removed = client.post(
            f"/api/v1/projects/comms/{entry['id']}/remove",
            {"reason": "改群聊"},
            content_type="application/json",
        )
        assert removed.status_code == 200 and removed.json()["is_active"] is False


def test_the_api_refuses_the_wrong_people(personas, client_for):
    project = running(personas)
    assert (
        client_for(personas.cs_liaison)
        .post(f"/api/v1/projects/{project.pk}/comms", row(personas, project), content_type="application/json")
        .status_code
        == 403
    )
    response = client_for(personas.outsider).post(
        f"/api/v1/projects/{project.pk}/comms", row(personas, project), content_type="application/json"
    )
    assert response.status_code == 404  # the outsider may not see the project: its existence does not leak


def test_the_plan_endpoint_and_page_keep_a_constant_query_count(personas, client_for):
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project = running(personas)
        client = client_for(personas.mkt_head)

        def add(**o):
            return flows.comm_entry_create(
                actor=personas.mkt_head.user, project_id=project.pk, data=row(personas, project, **o)
            )

        add()
        api_one = count_queries(lambda: client.get(f"/api/v1/projects/{project.pk}/comms"))
        page_one = count_queries(lambda: client.get(f"/projects/{project.pk}/comms/"))
        add(weekdays=[2, 4], participants=[part(project, personas.cs).pk, part(project, personas.log).pk])
        add(frequency="as_needed", channel="chat_group")
        assert count_queries(lambda: client.get(f"/api/v1/projects/{project.pk}/comms")) == api_one
        response = client.get(f"/projects/{project.pk}/comms/")
        assert response.status_code == 200 and "3楼会议室" in response.content.decode()
        assert count_queries(lambda: client.get(f"/projects/{project.pk}/comms/")) == page_one


def test_the_page_adds_a_row_and_shows_a_refusal_next_to_nothing_changed(personas, client_for):
    project = running(personas)
    client = client_for(personas.mkt_head)
    data = {**row(personas, project, frequency="as_needed"), "weekdays": [], "working_days_only": "on"}
    response = client.post(f"/projects/{project.pk}/comms/add/", data)
    assert response.status_code == 303 and project.communication_plan.count() == 1
    response = client.post(f"/projects/{project.pk}/comms/add/", {**data, "frequency": "weekly"}, follow=True)
    assert project.communication_plan.count() == 1
    assert "每周沟通至少选择一个星期几" in response.content.decode()  # the refusal, shown
