"""The outbox against a real SMTP server and a real HTTP robot stand-in (same process)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone, translation

from crossdesk.notify.channels import dingtalk_sign, feishu_sign
from crossdesk.notify.choices import DeliveryStatus
from crossdesk.notify.models import ChannelPreference, Delivery, DepartmentRobot, DigestItem, Notification
from crossdesk.notify.rules import after_quiet_hours, digest_slot
from crossdesk.notify.services import (
    deliveries_claim,
    notifications_route,
    notify,
    outbox_drain,
    outbox_has_due_work,
)

from .servers import expected_dingtalk_sign, expected_feishu_sign

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _subject(message) -> str:
    # The default policy decodes RFC 2047 words; Django folds a long subject onto the next line.
    return str(message["Subject"]).strip()


def _site_name(language="zh-hans") -> str:
    with translation.override(language):
        return translation.gettext("Crossdesk")


def test_an_action_notification_arrives_by_email_in_chinese_with_a_link_and_a_stable_message_id(
    personas, smtp_server, settings
):
    settings.CROSSDESK_BASE_URL = "https://crossdesk.example.cn"
    notify(
        recipients=[personas.cs_liaison],
        event="request.submitted",
        title="[XMB-2026-001] 新的协作请求：退货流程卡点",
        body="市场部请你在 3 个工作日内受理。",
        url="/requests/1/",
        level=Notification.Level.ACTION,
    )
    report = outbox_drain()
    assert report.sent == 1
    [message] = smtp_server.messages
    assert message["To"] == personas.cs_liaison.email
    assert _subject(message) == f"[{_site_name()}] 【待处理】[XMB-2026-001] 新的协作请求：退货流程卡点"
    delivery = Delivery.objects.get()
    assert message["Message-ID"] == f"<{delivery.delivery_key}@crossdesk.example.cn>"
    assert message["X-Crossdesk-Delivery-Key"] == delivery.delivery_key
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "https://crossdesk.example.cn/requests/1/" in text
    assert 'href="https://crossdesk.example.cn/requests/1/"' in html
    assert "市场部请你在 3 个工作日内受理。" in html
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1 and delivery.sent_at


def test_plain_information_stays_in_the_app_by_default(personas, smtp_server):
    notify(recipients=[personas.cs_liaison], event="request.logged", title="新的沟通记录")
    assert outbox_drain().routed == 1
    assert not Delivery.objects.exists() and smtp_server.total == 0
    assert Notification.objects.get().routed_at is not None


def test_someone_without_an_email_address_is_told_in_the_app_only(personas, smtp_server):
    personas.cs_liaison.email = ""
    personas.cs_liaison.save()
    notify(recipients=[personas.cs_liaison], event="request.x", title="一", level="overdue")
    outbox_drain()
    assert not Delivery.objects.exists()


def test_an_english_speaker_gets_the_wrapper_in_english(personas, smtp_server):
    ChannelPreference.objects.create(person=personas.cs_liaison, language="en")
    notify(recipients=[personas.cs_liaison], event="request.x", title="Returns", level="warning")
    outbox_drain()
    assert _subject(smtp_server.messages[0]) == f"[{_site_name('en')}] 【Warning】Returns"


def test_a_temporary_smtp_refusal_is_retried_with_backoff_and_recorded(personas, smtp_server):
    smtp_server.temporary_failures = 1
    notify(recipients=[personas.cs_liaison], event="request.x", title="一", level="action")
    report = outbox_drain()
    assert report.retrying == 1 and report.sent == 0
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert "451" in delivery.last_error
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=20) < wait <= timedelta(seconds=60)
    assert outbox_drain().sent == 0  # not due yet
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        assert outbox_drain().sent == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2 and delivery.last_error == ""
    assert smtp_server.total == 1


def test_an_unknown_mailbox_fails_at_once_with_the_servers_answer(personas, smtp_server):
    smtp_server.refused_recipients.add(personas.cs_liaison.email)
    notify(recipients=[personas.cs_liaison], event="request.x", title="一", level="action")
    assert outbox_drain().failed == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "550" in delivery.last_error


def test_it_gives_up_after_the_last_attempt(personas, smtp_server, settings):
    settings.CROSSDESK_OUTBOX_MAX_ATTEMPTS = 2
    smtp_server.temporary_failures = 5
    notify(recipients=[personas.cs_liaison], event="request.x", title="一", level="action")
    outbox_drain()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert outbox_drain().failed == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2


def test_an_unreachable_smtp_server_leaves_every_message_waiting(personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    notify(recipients=[personas.cs_liaison, personas.cs_head], event="request.x", title="一", level="action")
    report = outbox_drain()
    assert report.retrying == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    assert all("unreachable" in e for e in Delivery.objects.values_list("last_error", flat=True))


def test_a_lease_left_by_a_killed_worker_is_taken_over_once_it_expires(personas, smtp_server, settings):
    notify(recipients=[personas.cs_liaison], event="request.x", title="一", level="action")
    notifications_route()
    [claimed] = deliveries_claim(owner="dead-worker", limit=10)  # …and the worker dies here
    assert deliveries_claim(owner="second", limit=10) == []
    assert outbox_drain().sent == 0
    later = timezone.now() + timedelta(seconds=settings.CROSSDESK_OUTBOX_LEASE_SECONDS + 1)
    with time_machine.travel(later):
        assert outbox_has_due_work()
        assert outbox_drain().sent == 1
    delivery = Delivery.objects.get()
    assert delivery.attempts == 2 and delivery.status == DeliveryStatus.SENT
    assert smtp_server.message_ids[f"<{claimed.delivery_key}@127.0.0.1>"] == 1


def test_routing_twice_never_creates_a_second_delivery(personas):
    notify(recipients=[personas.cs_liaison], event="request.x", title="一", level="action")
    notifications_route()
    Notification.objects.update(routed_at=None)  # as if the first routing's mark was lost
    notifications_route()
    assert Delivery.objects.count() == 1


def test_quiet_hours_hold_an_email_until_they_end(personas, smtp_server):
    ChannelPreference.objects.create(person=personas.cs_liaison, quiet_start=time(22), quiet_end=time(8))
    with time_machine.travel(datetime(2026, 11, 23, 23, 30, tzinfo=SHANGHAI)):
        notify(recipients=[personas.cs_liaison], event="request.x", title="一", level="action")
        assert outbox_drain().sent == 0
    delivery = Delivery.objects.get()
    assert delivery.next_attempt_at == datetime(2026, 11, 24, 8, 0, tzinfo=SHANGHAI)
    with time_machine.travel(datetime(2026, 11, 24, 8, 0, 1, tzinfo=SHANGHAI)):
        assert outbox_drain().sent == 1


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (time(21, 59), None),
        (time(22, 0), (1, time(8))),
        (time(3, 0), (0, time(8))),
        (time(8, 0), None),
    ],
)
def test_quiet_hours_wrap_midnight(now, expected):
    moment = datetime(2026, 11, 23, now.hour, now.minute, tzinfo=SHANGHAI)
    result = after_quiet_hours(moment, time(22), time(8), SHANGHAI)
    if expected is None:
        assert result == moment
    else:
        days, at = expected
        assert result == datetime.combine(moment.date() + timedelta(days=days), at, tzinfo=SHANGHAI)


def test_a_lunch_break_quiet_window_ends_the_same_day():
    moment = datetime(2026, 11, 23, 12, 15, tzinfo=SHANGHAI)
    assert after_quiet_hours(moment, time(12), time(13, 30), SHANGHAI) == moment.replace(hour=13, minute=30)


def test_a_digest_collects_the_days_messages_into_one_email(personas, smtp_server):
    ChannelPreference.objects.create(
        person=personas.cs_liaison, digest_mode="daily", digest_time=time(17, 30)
    )
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)):
        for i in range(3):
            notify(recipients=[personas.cs_liaison], event="request.x", title=f"请求{i}", level="action")
            outbox_drain()
    assert smtp_server.total == 0
    digest = Delivery.objects.get()
    assert digest.digest_date.isoformat() == "2026-11-23" and digest.digest_items.count() == 3
    with time_machine.travel(datetime(2026, 11, 23, 17, 30, 5, tzinfo=SHANGHAI)):
        assert outbox_drain().sent == 1
    [message] = smtp_server.messages
    assert "3" in _subject(message) and message["Message-ID"].startswith(
        f"<p{personas.cs_liaison.pk}.digest.20261123@"
    )
    text = message.get_body(("plain",)).get_content()
    assert all(f"请求{i}" in text for i in range(3))


def test_a_message_after_the_digest_went_out_waits_for_the_next_one(personas, smtp_server):
    ChannelPreference.objects.create(
        person=personas.cs_liaison, digest_mode="daily", digest_time=time(17, 30)
    )
    day, send_at = digest_slot(datetime(2026, 11, 23, 17, 31, tzinfo=SHANGHAI), time(17, 30), SHANGHAI)
    assert day.isoformat() == "2026-11-24" and send_at.hour == 17
    with time_machine.travel(datetime(2026, 11, 23, 17, 0, tzinfo=SHANGHAI)):
        notify(recipients=[personas.cs_liaison], event="request.x", title="一", level="action")
        notifications_route()
        # A worker has claimed today's digest, but not yet sent it…
        Delivery.objects.update(next_attempt_at=timezone.now())
        deliveries_claim(owner="w", limit=5)
        notify(recipients=[personas.cs_liaison], event="request.x", title="二", level="action")
        notifications_route()
    digests = dict(Delivery.objects.values_list("digest_date", "id"))
    assert len(digests) == 2
    second_day = max(digests)
    assert DigestItem.objects.filter(delivery_id=digests[second_day]).get().notification.title == "二"


def test_a_department_default_applies_to_members_who_left_it_blank(personas, smtp_server):
    ChannelPreference.objects.create(department=personas.cs, email_mode="all", muted_event_groups=["meeting"])
    ChannelPreference.objects.create(person=personas.cs_head, email_mode="off")
    notify(recipients=[personas.cs_liaison, personas.cs_head], event="request.logged", title="一")
    notify(recipients=[personas.cs_liaison], event="meeting.notice", title="会议通知", level="action")
    outbox_drain()
    assert [m["To"] for m in smtp_server.messages] == [personas.cs_liaison.email]
    assert _subject(smtp_server.messages[0]).endswith("一")


# --- robots ---------------------------------------------------------------------------------------


def _robot(personas, server, kind, secret="", **extra):
    path = f"/{kind}/hook-{kind}"
    if secret:
        server.secrets[path] = secret
    url = f"{server.url}{path}" + ("?access_token=abc" if kind == "dingtalk" else "")
    return DepartmentRobot.objects.create(
        department=personas.cs, kind=kind, name=f"客服部{kind}群", webhook_url=url, secret=secret, **extra
    )


def test_each_robot_posts_once_per_notify_call_however_many_members_are_told(personas, robot_server):
    _robot(personas, robot_server, "dingtalk", secret="SECabc123")
    _robot(personas, robot_server, "wecom")
    _robot(personas, robot_server, "feishu", secret="feishu-secret")
    notify(
        recipients=[personas.cs_liaison, personas.cs_head, personas.cs_staff],
        event="deadline.breach",
        title="响应超时：XMB-2026-001",
        body="已超过响应时限。",
        url="/requests/1/",
        level="overdue",
    )
    report = outbox_drain()
    assert report.sent == 6  # three e-mails (to the test mailbox) and one post per robot
    robot_rows = Delivery.objects.exclude(channel="email")
    assert robot_rows.count() == 3 and all(d.status == DeliveryStatus.SENT for d in robot_rows)
    assert sorted(path.split("/")[1] for path, _body in robot_server.received) == [
        "dingtalk",
        "feishu",
        "wecom",
    ]
    assert set(robot_server.keys) == set(robot_rows.values_list("delivery_key", flat=True))
    feishu = next(body for path, body in robot_server.received if path.startswith("/feishu"))
    assert feishu["msg_type"] == "interactive" and feishu["card"]["header"]["template"] == "red"
    dingtalk = next(body for path, body in robot_server.received if path.startswith("/dingtalk"))
    assert "响应超时" in dingtalk["markdown"]["text"] and "/requests/1/" in dingtalk["markdown"]["text"]


@pytest.fixture
def _emails_to_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.usefixtures("_emails_to_memory")
def test_a_robot_with_a_wrong_secret_is_retried_with_the_vendors_error(personas, robot_server):
    robot = _robot(personas, robot_server, "dingtalk", secret="right")
    robot.secret = "wrong"
    robot.save()
    notify(recipients=[personas.cs_liaison], event="deadline.breach", title="一", level="overdue")
    outbox_drain()
    delivery = Delivery.objects.get(channel="dingtalk")
    assert delivery.status == DeliveryStatus.PENDING and "310000" in delivery.last_error


@pytest.mark.usefixtures("_emails_to_memory")
def test_a_robot_ignores_levels_and_events_it_was_not_set_up_for(personas, robot_server):
    _robot(personas, robot_server, "wecom", levels=["overdue"], event_groups=["deadline"])
    notify(recipients=[personas.cs_liaison], event="request.submitted", title="一", level="overdue")
    notify(recipients=[personas.cs_liaison], event="deadline.warn", title="二", level="warning")
    notify(recipients=[personas.cs_liaison], event="deadline.breach", title="三", level="overdue")
    outbox_drain()
    assert [body["markdown"]["content"].splitlines()[0] for _p, body in robot_server.received] == [
        '#### <font color="warning">【逾期】三</font>'
    ]


def test_the_signatures_follow_the_vendors_documented_schemes():
    # DingTalk: HMAC-SHA256 keyed by the secret over "timestamp\nsecret"; Feishu: keyed by
    # "timestamp\nsecret" over an empty message. Both base64.
    assert dingtalk_sign("SECabc", 1700000000000) == expected_dingtalk_sign("SECabc", "1700000000000")
    assert feishu_sign("abc", 1700000000) == expected_feishu_sign("abc", "1700000000")
    assert dingtalk_sign("SECabc", 1) != feishu_sign("SECabc", 1)


# --- the budget notify() keeps inside the caller's transaction ------------------------------------


def test_notify_adds_no_query_for_channels_whatever_the_number_of_recipients(
    personas, django_assert_num_queries
):
    ChannelPreference.objects.create(department=personas.cs, email_mode="all")
    _ = DepartmentRobot.objects.create(
        department=personas.cs, kind="wecom", name="群", webhook_url="http://127.0.0.1:9/x"
    )
    many = [personas.cs_liaison, personas.cs_head, personas.cs_staff, personas.mkt_head, personas.log_head]
    with django_assert_num_queries(1):  # the bulk insert of the in-app rows, nothing else
        notify(recipients=many, event="request.x", title="一", level="overdue")
    with django_assert_num_queries(2):  # + the dedupe read that notify() always had
        notify(recipients=many, event="request.x", title="二", level="overdue", dedupe_key="clock:1:warn")
    with django_assert_num_queries(1):
        notify(recipients=[personas.cs_liaison], event="request.x", title="三")


def test_one_drain_is_enqueued_per_transaction_however_often_notify_is_called(personas):
    from django.db import transaction

    from crossdesk.notify.services.inbox import _enqueue_drain

    with transaction.atomic():
        for i in range(5):
            notify(recipients=[personas.cs_liaison], event="request.x", title=str(i))
        queued = [func for _sids, func, _robust in connection.run_on_commit if func is _enqueue_drain]
        assert len(queued) == 1
