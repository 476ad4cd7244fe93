from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crossdesk.deadlines import services
from crossdesk.deadlines.models import Clock, TimePolicy

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


def test_anyone_logged_in_reads_the_rules(client_for, personas):
    rules = client_for(personas.mkt_staff).get("/api/v1/deadlines/policies").json()
    respond = next(r for r in rules if r["key"] == "request.respond" and r["variant"] == "urgent")
    assert (respond["target_amount"], respond["target_unit"]) == ("24.00", "clock_hours")


def test_an_administrator_changes_a_rule_and_running_deadlines_follow(client_for, personas):
    policy = TimePolicy.objects.get(key="request.respond", variant="normal")
    with time_machine.travel(datetime(2026, 9, 30, 10, 0, tzinfo=SH), tick=False):
        clock = services.clock_start(
            subject=personas.cs, key="request.respond", variant="normal", department=personas.cs
        )
        response = client_for(personas.admin_user).patch(
            f"/api/v1/deadlines/policies/{policy.pk}", {"target_amount": "5"}, content_type="application/json"
        )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert Clock.objects.get(pk=clock.pk).due_at == datetime(2026, 10, 13, 10, 0, tzinfo=SH)


def test_a_head_cannot_change_a_rule(client_for, personas):
    policy = TimePolicy.objects.get(key="request.respond", variant="normal")
    response = client_for(personas.cs_head).patch(
        f"/api/v1/deadlines/policies/{policy.pk}", {"target_amount": "5"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert TimePolicy.objects.get(pk=policy.pk).target_amount == 3


def test_a_bad_escalation_step_is_refused_naming_the_field(client_for, personas):
    policy = TimePolicy.objects.get(key="request.respond", variant="normal")
    response = client_for(personas.admin_user).patch(
        f"/api/v1/deadlines/policies/{policy.pk}",
        {"escalation": [{"after": 1, "unit": "working_days", "to": "the moon"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "escalation"
