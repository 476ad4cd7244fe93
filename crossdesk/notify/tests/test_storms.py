"""No alert storms (issue 14 §2): burst limits per person and group chat, escalations as a
digest for supervisors, and robot messages that @mention people and keep secrets."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from crossdesk.notify.channels import robot_request
from crossdesk.notify.models import ChannelPreference, Delivery, DepartmentRobot, DigestItem, Notification
from crossdesk.notify.selectors import unread_count, unread_records
from crossdesk.notify.services import notifications_route, notify, outbox_drain

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 10, 12, 12, 0, tzinfo=SH)


@pytest.fixture
def _emails_to_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _tell(person, count: int, *, first: int = 0, **extra) -> None:
    for number in range(first, first + count):
        notify(
            recipients=[person],
            event="request.changed",
            title=f"[XT-2026-{number:04d}] 请求有变化",
            url=f"/requests/{number}/",
            level="action",
            **extra,
        )


def _emails(person):
    return Delivery.objects.filter(channel="email", person=person)


def test_past_five_emails_an_hour_the_rest_wait_for_one_digest_at_the_end_of_the_window(personas):
    with time_machine.travel(NOON, tick=False):
        _tell(personas.cs_liaison, 15)
        notifications_route()
    single = _emails(personas.cs_liaison).filter(burst=False)
    assert single.count() == 5
    digest = _emails(personas.cs_liaison).get(burst=True)
    assert digest.next_attempt_at == NOON + timedelta(hours=1) and digest.digest_items.count() == 10
    # Nothing is lost: every message is in the inbox, unread, the held ones listed in the digest.
    assert Notification.objects.filter(recipient=personas.cs_liaison, read_at__isnull=True).count() == 15
    held = set(DigestItem.objects.filter(delivery=digest).values_list("notification_id", flat=True))
    sent = set(single.values_list("notification_id", flat=True))
    assert held | sent == set(Notification.objects.values_list("id", flat=True)) and not held & sent

    # While the digest waits, later messages join it rather than going out one by one.
    with time_machine.travel(NOON + timedelta(minutes=30), tick=False):
        _tell(personas.cs_liaison, 2, first=100)
        notifications_route()
    assert _emails(personas.cs_liaison).count() == 6 and digest.digest_items.count() == 12


@pytest.mark.usefixtures("_emails_to_memory")
def test_the_held_messages_leave_as_one_digest_grouped_by_record_with_every_link(personas):
    from django.core import mail

    with time_machine.travel(NOON, tick=False):
        _tell(personas.cs_liaison, 5)
        for _ in range(3):  # three changes of one record, held
            _tell(personas.cs_liaison, 1, first=7)
        outbox_drain()
    assert len(mail.outbox) == 5
    with time_machine.travel(NOON + timedelta(minutes=59), tick=False):
        outbox_drain()
    assert len(mail.outbox) == 5
    with time_machine.travel(NOON + timedelta(hours=1, seconds=1), tick=False):
        outbox_drain()
    assert len(mail.outbox) == 6
    digest = mail.outbox[-1]
    with translation.override("zh-hans"):
        assert "3 条新提醒" in digest.subject
    assert digest.body.count("/requests/7/") == 3


def test_critical_messages_count_against_the_limit_too(personas):
    with time_machine.travel(NOON, tick=False):
        _tell(personas.cs_liaison, 5, critical=True)
        _tell(personas.cs_liaison, 1, first=50, critical=True)
        notifications_route()
    assert _emails(personas.cs_liaison).filter(burst=False).count() == 5
    assert _emails(personas.cs_liaison).get(burst=True).digest_items.count() == 1


def test_the_limit_is_a_setting(personas, settings):
    settings.CROSSDESK_NOTIFY_BURST = {"email": (2, 600)}
    with time_machine.travel(NOON, tick=False):
        _tell(personas.cs_liaison, 4)
        notifications_route()
    assert _emails(personas.cs_liaison).filter(burst=False).count() == 2
    assert _emails(personas.cs_liaison).get(burst=True).next_attempt_at == NOON + timedelta(minutes=10)


def test_a_group_chat_gets_ten_posts_an_hour_then_one_digest(personas):
    robot = DepartmentRobot.objects.create(
        department=personas.cs, kind="wecom", name="客服群", webhook_url="https://qyapi.example/hook"
    )
    with time_machine.travel(NOON, tick=False):
        for number in range(14):
            notify(
                recipients=[personas.cs_liaison, personas.cs_staff],
                event="request.changed",
                title=f"[XT-2026-{number:04d}] 请求有变化",
                level="action",
            )
        notifications_route()
    posts = Delivery.objects.filter(robot=robot)
    assert posts.filter(burst=False).count() == 10
    assert posts.get(burst=True).digest_items.count() == 4  # one per notify() call, not per member


def test_a_supervisor_gets_escalations_in_the_daily_digest_unless_critical(personas):
    with time_machine.travel(NOON, tick=False):
        notify(recipients=[personas.supervisor], event="deadline.escalate", title="升级一", level="overdue")
        notify(
            recipients=[personas.supervisor],
            event="deadline.escalate",
            title="升级二",
            level="overdue",
            critical=True,
        )
        notify(recipients=[personas.cs_head], event="deadline.escalate", title="升级三", level="overdue")
        notifications_route()
    single = Delivery.objects.filter(channel="email", digest_date__isnull=True)
    assert sorted(single.values_list("notification__title", flat=True)) == ["升级三", "升级二"]
    daily = Delivery.objects.get(person=personas.supervisor, digest_date__isnull=False, burst=False)
    assert [i.notification.title for i in daily.digest_items.all()] == ["升级一"]


def test_a_supervisor_may_choose_each_escalation_as_it_happens_and_a_head_the_digest(personas):
    ChannelPreference.objects.create(person=personas.supervisor, escalation_mode="immediate")
    ChannelPreference.objects.create(person=personas.cs_head, escalation_mode="digest")
    with time_machine.travel(NOON, tick=False):
        notify(
            recipients=[personas.supervisor, personas.cs_head],
            event="deadline.escalate",
            title="升级",
            level="overdue",
        )
        notifications_route()
    assert Delivery.objects.get(digest_date__isnull=True).person == personas.supervisor
    assert Delivery.objects.get(digest_date__isnull=False).person == personas.cs_head


def test_the_bell_counts_records_not_messages(personas):
    for subject in (personas.cs, personas.cs, personas.log):
        notify(recipients=[personas.cs_liaison], event="request.changed", title="变化", subject=subject)
    notify(recipients=[personas.cs_liaison], event="other", title="无记录的消息")
    assert unread_records(person=personas.cs_liaison) == 3
    assert unread_count(person=personas.cs_liaison) == 4


# --- robot payloads ------------------------------------------------------------------------------


def _robot_delivery(personas, kind: str, notification: Notification) -> Delivery:
    robot = DepartmentRobot.objects.create(
        department=personas.cs, kind=kind, name="客服群", webhook_url="https://robot.example/hook"
    )
    return Delivery(
        channel=kind, robot=robot, notification=notification, delivery_key="k1", next_attempt_at=NOON
    )


@pytest.fixture
def told(personas):
    personas.cs_liaison.dingtalk_id, personas.cs_liaison.wecom_id = "ding-lina", "wecom-lina"
    personas.cs_liaison.feishu_id = "ou_lina"
    personas.cs_liaison.save()
    personas.cs_staff.phone = "13800138000"
    personas.cs_staff.save()
    notify(
        recipients=[personas.cs_liaison, personas.cs_staff, personas.mkt_head],
        event="deadline.breach",
        title="[XT-2026-0001] 已超时：退货流程",
        body="请立即处理。",
        url="/requests/1/",
        level="overdue",
    )
    return Notification.objects.filter(recipient=personas.cs_liaison).get()


def test_dingtalk_mentions_the_departments_people_by_id_or_mobile(personas, told):
    payload = robot_request(_robot_delivery(personas, "dingtalk", told)).payload
    # The marketing head was told too, but is not in this group chat's department.
    assert payload["at"] == {"atUserIds": ["ding-lina"], "atMobiles": ["13800138000"], "isAtAll": False}
    assert "@ding-lina @13800138000" in payload["markdown"]["text"]


def test_wecom_mentions_in_the_text_and_the_lists(personas, told):
    payload = robot_request(_robot_delivery(personas, "wecom", told)).payload
    assert payload["markdown"]["mentioned_list"] == ["wecom-lina"]
    assert payload["markdown"]["mentioned_mobile_list"] == ["13800138000"]
    assert "<@wecom-lina>" in payload["markdown"]["content"]


def test_feishu_mentions_by_user_id_in_the_card(personas, told):
    payload = robot_request(_robot_delivery(personas, "feishu", told)).payload
    contents = [e.get("content") for e in payload["card"]["elements"] if e["tag"] == "markdown"]
    assert "<at id=ou_lina></at>" in contents


def test_plain_information_mentions_nobody(personas, told):
    told.level = "info"
    told.save()
    payload = robot_request(_robot_delivery(personas, "dingtalk", told)).payload
    assert payload["at"]["atUserIds"] == [] and "@ding-lina" not in payload["markdown"]["text"]


@pytest.mark.parametrize("kind", ["dingtalk", "wecom", "feishu"])
def test_a_confidential_record_reaches_a_robot_without_its_title_or_body(personas, kind):
    from crossdesk.collaboration.tests.factories import draft

    secret = draft(personas, confidential=True, title="收购某公司的尽职调查")
    notify(
        recipients=[personas.cs_liaison],
        event="request.secret",
        title=f"[{secret.number}] {secret.title}",
        body="尽职调查资料见附件。",
        url=secret.get_absolute_url(),
        subject=secret,
        level="action",
    )
    notification = Notification.objects.get(event="request.secret")
    assert notification.confidential
    with translation.override("zh-hans"):
        payload = robot_request(_robot_delivery(personas, kind, notification)).payload
    text = str(payload)
    assert "收购" not in text and "尽职调查" not in text
    assert "一条保密协作请求需要处理" in text and secret.get_absolute_url() in text
