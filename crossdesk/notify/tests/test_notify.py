import pytest
from django.urls import reverse

from crossdesk.notify.models import Notification
from crossdesk.notify.selectors import unread_count
from crossdesk.notify.services import notifications_mark_read, notify

pytestmark = pytest.mark.django_db


def test_it_writes_one_notification_per_distinct_recipient(personas):
    created = notify(
        recipients=[personas.cs_liaison, personas.cs_liaison.pk, personas.cs_head, None],
        event="test",
        title="新的协作请求",
        exclude=[personas.cs_head],
    )
    assert created == 1
    assert Notification.objects.get().recipient == personas.cs_liaison


def test_a_deduplicated_notification_is_written_once_however_often_it_is_sent(personas):
    for _ in range(3):
        notify(
            recipients=[personas.cs_liaison, personas.cs_head],
            event="reminder",
            title="提醒",
            dedupe_key="clock:1:warn",
        )
    assert Notification.objects.count() == 2


def test_marking_read_clears_the_unread_count(personas):
    notify(recipients=[personas.cs_liaison], event="a", title="一")
    notify(recipients=[personas.cs_liaison], event="b", title="二")
    assert unread_count(person=personas.cs_liaison) == 2
    first = Notification.objects.filter(title="一").get()
    notifications_mark_read(person=personas.cs_liaison, ids=[first.pk])
    assert unread_count(person=personas.cs_liaison) == 1
    notifications_mark_read(person=personas.cs_liaison)
    assert unread_count(person=personas.cs_liaison) == 0


def test_nobody_can_mark_someone_elses_notifications_read(personas):
    notify(recipients=[personas.cs_liaison], event="a", title="一")
    notifications_mark_read(
        person=personas.outsider, ids=list(Notification.objects.values_list("id", flat=True))
    )
    assert unread_count(person=personas.cs_liaison) == 1


def test_the_inbox_page_lists_my_notifications_with_constant_queries(
    client_for, personas, django_assert_max_num_queries
):
    for i in range(40):
        notify(recipients=[personas.cs_liaison], event="e", title=f"通知{i}", url="/")
    client = client_for(personas.cs_liaison)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notify:inbox"))
    body = response.content.decode()
    assert "通知39" in body and "通知0" not in body  # newest first, 30 per page
    assert 'data-testid="unread-count">40<' in body


def test_the_api_lists_and_marks_read(client_for, personas):
    notify(recipients=[personas.cs_liaison], event="e", title="一")
    client = client_for(personas.cs_liaison)
    listing = client.get("/api/v1/notifications/").json()
    assert listing["count"] == 1 and listing["unread"] == 1
    response = client.post("/api/v1/notifications/read", {}, content_type="application/json")
    assert response.json() == {"marked": 1, "unread": 0}


def test_the_api_refuses_a_body_that_is_not_an_object(client_for, personas):
    client = client_for(personas.cs_liaison)
    response = client.post("/api/v1/notifications/read", '"all"', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "body"


def test_the_api_needs_a_login(client):
    assert client.get("/api/v1/notifications/").status_code == 401


def test_a_batch_writes_the_same_rows_as_single_calls_in_constant_queries(
    personas, django_assert_num_queries, django_assert_max_num_queries
):
    from crossdesk.notify.services import notifications_batched

    notify(recipients=[personas.cs_head], event="reminder", title="旧提醒", dedupe_key="clock:old:warn")

    def send(count: int) -> None:
        for n in range(count):
            notify(recipients=[personas.cs_liaison, personas.cs_head], event="reminder", title=f"提醒{n}",
                   dedupe_key=f"clock:{n}:warn")  # fmt: skip
            notify(recipients=[personas.supervisor], event="info", title=f"通知{n}")

    # One read of the keys already written, one INSERT of keyed rows, one of the others.
    with django_assert_num_queries(3), notifications_batched():
        send(10)
    assert Notification.objects.count() == 1 + 10 * 2 + 10
    # The same keys again (and the old one) add nothing; the unkeyed messages are new.
    with django_assert_max_num_queries(3), notifications_batched():
        send(10)
        notify(recipients=[personas.cs_head], event="reminder", title="旧提醒", dedupe_key="clock:old:warn")
    assert Notification.objects.count() == 1 + 10 * 2 + 10 * 2
    assert Notification.objects.filter(recipient=personas.cs_head, title="旧提醒").count() == 1


def test_a_batch_that_fails_writes_nothing(personas):
    from crossdesk.notify.services import notifications_batched

    with pytest.raises(RuntimeError), notifications_batched():
        notify(recipients=[personas.cs_head], event="reminder", title="提醒")
        raise RuntimeError("the change behind it failed")
    assert not Notification.objects.exists()


def test_notify_about_a_record_prefixes_its_number_links_it_and_skips_whoever_acted(personas):
    from django.utils import translation

    from crossdesk.notify.services import notify_about

    department = personas.cs
    with translation.override("zh-hans"):
        created = notify_about(
            department,
            [personas.cs_liaison, personas.cs_head],
            event="request.accepted",
            title="已受理",
            actor=personas.cs_head.user,
            url="/org/departments/CS/",
        )
    assert created == 1
    sent = Notification.objects.get()
    assert (sent.recipient, sent.event, sent.title) == (
        personas.cs_liaison,
        "request.accepted",
        "[草稿] 已受理",
    )
    assert sent.url == "/org/departments/CS/" and sent.subject == department
    department.number = "XT-2026-0001"
    department.get_absolute_url = lambda: "/somewhere/"
    notify_about(department, [personas.cs_head], event="request.x", title="一", actor=personas.cs_liaison)
    assert Notification.objects.get(recipient=personas.cs_head).url == "/somewhere/"
    assert Notification.objects.get(recipient=personas.cs_head).title == "[XT-2026-0001] 一"
