"""Settings pages, the operator's outbox and their API twins: same services, same checks."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from crossdesk.notify.choices import DeliveryStatus
from crossdesk.notify.models import ChannelPreference, Delivery, DepartmentRobot, Notification
from crossdesk.notify.services import notifications_route, notify

pytestmark = pytest.mark.django_db


def _deliveries(personas, count: int, status=DeliveryStatus.FAILED):
    notify(
        recipients=[
            personas.cs_liaison,
            personas.cs_head,
            personas.mkt_head,
            personas.log_head,
            personas.cs_staff,
        ],
        event="request.x",
        title="一",
        level="overdue",
    )
    for _ in range(count // 5 - 1):
        notify(
            recipients=[
                personas.cs_liaison,
                personas.cs_head,
                personas.mkt_head,
                personas.log_head,
                personas.cs_staff,
            ],
            event="request.x",
            title="更多",
            level="overdue",
        )
    notifications_route()
    Delivery.objects.update(status=status, last_error="SMTP 550: 'no such user'", attempts=8)


# --- my settings ------------------------------------------------------------------------------


def test_a_person_saves_quiet_hours_and_a_digest_through_the_htmx_form(client_for, personas):
    client = client_for(personas.cs_liaison)
    response = client.post(
        reverse("notify:preferences"),
        {
            "email_mode": "all",
            "digest_mode": "daily",
            "digest_time": "17:30",
            "quiet_start": "22:00",
            "quiet_end": "08:00",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-testid="saved"' in response.content.decode()
    preference = ChannelPreference.objects.get(person=personas.cs_liaison)
    assert (preference.email_mode, preference.digest_mode, preference.digest_time) == (
        "all",
        "daily",
        time(17, 30),
    )
    assert preference.muted_event_groups is None  # nothing ticked: follow the department


def test_half_a_quiet_window_is_refused_next_to_the_field(client_for, personas):
    client = client_for(personas.cs_liaison)
    response = client.post(reverse("notify:preferences"), {"quiet_start": "22:00"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="error-quiet_end"' in response.content.decode()
    assert not ChannelPreference.objects.exists()


def test_the_settings_page_says_what_applies(client_for, personas):
    ChannelPreference.objects.create(department=personas.cs, digest_mode="daily", digest_time=time(9))
    body = client_for(personas.cs_liaison).get(reverse("notify:preferences")).content.decode()
    assert "09:00" in body and personas.cs.name in body


def test_the_api_reads_and_changes_my_settings(client_for, personas):
    client = client_for(personas.cs_liaison)
    response = client.put(
        "/api/v1/notifications/preferences",
        {"email_mode": "off", "language": "en"},
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["own"]["email_mode"] == "off" and data["effective"]["language"] == "en"
    assert client.get("/api/v1/notifications/preferences").json()["department"] == "CS"


def test_the_api_names_the_field_it_refuses(client_for, personas):
    client = client_for(personas.cs_liaison)
    response = client.put(
        "/api/v1/notifications/preferences",
        {"muted_event_groups": ["gossip"]},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "muted_event_groups"


# --- department settings and robots ---------------------------------------------------------------


def test_a_head_connects_a_robot_and_sets_defaults_for_the_department(client_for, personas):
    client = client_for(personas.cs_head)
    response = client.post(
        reverse("notify:robot_add", args=["CS"]),
        {
            "kind": "dingtalk",
            "name": "客服部群",
            "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
            "secret": "SECxyz",
            "levels": ["overdue"],
        },
    )
    assert response.status_code == 302
    robot = DepartmentRobot.objects.get()
    assert (robot.department, robot.levels, robot.secret) == (personas.cs, ["overdue"], "SECxyz")
    response = client.post(
        reverse("notify:department", args=["CS"]), {"email_mode": "all", "muted_event_groups": ["meeting"]}
    )
    assert ChannelPreference.objects.get(department=personas.cs).muted_event_groups == ["meeting"]
    page = client.get(reverse("notify:department", args=["CS"])).content.decode()
    assert "客服部群" in page


def test_a_wecom_robot_with_a_secret_is_refused_because_wecom_has_no_signing(client_for, personas):
    response = client_for(personas.cs_head).post(
        "/api/v1/notifications/departments/CS/robots",
        {
            "kind": "wecom",
            "name": "群",
            "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "secret": "s",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "secret"


@pytest.mark.parametrize("who", ["cs_staff", "mkt_head", "outsider"])
def test_only_the_head_or_an_administrator_manages_a_department(client_for, personas, who):
    client = client_for(getattr(personas, who))
    assert client.get(reverse("notify:department", args=["CS"])).status_code == 403
    assert client.get("/api/v1/notifications/departments/CS/robots").status_code == 403
    response = client.put(
        "/api/v1/notifications/departments/CS/preferences",
        {"email_mode": "off"},
        content_type="application/json",
    )
    assert response.status_code == 403 and "message" in response.json()


def test_an_administrator_manages_robots_through_the_api(client_for, personas):
    client = client_for(personas.admin_user)
    created = client.post(
        "/api/v1/notifications/departments/LOG/robots",
        {
            "kind": "feishu",
            "name": "物流群",
            "webhook_url": "https://open.feishu.cn/open-apis/bot/v2/hook/x",
            "secret": "k",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["signed"] is True
    robot_id = created.json()["id"]
    paused = client.patch(
        f"/api/v1/notifications/robots/{robot_id}", {"is_active": False}, content_type="application/json"
    )
    assert paused.json()["is_active"] is False
    assert client.delete(f"/api/v1/notifications/robots/{robot_id}").status_code == 204
    assert not DepartmentRobot.objects.exists()


# --- the outbox (operators) --------------------------------------------------------------------------


def test_the_outbox_page_shows_failures_with_their_error_in_constant_queries(
    client_for, personas, django_assert_max_num_queries, settings
):
    settings.CROSSDESK_NOTIFY_BURST = {"email": (1000, 3600)}  # 70 e-mails each, none held
    _deliveries(personas, 10)
    client = client_for(personas.admin_user)
    client.get(reverse("notify:outbox") + "?tab=failed")  # warm caches (session, content types)
    _deliveries(personas, 60)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notify:outbox") + "?tab=failed")
    body = response.content.decode()
    assert body.count('data-testid="outbox-row"') == 50  # paginated
    assert "SMTP 550" in body and 'data-testid="count-failed">70<' in body


def test_retry_all_failed_and_discard_selected(client_for, personas):
    _deliveries(personas, 10)
    client = client_for(personas.admin_user)
    first = Delivery.objects.order_by("id").first()
    response = client.post(reverse("notify:outbox_discard"), {"id": [first.pk]})
    assert response.status_code == 302
    client.post(reverse("notify:outbox_retry"), {"all_failed": "1"})
    statuses = list(Delivery.objects.order_by("id").values_list("status", "attempts"))
    assert statuses[0] == (DeliveryStatus.DISCARDED, 8)
    assert set(statuses[1:]) == {(DeliveryStatus.PENDING, 0)}


def test_a_message_being_sent_cannot_be_discarded(client_for, personas):
    _deliveries(personas, 5, status=DeliveryStatus.SENDING)
    ids = list(Delivery.objects.values_list("id", flat=True))
    response = client_for(personas.admin_user).post(
        "/api/v1/notifications/outbox/discard", {"ids": ids}, content_type="application/json"
    )
    assert response.json() == {"count": 0}


def test_the_outbox_api_lists_tabs_with_counts(client_for, personas):
    _deliveries(personas, 5)
    client = client_for(personas.admin_user)
    data = client.get("/api/v1/notifications/outbox?tab=failed&channel=email").json()
    assert data["counts"]["failed"] == 5 and data["count"] == 5
    assert data["items"][0]["last_error"].startswith("SMTP 550")
    retried = client.post(
        "/api/v1/notifications/outbox/retry", {"all_failed": True}, content_type="application/json"
    )
    assert retried.json() == {"count": 5}
    refused = client.post("/api/v1/notifications/outbox/retry", {}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "ids"


def test_the_outbox_is_for_administrators_only(client_for, personas):
    client = client_for(personas.cs_head)
    assert client.get(reverse("notify:outbox")).status_code == 403
    assert client.get("/api/v1/notifications/outbox").status_code == 403
    response = client.post(
        "/api/v1/notifications/outbox/retry", {"all_failed": True}, content_type="application/json"
    )
    assert response.status_code == 403


def test_the_inbox_links_to_the_settings(client_for, personas):
    notify(recipients=[personas.cs_liaison], event="e", title="一")
    body = client_for(personas.cs_liaison).get(reverse("notify:inbox")).content.decode()
    assert reverse("notify:preferences") in body
    assert Notification.objects.get().created_at <= timezone.now()


def test_the_inbox_groups_a_records_messages_under_its_newest(client_for, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from crossdesk.collaboration.tests import factories as requests

    request = requests.submitted(personas)
    other = requests.submitted(personas, title="仓库系统故障")
    for n in range(5):
        notify(recipients=[personas.cs_liaison], event="request.comment", title=f"新留言{n}", subject=request)
    notify(recipients=[personas.cs_liaison], event="request.comment", title="另一请求的留言", subject=other)
    notify(recipients=[personas.cs_liaison], event="system.notice", title="系统维护通知")
    client = client_for(personas.cs_liaison)
    with CaptureQueriesContext(connection) as few:
        html = client.get(reverse("notify:inbox")).content.decode()
    groups = html.count('data-testid="news-group"')
    mine = Notification.objects.filter(recipient=personas.cs_liaison)
    records = {(n.subject_type_id, n.subject_id) if n.subject_id else ("alone", n.pk) for n in mine}
    assert groups == len(records)  # one item per record, however many messages it has
    about_request = mine.filter(subject_id=request.pk, subject_type__model="request").count()
    assert about_request >= 5
    assert f"此记录另有 {about_request - 1} 条较早的消息" in html
    assert html.index("系统维护通知") < html.index("新留言4")  # the newest record first
    for n in range(10):
        notify(recipients=[personas.cs_liaison], event="request.comment", title=f"又一条{n}", subject=other)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("notify:inbox"))
    assert len(more) == len(few)
