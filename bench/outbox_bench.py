"""Benchmark: deliver 10,000 e-mail notifications to a local SMTP server (aiosmtpd), with
one worker process and with two.

Real processes end to end: the notifications are written through ``notify()`` (one drain
task queued per transaction, as in production), then N ``db_worker`` processes (what
``crossdesk worker`` runs) route and deliver them while this process runs the SMTP server
and counts. Each run uses a fresh throwaway database: a temporary SQLite file, or with
``--postgres URL`` a database ``crossdesk_outbox_bench`` on that server (dropped first).

    .venv/bin/python bench/outbox_bench.py [--messages 10000] [--workers 1 2]
    .venv/bin/python bench/outbox_bench.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Prints, per run: wall time from starting the workers until the last message was marked
sent (includes starting Python and Django), and the steady rate between the first and the
last message sent.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
PEOPLE = 100


def _prepare_database(args, data_dir: Path) -> str:
    if args.postgres:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS crossdesk_outbox_bench")
            admin.execute("CREATE DATABASE crossdesk_outbox_bench")
        base = args.postgres.rsplit("/", 1)[0]
        return f"{base}/crossdesk_outbox_bench"
    return f"sqlite:///{data_dir / 'outbox-bench.sqlite3'}"


def _environment(database_url: str, data_dir: Path, smtp_port: int) -> dict:
    return {
        **os.environ,
        "CROSSDESK_MODE": "production",
        "SECRET_KEY": "outbox-bench",
        "CROSSDESK_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "CROSSDESK_OUTBOX_TIME_BUDGET": "600",
        "LOG_LEVEL": "WARNING",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--postgres", help="a PostgreSQL server URL (any database on it) to bench there")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        database_url = _prepare_database(args, data_dir)
        from crossdesk.notify.tests.servers import SMTPServer, free_port

        smtp_port = free_port()
        env = _environment(database_url, data_dir, smtp_port)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=PROJECT_DIR, env=env, check=True
        )
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "crossdesk.settings"
        import django

        django.setup()
        from django.db import connection, transaction
        from django_tasks_db.models import DBTaskResult

        from crossdesk.notify.models import Delivery, Notification
        from crossdesk.notify.services import notify
        from crossdesk.org.models import Person

        people = Person.objects.bulk_create(
            Person(employee_no=f"B{i:04d}", name=f"员工{i}", email=f"b{i:04d}@example.com")
            for i in range(PEOPLE)
        )
        print(f"database: {connection.vendor}; {args.messages} e-mails per run", flush=True)
        for workers in args.workers:
            Delivery.objects.all().delete()
            Notification.objects.all().delete()
            DBTaskResult.objects.all().delete()
            for call in range(args.messages // PEOPLE):
                with transaction.atomic():
                    notify(
                        recipients=people,
                        event="deadline.breach",
                        title=f"逾期提醒：XMB-2026-{call:04d} 响应超时",
                        body="已超过响应时限，请尽快受理。",
                        url=f"/requests/{call}/",
                        level="overdue",
                    )
            with SMTPServer(keep_messages=False, port=smtp_port) as smtp:
                started = time.monotonic()
                processes = [
                    subprocess.Popen(
                        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
                        cwd=PROJECT_DIR,
                        env=env,
                    )
                    for _ in range(workers)
                ]
                try:
                    while Delivery.objects.filter(status="sent").count() < args.messages:
                        time.sleep(0.2)
                        if time.monotonic() - started > 900:
                            raise SystemExit("gave up after 15 minutes")
                    wall = time.monotonic() - started
                finally:
                    for process in processes:
                        process.terminate()
                    for process in processes:
                        process.wait()
                received = smtp.handler.total
            first, last = (
                Delivery.objects.order_by("sent_at").values_list("sent_at", flat=True).first(),
                Delivery.objects.order_by("-sent_at").values_list("sent_at", flat=True).first(),
            )
            steady = (last - first).total_seconds()
            print(
                f"{workers} worker(s): {args.messages} sent, {received} received by SMTP; "
                f"wall {wall:.1f} s = {args.messages / wall:.0f} msg/s; "
                f"first→last sent {steady:.1f} s = {args.messages / steady:.0f} msg/s",
                flush=True,
            )
        connection.close()
    if args.postgres:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS crossdesk_outbox_bench")


if __name__ == "__main__":
    main()
