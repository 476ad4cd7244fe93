"""Nothing is lost when workers die (issue 5 §1).

Real processes end to end: two ``db_worker`` processes (what ``crossdesk worker`` runs) and
the real ``scheduler`` work on the same database file / PostgreSQL database as this test;
a real SMTP server (aiosmtpd) counts Message-IDs. 10,000 notifications are written in
rounds while a random worker is killed with SIGKILL after each round and restarted.

Then: every notification is in the inbox exactly once, every e-mail arrived, and a message
arrived twice at most once per kill (only the one in flight when its worker died).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.models import Count

from crossdesk.notify.choices import DeliveryStatus
from crossdesk.notify.models import Delivery, Notification
from crossdesk.notify.services import notify
from crossdesk.org.models import Person

from .servers import SMTPServer

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PROJECT_DIR = Path(__file__).resolve().parents[3]
PEOPLE = 100
ROUNDS = 10
CALLS_PER_ROUND = 10  # × PEOPLE recipients = 1,000 notifications a round, 10,000 in all
LEASE_SECONDS = 4


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Processes:
    """The worker and scheduler processes, started as an operator would (production mode)."""

    def __init__(self, smtp_port: int, data_dir: Path):
        self.env = {
            **os.environ,
            "CROSSDESK_MODE": "production",
            "SECRET_KEY": "worker-kill-test",
            "CROSSDESK_DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url(),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "CROSSDESK_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
            "CROSSDESK_OUTBOX_TIME_BUDGET": "5",
            "CROSSDESK_BURST_EMAILS": "0",  # 50 e-mails each: this test is about kills, not bursts
            "LOG_LEVEL": "WARNING",
        }
        self.env.pop("REDIS_URL", None)
        self.log = (data_dir / "processes.log").open("ab")
        self.workers: list[subprocess.Popen] = []
        self.scheduler: subprocess.Popen | None = None

    def _start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def start_worker(self) -> subprocess.Popen:
        return self._start("db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload")

    def start(self, workers: int) -> None:
        self.workers = [self.start_worker() for _ in range(workers)]
        self.scheduler = self._start("scheduler", "--interval", "1")

    def kill_and_restart(self, rng: random.Random) -> None:
        index = rng.randrange(len(self.workers))
        victim = self.workers[index]
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        self.workers[index] = self.start_worker()

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
        self.log.close()


def _wait_until_all_sent(expected: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Delivery.objects.filter(status=DeliveryStatus.SENT).count() == expected:
            return
        time.sleep(0.5)


def test_ten_thousand_notifications_survive_ten_kills_of_the_worker(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    people = Person.objects.bulk_create(
        Person(employee_no=f"K{i:04d}", name=f"员工{i}", email=f"k{i:04d}@example.com") for i in range(PEOPLE)
    )
    rng = random.Random(20261121)
    kills = 0
    with SMTPServer(keep_messages=False) as smtp:
        processes = Processes(smtp.port, tmp_path)
        try:
            processes.start(workers=2)
            for round_number in range(ROUNDS):
                for call in range(CALLS_PER_ROUND):
                    with transaction.atomic():
                        notify(
                            recipients=people,
                            event="deadline.breach",
                            title=f"逾期提醒 {round_number}-{call}",
                            url=f"/requests/{round_number * CALLS_PER_ROUND + call}/",
                            level="overdue",
                        )
                time.sleep(rng.uniform(0.3, 1.5))
                processes.kill_and_restart(rng)
                kills += 1
            # ~1 minute alone; generous because `make test` runs other tests beside it on 2 cores.
            _wait_until_all_sent(PEOPLE * ROUNDS * CALLS_PER_ROUND, timeout=300)
        finally:
            processes.stop()
        received = smtp.handler.message_ids

    total = PEOPLE * ROUNDS * CALLS_PER_ROUND
    assert kills >= 10
    # In-app: exactly one row per person and notify() call, never a duplicate.
    assert Notification.objects.count() == total
    assert Notification.objects.values("recipient", "batch_key").distinct().count() == total
    assert not Notification.objects.filter(routed_at__isnull=True).exists()
    # E-mail: every message arrived; a duplicate only for a message in flight at a kill.
    keys = set(Delivery.objects.values_list("delivery_key", flat=True))
    statuses = dict(Delivery.objects.values_list("status").annotate(n=Count("id")))
    errors = Counter(Delivery.objects.exclude(last_error="").values_list("last_error", flat=True))
    assert statuses == {DeliveryStatus.SENT: total}, (statuses, errors.most_common(3))
    expected_ids = {f"<{key}@127.0.0.1>" for key in keys}
    assert set(received) == expected_ids
    duplicates = sum(received.values()) - len(received)
    print(f"{total} e-mails, {kills} kills, {duplicates} duplicates")  # shown with -s
    assert duplicates <= kills, f"{duplicates} duplicates after {kills} kills"
