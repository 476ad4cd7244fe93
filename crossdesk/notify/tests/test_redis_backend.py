"""The outbox on the Redis backend (REDIS_URL set): the after-commit enqueue goes to a real
local Redis through django-tasks-rq, and the real ``crossdesk worker`` command (rqworker)
runs the drain in burst mode against this test's database and a real SMTP server."""

import os
import subprocess

import pytest
import redis
from django.db import transaction

from crossdesk.cli import _worker_command
from crossdesk.notify.choices import DeliveryStatus
from crossdesk.notify.models import Delivery
from crossdesk.notify.services import notify
from crossdesk.org.models import Person

from .servers import SMTPServer
from .test_worker_kill import PROJECT_DIR, database_url

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REDIS_TEST_URL = os.environ.get("CROSSDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def redis_queue(settings):
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_TEST_URL} (required under CI)")
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}")
    client.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_TEST_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    yield client
    client.flushdb()


def test_a_notification_goes_through_redis_and_the_rq_worker_delivers_it(redis_queue, tmp_path, monkeypatch):
    import django_rq

    people = Person.objects.bulk_create(
        Person(employee_no=f"R{i}", name=f"员工{i}", email=f"r{i}@example.com") for i in range(3)
    )
    with transaction.atomic():
        notify(recipients=people, event="request.x", title="一", level="action")
        notify(recipients=people, event="request.x", title="二", level="action")
    queue = django_rq.get_queue("default")
    assert queue.count == 1  # one drain per transaction, not one per call or recipient

    monkeypatch.setenv("REDIS_URL", REDIS_TEST_URL)
    command = [*_worker_command(), "--burst"]
    assert command[command.index("--job-class") + 1] == "django_tasks_rq.Job"
    with SMTPServer() as smtp:
        env = {
            **os.environ,
            "CROSSDESK_MODE": "production",
            "SECRET_KEY": "redis-test",
            "CROSSDESK_DATA_DIR": str(tmp_path),
            "DATABASE_URL": database_url(),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
        }
        # A bound, not a speed check: on a loaded 2-CPU CI machine the worker's start-up
        # alone (Django, every app) has taken most of a minute.
        finished = subprocess.run(
            command, cwd=PROJECT_DIR, env=env, capture_output=True, timeout=240, check=False
        )
        assert finished.returncode == 0, finished.stderr.decode()[-2000:]
        assert queue.count == 0
        assert sorted(m["To"] for m in smtp.handler.messages) == sorted(p.email for p in people * 2)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
