"""A project's own group chat [002] (issue 14 §3): its robot and its 群管理员, set by who
manages the plan; the plan's chat-group rows post their reminders there once, @mentioning
the owner and the administrator, and never reach the departments' own robots twice."""

from __future__ import annotations

import pytest
import time_machine

from crossdesk.core.errors import ApplicationError, PermissionDeniedError
from crossdesk.notify.channels import robot_request
from crossdesk.notify.models import Delivery, DepartmentRobot, Notification
from crossdesk.notify.selectors import robots_of
from crossdesk.notify.services.routing import notifications_route
from crossdesk.projects import flows
from crossdesk.projects.models import ProjectEvent
from crossdesk.projects.services import comms

from .factories import at, running
from .test_comms_reminders import daily_chat

pytestmark = pytest.mark.django_db

ROBOT = {
    "kind": "dingtalk",
    "name": "工单系统项目群",
    "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=x",
}


@pytest.fixture
def project(personas):
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        project = running(personas)
        comms.project_chat_robot_add(actor=personas.mkt_head.user, project_id=project.pk, data=ROBOT)
        comms.project_chat_admin_set(
            actor=personas.mkt_head.user, project_id=project.pk, chat_admin=personas.log_head.pk
        )
        flows.comm_entry_create(
            actor=personas.mkt_head.user, project_id=project.pk, data=daily_chat(personas)
        )
    return project


def test_the_manager_connects_the_robot_and_names_the_administrator_with_history(personas, project):
    robot = DepartmentRobot.objects.get(chat_scope=f"project:{project.pk}")
    assert robot.department_id == project.initiating_department_id
    project.refresh_from_db()
    assert project.chat_admin == personas.log_head
    history = list(
        ProjectEvent.objects.filter(project=project, kind="communication").values_list("content", flat=True)
    )
    assert any("工单系统项目群" in h for h in history) and any(personas.log_head.name in h for h in history)
    # The department's own robot list does not show the project's.
    assert robot not in robots_of(department=project.initiating_department)


def test_only_who_manages_the_plan_may_and_bad_input_names_the_field(personas, project):
    with pytest.raises(PermissionDeniedError):
        comms.project_chat_robot_add(actor=personas.cs_staff.user, project_id=project.pk, data=ROBOT)
    with pytest.raises(ApplicationError) as refused:
        comms.project_chat_robot_add(
            actor=personas.mkt_head.user, project_id=project.pk, data={**ROBOT, "webhook_url": "javascript:x"}
        )
    assert refused.value.field == "webhook_url"
    with pytest.raises(ApplicationError) as refused:
        comms.project_chat_admin_set(actor=personas.mkt_head.user, project_id=project.pk, chat_admin=999999)
    assert refused.value.field == "chat_admin"


def test_a_chat_rows_reminder_posts_once_to_the_projects_group_mentioning_owner_and_admin(personas, project):
    personas.cs_liaison.dingtalk_id = "ding-lina"
    personas.cs_liaison.save()
    personas.log_head.dingtalk_id = "ding-chen"
    personas.log_head.save()
    with time_machine.travel(at(2026, 9, 28, 16, 40), tick=False):
        assert comms.comm_reminders_send() == 2  # the owner and the administrator
        told = Notification.objects.filter(event="project.communication_reminder")
        assert {n.recipient_id for n in told} == {personas.cs_liaison.pk, personas.log_head.pk}
        assert {n.chat_scope for n in told} == {f"project:{project.pk}"}
        notifications_route()
    robot = DepartmentRobot.objects.get(chat_scope=f"project:{project.pk}")
    [delivery] = Delivery.objects.filter(robot=robot)  # one message for the call, not one each
    payload = robot_request(delivery).payload
    assert sorted(payload["at"]["atUserIds"]) == ["ding-chen", "ding-lina"]
    assert "联调站会" in payload["markdown"]["text"]


def test_the_robot_is_disconnected_with_history(personas, project):
    robot = DepartmentRobot.objects.get(chat_scope=f"project:{project.pk}")
    comms.project_chat_robot_remove(actor=personas.mkt_head.user, project_id=project.pk, robot_id=robot.pk)
    assert not DepartmentRobot.objects.filter(pk=robot.pk).exists()
    assert (
        ProjectEvent.objects.filter(project=project, content__contains="断开").exists()
        or ProjectEvent.objects.filter(project=project, data__robot=robot.pk).count() == 2
    )


def test_the_api_manages_the_group_chat_without_showing_its_token(personas, project, client_for):
    import json

    manager = client_for(personas.mkt_head)
    chat = manager.get(f"/api/v1/projects/{project.pk}/chat").json()
    assert chat["chat_admin"]["id"] == personas.log_head.pk
    assert [(r["name"], r["host"]) for r in chat["robots"]] == [("工单系统项目群", "oapi.dingtalk.com")]
    assert "access_token" not in json.dumps(chat)
    added = manager.post(
        f"/api/v1/projects/{project.pk}/chat/robots",
        data=json.dumps(
            {
                "kind": "feishu",
                "name": "飞书项目群",
                "webhook_url": "https://open.feishu.cn/hook/x",
                "secret": "s",
            }
        ),
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["signed"] is True
    cleared = manager.put(
        f"/api/v1/projects/{project.pk}/chat/admin",
        data=json.dumps({"chat_admin": None}),
        content_type="application/json",
    )
    assert cleared.status_code == 200 and cleared.json()["chat_admin"] is None
    gone = manager.delete(f"/api/v1/projects/{project.pk}/chat/robots/{added.json()['id']}")
    assert gone.status_code == 204
    # Someone who may see the project but not manage its plan: 403; an unknown field: 422.
    staff = client_for(personas.cs_staff)
    refused = staff.post(
        f"/api/v1/projects/{project.pk}/chat/robots", data=json.dumps(ROBOT), content_type="application/json"
    )
    assert refused.status_code in (403, 404)
    typo = manager.put(
        f"/api/v1/projects/{project.pk}/chat/admin",
        data=json.dumps({"admin": 1}),
        content_type="application/json",
    )
    assert typo.status_code == 422 and typo.json()["field"] == "admin"


def test_the_plan_page_shows_and_manages_the_group_chat(personas, project, client_for):
    manager = client_for(personas.mkt_head)
    page = manager.get(f"/projects/{project.pk}/comms/").content.decode()
    assert 'data-testid="group-chat"' in page and "工单系统项目群" in page and personas.log_head.name in page
    added = manager.post(
        f"/projects/{project.pk}/comms/chat/robots/",
        {
            "kind": "wecom",
            "name": "企业微信项目群",
            "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        },
    )
    assert added.status_code == 303
    robot = DepartmentRobot.objects.get(name="企业微信项目群", chat_scope=f"project:{project.pk}")
    refused = manager.post(
        f"/projects/{project.pk}/comms/chat/robots/",
        {"kind": "wecom", "name": "", "webhook_url": "https://x.example/"},
    )
    assert refused.status_code == 400 and "field-error-name" in refused.content.decode()
    project.refresh_from_db()
    saved = manager.post(
        f"/projects/{project.pk}/comms/chat/admin/",
        {"chat_admin": personas.cs_liaison.pk, "version": project.version},
    )
    assert saved.status_code == 303
    project.refresh_from_db()
    assert project.chat_admin == personas.cs_liaison
    assert manager.post(f"/projects/{project.pk}/comms/chat/robots/{robot.pk}/remove/").status_code == 303
    assert not DepartmentRobot.objects.filter(pk=robot.pk).exists()
    # Who may not manage the plan sees the group chat, not its forms.
    other = client_for(personas.cs_staff).get(f"/projects/{project.pk}/comms/")
    if other.status_code == 200:
        assert "chat/robots/" not in other.content.decode()


def test_the_department_robot_pages_do_not_reach_a_projects_robot(personas, project, client_for):
    robot = DepartmentRobot.objects.get(chat_scope=f"project:{project.pk}")
    head = client_for(project.initiating_department.head)
    assert head.post(f"/inbox/robots/{robot.pk}/toggle/").status_code == 404
    assert head.post(f"/inbox/robots/{robot.pk}/remove/").status_code == 404
    assert DepartmentRobot.objects.get(pk=robot.pk).is_active
