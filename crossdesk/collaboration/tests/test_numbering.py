"""Numbers stay gap-free when many people submit at once (SPEC §3)."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from crossdesk.collaboration import services
from crossdesk.collaboration.models import Request

from . import factories

pytestmark = pytest.mark.django_db(transaction=True)

SUBMITTERS = 8


def test_parallel_submissions_get_consecutive_numbers(personas):
    drafts = [factories.draft(personas, title=f"并发提交 {i}") for i in range(SUBMITTERS)]
    start = threading.Barrier(SUBMITTERS)
    errors: list[BaseException] = []

    def submit(request_id: int) -> None:
        try:
            start.wait()
            services.request_submit(actor=personas.mkt_staff.user, request_id=request_id)
        except BaseException as exc:  # reported below; a thread must not die silently
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=submit, args=(d.pk,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    year = timezone.localtime().year
    numbers = sorted(Request.objects.values_list("number", flat=True))
    assert numbers == [f"XMB-{year}-{n:03d}" for n in range(1, SUBMITTERS + 1)]
