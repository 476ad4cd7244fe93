"""Audit rows are kept CROSSDESK_AUDIT_RETENTION_DAYS (two years at least), then purged in batches."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from crossdesk.audit.models import AuditEvent
from crossdesk.audit.services import events_purge
from crossdesk.audit.tasks import purge_audit_events
from crossdesk.org.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_purge_removes_only_rows_older_than_the_retention(personas):
    with time_machine.travel(datetime(2024, 1, 1, 9, tzinfo=SHANGHAI), tick=False):
        old = DepartmentFactory.create(code="OLD", name="旧")
    with time_machine.travel(datetime(2024, 6, 1, 9, tzinfo=SHANGHAI), tick=False):
        kept = DepartmentFactory.create(code="KEPT", name="留")
    total = AuditEvent.objects.count()
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=SHANGHAI), tick=False):
        removed = events_purge(batch=1)
    assert removed >= 1
    assert not AuditEvent.objects.filter(object_repr__startswith="OLD").exists()
    assert not AuditEvent.objects.filter(object_id=old.pk, content_type__model="department").exists()
    assert AuditEvent.objects.filter(object_id=kept.pk, content_type__model="department").exists()
    assert AuditEvent.objects.count() == total - removed
    cutoff = datetime(2026, 3, 1, 9, tzinfo=SHANGHAI) - timedelta(days=730)
    assert not AuditEvent.objects.filter(timestamp__lt=cutoff).exists()


def test_the_scheduled_task_runs_the_purge(personas):
    with time_machine.travel(datetime(2020, 1, 1, 9, tzinfo=SHANGHAI), tick=False):
        DepartmentFactory.create(code="ANCIENT", name="远古")
    purge_audit_events.enqueue()
    assert not AuditEvent.objects.filter(timestamp__year=2020).exists()


def test_a_longer_retention_keeps_more(settings, personas):
    settings.CROSSDESK_AUDIT_RETENTION_DAYS = 3650
    with time_machine.travel(datetime(2020, 1, 1, 9, tzinfo=SHANGHAI), tick=False):
        DepartmentFactory.create(code="KEEP", name="十年")
    assert events_purge() == 0


def test_a_retention_under_two_years_is_refused(settings):
    settings.CROSSDESK_AUDIT_RETENTION_DAYS = 365
    with pytest.raises(ImproperlyConfigured):
        events_purge()


def test_the_settings_refuse_a_short_retention(monkeypatch):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import crossdesk.settings"],
        env={"CROSSDESK_AUDIT_RETENTION_DAYS": "100", "CROSSDESK_MODE": "test", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "CROSSDESK_AUDIT_RETENTION_DAYS" in result.stderr
